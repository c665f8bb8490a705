// The sweep statistics against values worked out by hand (and cross-checked with R 4.2's
// prop.test(correct = FALSE) and survival::survfit(conf.type = "log-log")).
import { describe, expect, it } from 'vitest';
import { bandOf, type BandModel } from '../core/charts/bands.ts';
import { medianStepsText, percent, rateText } from '../core/results/format.ts';
import { kaplanMeier, median, medianTime, wilson, type Observation } from '../core/results/stats.ts';
import { observationOf, summariseGroup } from '../core/results/summary.ts';

const reached = (time: number): Observation => ({ time, event: true });
const censored = (time: number): Observation => ({ time, event: false });

describe('Wilson score interval', () => {
  it('7 of 10: p = 0.7, centre (0.7 + 1.9208/10) / 1.38415 = 0.64449, half-width 1.41602 · √(0.021 + 0.0096040) = 0.24772', () => {
    const p = wilson(7, 10);
    expect(p.k).toBe(7);
    expect(p.n).toBe(10);
    expect(p.low).toBeCloseTo(0.3967781475, 9);
    expect(p.high).toBeCloseTo(0.8922087326, 9);
  });

  it('0 of 10 and 10 of 10: the interval touches 0 (or 1) and its other end is z²/(n + z²) = 3.8415 / 13.8415 from it', () => {
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.2775327999, 9);
    expect(wilson(10, 10).low).toBeCloseTo(0.7224672001, 9);
    expect(wilson(10, 10).high).toBe(1);
  });

  it('small and larger samples: 1 of 3, 37 of 100', () => {
    expect([wilson(1, 3).low, wilson(1, 3).high].map((v) => v.toFixed(8))).toEqual(['0.06149194', '0.79234040']);
    expect([wilson(37, 100).low, wilson(37, 100).high].map((v) => v.toFixed(8))).toEqual(['0.28182361', '0.46779470']);
  });

  it('no models: nothing known, the whole range', () => {
    expect(wilson(0, 0)).toEqual({ k: 0, n: 0, low: 0, high: 1 });
  });

  it('reads in percent, as the heatmap says it, never rounded to 0 or 100 % when it is not', () => {
    expect(rateText(wilson(37, 100))).toBe('37 % [28–47 %]');
    expect(rateText(wilson(0, 10))).toBe('0 % [0–28 %]');
    expect(rateText(wilson(1, 1000))).toBe('0.1 % [0.02–1 %]');
    expect(rateText(wilson(999, 1000))).toBe('99.9 % [99–99.98 %]');
    expect(rateText(wilson(0, 0))).toBe('–');
    expect([0.004, 0.0096, 0.9904, 0.996].map(percent)).toEqual(['0.4', '1', '99', '99.6']); // the usual rounding, but to 0 or 100
  });
});

