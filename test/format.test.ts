import { describe, expect, it } from 'vitest';
import { formatTensor, nextSeedPrint } from '../electron/engine/log-format.ts';
import { commonClusters, keptOf, modelCount } from '../core/results/format.ts';
import { shownUrl } from '../core/queue/redis-url.ts';

describe('formatTensor', () => {
  // Left: the value; right: str(torch.tensor(value)) printed by PyTorch 1.13 (float32, CPU).
  const printedByPyTorch: [number, string][] = [
    [0.9009957909584045, 'tensor(0.9010)'],
    [0.065766, 'tensor(0.0658)'],
    [0.005, 'tensor(0.0050)'],
    [0.00499999, 'tensor(0.0050)'],
    [5e-5, 'tensor(5.0000e-05)'],
    [1e-4, 'tensor(1.0000e-04)'],
    [0.000123456, 'tensor(0.0001)'],
    [0, 'tensor(0.)'],
    [1, 'tensor(1.)'],
    [3, 'tensor(3.)'],
    [123.456, 'tensor(123.4560)'],
    [1e9, 'tensor(1.0000e+09)'],
    [2.5e8, 'tensor(2.5000e+08)'],
    [NaN, 'tensor(nan)'],
    [Infinity, 'tensor(inf)'],
    [-0.5, 'tensor(-0.5000)'],
    [12345.678, 'tensor(12345.6777)'],
    [0.99995, 'tensor(0.9999)'],
    [9.999e-5, 'tensor(9.9990e-05)'],
  ];
  it.each(printedByPyTorch)('%s prints as %s', (value, text) => expect(formatTensor(value)).toBe(text));
});

describe('nextSeedPrint (the seed script doPrint)', () => {
  it('selects exactly the steps the seed document printed for a 1,000,001-step run', () => {
    const printed: number[] = [];
    for (let i = nextSeedPrint(0); i < 1000001; i = nextSeedPrint(i + 1)) printed.push(i);
    // The i: values of the seed document's log, except its final line (i == nEpoch - 1), which the loop adds.
    expect(printed).toEqual([
      0, 1, 2, 5, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000, 200000, 300000, 400000, 500000, 600000, 700000, 800000, 900000,
      1000000,
    ]);
  });

  it('finds the next print step from anywhere in between', () => {
    expect([3, 11, 31, 299, 301, 99999, 100001, 1000001, 2500000].map(nextSeedPrint)).toEqual([
      5, 30, 100, 300, 1000, 100000, 200000, 2000000, 3000000,
    ]);
  });
});

describe('shownUrl (a Redis URL in notices, logs and errors)', () => {
  const shown: [string, string][] = [
    ['redis://me:s3cret@127.0.0.1:6379', 'redis://me:***@127.0.0.1:6379'],
    ['redis://:s3cret@host', 'redis://:***@host'],
    ['rediss://me:s3c@ret@host/0', 'rediss://me:***@host/0'],
    ['redis://me:s3//cret@host:6379', 'redis://me:***@host:6379'],
    // mistyped: refused, and the refusal must not echo the password either
    ['redis//me:s3cret@host', 'redis//me:***@host'],
    ['me:s3cret@host', 'me:***@host'],
    ['redis:me:s3cret@host', 'redis:***@host'],
    ['redis:me:s3//cret@host', 'redis:***@host'],
    ['me:s3//cret@host', 'me:***@host'],
    // nothing to hide
    ['redis://127.0.0.1:6379/2', 'redis://127.0.0.1:6379/2'],
    ['redis://me@host:6379', 'redis://me@host:6379'],
  ];
  it.each(shown)('%s → %s', (url, expected) => expect(shownUrl(url)).toBe(expected));
});

describe('modelCount (a run in the history and the headers)', () => {
  it('says how many of its models a run that ended early kept', () => {
    expect(modelCount(20)).toBe('20 models');
    expect(modelCount(20, 20)).toBe('20 models');
    expect(modelCount(20, 5)).toBe('5 of 20 models');
    expect(modelCount(1200, 0)).toBe('0 of 1,200 models');
    expect(modelCount(1)).toBe('1 model');
  });

  it('says it in a table’s cell without the word', () => {
    expect(keptOf(20, 5)).toBe('5 of 20');
    expect(keptOf(20, 20)).toBe('20');
    expect(keptOf(1200)).toBe('1,200');
  });
});

describe('commonClusters (the final losses a summary table shows)', () => {
  const cluster = (count: number, loss: number) => ({ count, loss, min: loss, max: loss });
  it('shows the three most common and says how many models the rest hold', () => {
    const clusters = [cluster(5, 0.0067), cluster(2, 0.0658), cluster(1, 0.0102), cluster(1, 0.015), cluster(1, 0.901)];
    expect(commonClusters(clusters)).toEqual({ shown: clusters.slice(0, 3), others: '2 other models' });
    expect(commonClusters(clusters.slice(0, 4)).others).toBe('1 other model');
    expect(commonClusters(clusters.slice(0, 3))).toEqual({ shown: clusters.slice(0, 3), others: null });
  });
});