describe('Kaplan–Meier time to reach', () => {
  it('none censored: S falls by 1/10 at each of 10 times; exactly 1/2 at 50, so the median is midway to the next event, 55', () => {
    const km = kaplanMeier([100, 90, 80, 70, 60, 50, 40, 30, 20, 10].map(reached));
    expect(km.time).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    km.survival.forEach((s, k) => expect(s).toBeCloseTo(0.9 - 0.1 * k, 12));
    // Greenwood at 10: 1/(10·9); σ = √(1/90) / |ln 0.9| = 1.00053; S^exp(±1.96σ)
    expect(km.low[0]).toBeCloseTo(0.473009271, 8);
    expect(km.high[0]).toBeCloseTo(0.9852814, 6);
    expect(km.low[9]).toBeNaN(); // S = 0: no interval
    expect(km.censored).toEqual([]);
    // lower band first ≤ 1/2 at 10 (0.473); upper band first ≤ 1/2 at 80 (0.4747)
    expect(medianTime(km)).toEqual({ median: 55, low: 10, high: 80 });
  });

  it('all censored (every model capped): S stays 1, no median, no interval — "not reached by 200,000 steps"', () => {
    const km = kaplanMeier([censored(199_999), censored(199_999), censored(199_999)]);
    expect(km.time).toEqual([]);
    expect(km.censored).toEqual([{ time: 199_999, survival: 1, atRisk: 0 }]);
    expect(medianTime(km)).toEqual({ median: null, low: null, high: null });
    expect(medianStepsText(medianTime(km), 200_000, 10)).toBe('not reached by 200,000 steps');
    expect(medianStepsText({ median: 9777.5, low: 9528, high: null }, 200_000, 10)).toBe('9,777.5 [9,528, beyond 200,000]');
    expect(medianStepsText(medianTime(kaplanMeier([])), 200_000, 0)).toBe('–'); // a group a stopped run never started, or all of whose models it stopped
    expect(medianStepsText(medianTime(km), 3_001, 2)).toBe('not reached by 3,001 steps'); // Stop cut them short there
  });

  it('censoring between events: S = 0.9, 0.9·(1 − 1/8) = 0.7875, ·(1 − 1/6) = 0.65625, ·(1 − 1/4) = 0.4921875, ·(1 − 1/2)', () => {
    const km = kaplanMeier([10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((t, k) => (k % 2 ? censored(t) : reached(t))));
    expect(km.time).toEqual([10, 30, 50, 70, 90]);
    expect(km.survival.map((s) => s.toFixed(7))).toEqual(['0.9000000', '0.7875000', '0.6562500', '0.4921875', '0.2460938']);
    expect(km.censored.map((c) => c.time)).toEqual([20, 40, 60, 80, 100]);
    expect(km.censored.map((c) => c.atRisk)).toEqual([8, 6, 4, 2, 0]);
    expect(km.censored[4].survival).toBeCloseTo(0.24609375, 12);
    expect(km.low[4]).toBeCloseTo(0.01341894, 7);
    expect(km.high[4]).toBeCloseTo(0.6338333, 6);
    // the upper band never falls to 1/2: the interval is open above
    expect(medianTime(km)).toEqual({ median: 70, low: 10, high: null });
  });

  it('fewer than half reach: no median, though the lower band gives a lower limit', () => {
    const km = kaplanMeier([reached(5), reached(8), censored(8), reached(12), censored(15), censored(20), censored(20), censored(20)]);
    expect(km.survival.map((s) => s.toFixed(12))).toEqual(['0.875000000000', '0.750000000000', '0.600000000000']);
    expect(km.low[0]).toBeCloseTo(0.387, 4);
    expect(medianTime(km)).toEqual({ median: null, low: 5, high: null });
  });

  it('ties: two reach at 1 (S = 8/10), censoring at a tied time counts the events first', () => {
    const km = kaplanMeier([
      reached(3),
      reached(1),
      censored(4),
      reached(1),
      reached(5),
      censored(9),
      reached(2),
      reached(6),
      censored(5),
      reached(3),
    ]);
    expect(km.time).toEqual([1, 2, 3, 5, 6]);
    expect(km.survival.map((s) => s.toFixed(4))).toEqual(['0.8000', '0.7000', '0.5000', '0.3750', '0.1875']);
    expect(km.low[0]).toBeCloseTo(0.40869078, 7);
    expect(km.high[0]).toBeCloseTo(0.9458726, 6);
    expect(medianTime(km)).toEqual({ median: 4, low: 1, high: null }); // exactly 1/2 from 3 to 5
  });
});

describe('per-cell summary', () => {
  const model = (
    status: 'reached' | 'capped' | 'diverged' | 'stopped',
    steps: number,
    outcome: string,
    lossFinal: number | null,
    lossBest: number | null,
  ) => ({ status, steps, outcome, lossFinal, lossBest }) as Parameters<typeof observationOf>[0];

  it('a diverged model never reaches: censored at the cap, not at the step it blew up', () => {
    expect(observationOf(model('diverged', 12, 'diverged', null, 0.3), 1000)).toEqual({ time: 999, event: false });
    expect(observationOf(model('capped', 999, 'line', 0.0658, 0.06), 1000)).toEqual({ time: 999, event: false });
    expect(observationOf(model('reached', 420, 'reached', 0.005, 0.005), 1000)).toEqual({ time: 420, event: true });
  });

  it('counts, rates, the median steps from all models (not only those that reached), best and final losses', () => {
    const models = [
      model('reached', 100, 'reached', 0.0049, 0.0049),
      model('reached', 300, 'reached', 0.005, 0.005),
      model('capped', 999, 'escaped', 0.02, 0.015),
      model('capped', 999, 'line', 0.0658, 0.0657),
      model('diverged', 40, 'diverged', null, 0.5),
    ];
    const s = summariseGroup('cell', models, 1000);
    expect(s.models).toBe(5);
    expect(s.counts).toEqual({ reached: 2, escaped: 1, line: 1, constant: 0, zero: 0, other: 0, diverged: 1, stopped: 0 });
    expect([s.reach.k, s.reach.n]).toEqual([2, 5]);
    expect([s.escape.k, s.escape.n]).toEqual([3, 5]);
    // S = 4/5 after 100, 3/5 after 300; never ≤ 1/2 by the cap: the median of the two that reached (200) would mislead
    expect(s.stepsToReach.median).toBeNull();
    expect(s.lossBest).toBe(0.015); // median of 0.0049, 0.005, 0.015, 0.0657, 0.5
    expect(s.lossFinal).toBeCloseTo((0.005 + 0.02) / 2, 12); // the diverged model has none
    expect(median([])).toBeNull();
  });

  it('leaves a model the user stopped out of the rates, censored at its last step in the steps to reach', () => {
    const models = [
      model('reached', 100, 'reached', 0.0049, 0.0049),
      model('capped', 999, 'line', 0.0658, 0.0657),
      model('stopped', 50, 'stopped', 0.2, 0.2),
      model('stopped', 400, 'stopped', 0.01, 0.01),
    ];
    const s = summariseGroup('cell', models, 1000, 10);
    expect([s.models, s.planned, s.counts.stopped]).toEqual([4, 10, 2]);
    expect([s.reach.k, s.reach.n, s.escape.k, s.escape.n]).toEqual([1, 2, 1, 2]);
    expect(observationOf(models[3], 1000)).toEqual({ time: 400, event: false });
    // S = 2/3 at 100 (of the 3 still at risk: the model stopped at 50 had left), then the stop at 400 and the cap censor the rest
    expect(s.stepsToReach.median).toBeNull();
    expect(summariseGroup('cell', models.slice(0, 1).concat(models.slice(2)), 1000).stepsToReach.median).toBe(100); // 1 of the 2 at risk at 100 reaches: S = 1/2
    expect(s.stepsSeen).toBe(1000); // the capped model was watched to the cap
    // every model stopped: watched for 401 steps at most, and none ended by itself to say anything of
    const cut = summariseGroup('cell', models.slice(2), 1000);
    expect([cut.stepsSeen, cut.reach.n]).toEqual([401, 0]);
    expect(medianStepsText(cut.stepsToReach, cut.stepsSeen, cut.reach.n)).toBe('–');
  });
});

describe('loss bands', () => {
  /** Models that each sat at one loss from step 0 to 10. */
  const flat = (losses: number[]): BandModel[] =>
    losses.map((loss) => {
      const two = [loss, loss];
      const curves = {
        step: [0, 10],
        lossTrain: two,
        lossVal: two,
        lr: [0.1, 0.1],
        lossTrainMin: two,
        lossTrainMax: two,
        lossValMin: two,
        lossValMax: two,
      };
      return { status: 'capped', curves };
    });

  it('10–90 %: as many models above the band as below it, every edge a loss some model had', () => {
    const band = bandOf(flat([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]), 'lossVal', 'quantiles');
    expect([band.low[0], band.median[0], band.high[0]]).toEqual([0.2, 0.5, 0.9]);
    const twenty = bandOf(flat(Array.from({ length: 20 }, (_, k) => k + 1)), 'lossVal', 'quantiles');
    expect([twenty.low[0], twenty.high[0]]).toEqual([3, 18]);
    const three = bandOf(flat([0.1, 0.2, 0.3]), 'lossVal', 'quantiles');
    expect([three.low[0], three.high[0]]).toEqual([0.1, 0.3]);
  });

  it('min–max spans every model', () => {
    const band = bandOf(flat([0.3, 0.1, 0.9, 0.5]), 'lossVal', 'extremes');
    expect([band.low[0], band.high[0], band.count[0]]).toEqual([0.1, 0.9, 4]);
  });
});
