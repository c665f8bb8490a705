// Charts as a lecturer reads them: the time-to-reach chart where some groups or none reached the limit,
// the fit chart's target under the models and its caption in the legend's names, the step charts on a
// linear step axis, the training loss smoothed as TensorBoard smooths it, and exports drawn to their right edge.
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { moveCursor } from '../core/charts/cursor.ts';
import type { ChartData, ChartModel } from '../core/charts/data.ts';
import { fitChart } from '../core/charts/fit.ts';
import { bandsChart, lossChart, smoothed } from '../core/charts/loss.ts';
import { lrChart } from '../core/charts/lr.ts';
import { reachChart } from '../core/charts/reach.ts';
import { Chart } from '../core/charts/register.ts';
import { exportConfig } from '../core/charts/spec.ts';
import { ExportOptionsSchema, type ChartOptions } from '../core/charts/request.ts';
import { expandSweep } from '../core/preset/sweep.ts';
import { emptyCurves } from '../core/results/curves.ts';
import { parseCommand } from '../electron/cli/args.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { narrowAndWide, presetWith } from './helpers.ts';

const light: ChartOptions = { theme: 'light' };

/** A model of the narrow-and-wide preset as the charts take it, finished where `status` says it ended. */
function modelOf(id: number, groupIndex: number, index: number, status: string, steps?: number, params: number[] = []): ChartModel {
  return {
    id,
    group: groupIndex ? 'wide' : 'narrow',
    groupIndex,
    index,
    curves: emptyCurves(),
    params,
    lossFinal: null,
    status,
    ...(steps === undefined ? {} : { steps, outcome: status === 'reached' ? ('reached' as const) : ('line' as const), lossBest: null }),
  };
}

function dataOf(models: ChartModel[]): ChartData {
  const preset = narrowAndWide('per-model', 2000);
  return { preset, plateaus: experimentOf(preset).plateaus, models };
}

type Options = {
  plugins: {
    subtitle: { display: boolean; text: string | string[] };
    legend: { labels: { generateLabels: () => { text: string }[] } };
    annotation: { annotations: Record<string, { content?: string[] }> };
  };
  scales: { x: { type: string; min: number; max: number; title: { text: string } }; y: { min: number; max: number } };
};
const optionsOf = (config: { options?: unknown }) => config.options as Options;
const labelsOf = (config: { data: { datasets: unknown[] } }) => (config.data.datasets as { label: string }[]).map((d) => d.label);

describe('the time-to-reach chart', () => {
  // narrow: 3 models, none reached; wide: 4 models, one reached at step 599
  const narrow = [0, 1, 2].map((k) => modelOf(k, 0, k, 'capped', 1999));
  const wide = [0, 1, 2, 3].map((k) => modelOf(3 + k, 1, k, k === 0 ? 'reached' : 'capped', k === 0 ? 599 : 1999));

  it('draws only the groups that reached, names those that did not under the plot, and runs from step 1', () => {
    const config = reachChart(dataOf([...narrow, ...wide]), light);
    const o = optionsOf(config);
    expect(labelsOf(config)).toEqual(['wide 95 % band high', 'wide 95 % band low', 'wide', 'wide censored']);
    expect(o.plugins.subtitle.text).toEqual(['narrow · 1→1→1 · SGD 0.1: no model reached the limit']);
    expect(o.plugins.legend.labels.generateLabels().map((e) => e.text)).toEqual([
      'narrow · 1→1→1 · SGD 0.1 (0/3 reached)',
      'wide · 1→8→1 · CyclicLR (1/4 reached)',
      'censored (stopped short of the limit)',
      '95 % band',
    ]);
    expect(Object.keys(o.plugins.annotation.annotations)).toEqual(['half']);
    expect([o.scales.x.type, o.scales.x.min, o.scales.x.max]).toEqual(['logarithmic', 1, 2000]);
  });

  it('says in the plot that no model reached the limit when none of any group did, and draws nothing else', () => {
    const none = wide.map((m) => ({ ...m, status: 'capped', outcome: 'line' as const, steps: 1999 }));
    const config = reachChart(dataOf([...narrow, ...none]), light);
    const o = optionsOf(config);
    expect(labelsOf(config)).toEqual([]);
    expect(o.plugins.annotation.annotations.nothing.content).toEqual(['no model reached the limit', 'loss 0.005 within 2,000 steps']);
    expect(o.plugins.legend.labels.generateLabels().map((e) => e.text)).toEqual([
      'narrow · 1→1→1 · SGD 0.1 (0/3 reached)',
      'wide · 1→8→1 · CyclicLR (0/4 reached)',
    ]);
    expect(o.plugins.subtitle.display).toBe(false);
    expect([o.scales.x.min, o.scales.x.max]).toEqual([1, 2000]);
  });

  it('says nothing of a group while some of its models still train', () => {
    const training = [...narrow.slice(0, 2), modelOf(2, 0, 2, 'training')];
    const config = reachChart(dataOf([...training, ...wide]), light);
    expect(optionsOf(config).plugins.subtitle.display).toBe(false);
    expect(optionsOf(config).plugins.annotation.annotations.nothing).toBeUndefined();
  });

  it("keeps 100 % below the plot's top, clear of the legend over it, as the LR chart keeps its top tick", () => {
    const data = dataOf([...narrow, ...wide]);
    for (const [config, top] of [
      [reachChart(data, light), 1],
      [lrChart(data, light), 0.6], // the seed's CyclicLR peaks at 0.5: the axis rounds 0.56 up to 0.6
    ] as const) {
      const canvas = createCanvas(960, 540);
      const chart = new Chart(canvas as never, config as never);
      chart.draw();
      expect(chart.scales.y.ticks.at(-1)!.value).toBe(top);
      const tick = chart.scales.y.getPixelForValue(top);
      const hitBoxes = (chart.legend as unknown as { legendHitBoxes: { top: number; height: number }[] }).legendHitBoxes;
      const legendBottom = Math.max(...hitBoxes.map((b) => b.top + b.height));
      const label = 12; // the tick font's size at scale 1: half of it above the tick's centre
      expect(tick - label / 2).toBeGreaterThan(legendBottom + 4);
      chart.destroy();
    }
  });
});

describe('the fit chart', () => {
  // f ≡ 1 on [0, 1] (its one unit is 1 everywhere, w2 = 0, b2 = 1): on the target wherever x > 0.1
  const flat = [0, 1, 0, 1];

  it('draws the target under the models, so a model on it shows', () => {
    const preset = narrowAndWide('per-model', 2000);
    const data: ChartData = { ...dataOf([]), models: [modelOf(0, 0, 0, 'capped', 1999, flat)] };
    const config = fitChart(data, { ...light, fitModels: [0], units: false });
    const canvas = createCanvas(960, 540);
    const chart = new Chart(canvas as never, config as never);
    chart.draw();
    const [x, y] = [chart.scales.x.getPixelForValue(0.6), chart.scales.y.getPixelForValue(1)];
    const [r, g, b] = canvas.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1).data;
    chart.destroy();
    expect(preset.groups[0].hidden).toEqual([1]);
    // the model's blue (hue 221), not the target's near-black #111827
    expect(b).toBeGreaterThan(r + 80);
    expect(b).toBeGreaterThan(g + 40);
  });

  it("names a sweep's models in its caption as the legend names their cells", () => {
    const swept = expandSweep(
      presetWith(
        { name: 'net', models: 2, hidden: [1] },
        { version: 2, sweep: { axes: [{ field: 'hidden', values: [[1], [2]], labels: ['1', '2'] }], curvesPerCell: 2 } },
      ),
    );
    const preset = swept.preset;
    const line = [1, 0.5, 1, 0]; // f(x) = x + 0.5 on [0, 1]: no kink inside, a straight line there
    const cell = preset.groups[0];
    const model: ChartModel = { ...modelOf(0, 0, 1, 'capped', 1999, line), group: cell.name };
    const config = fitChart(
      { preset, plateaus: experimentOf(preset).plateaus, sweep: swept.sweep, models: [model] },
      {
        ...light,
        fitModels: [0],
      },
    );
    const o = optionsOf(config);
    expect(o.plugins.legend.labels.generateLabels().map((e) => e.text)).toContain('1→1→1');
    expect(o.plugins.subtitle.text).toEqual([
      '1→1→1 #1: all kinks outside [0, 1], a straight line there: the best-line plateau',
      '1→1→1 #1: 1 of 1 units live on [0, 1]; each w2·act(w1·x + b1), fainter as |w2| is smaller; the model is act(Σ units + b2)',
    ]);
    expect(labelsOf(config)[1]).toBe(`${cell.name} #1`); // the dataset keeps the group's own name: what a click picks
  });
});

describe('a linear step axis', () => {
  // 20 steps, each model's loss stored at every one: a step is tens of pixels wide
  const preset = narrowAndWide('per-model', 20);
  const curves = { ...emptyCurves(), step: [...Array(20).keys()], lossVal: Array.from({ length: 20 }, (_, k) => 1 / (k + 1)) };
  const models = [0, 1].map((k) => ({ ...modelOf(k, k, 0, 'training'), curves: { ...curves, lossTrain: curves.lossVal } }));
  const data: ChartData = { preset, plateaus: experimentOf(preset).plateaus, models };

  it('draws the loss, bands and learning rate against the step itself, from 0, named "step"', () => {
    for (const spec of [lossChart, bandsChart, lrChart]) {
      const linear = optionsOf(spec(data, { ...light, linearSteps: true }));
      expect([linear.scales.x.type, linear.scales.x.min, linear.scales.x.max, linear.scales.x.title.text]).toEqual([
        'linear',
        0,
        20,
        'step',
      ]);
      const log = optionsOf(spec(data, light));
      expect([log.scales.x.type, log.scales.x.min, log.scales.x.title.text]).toEqual(['logarithmic', 1, 'step + 1']);
    }
    const first = (config: { data: { datasets: unknown[] } }) => (config.data.datasets as { data: { x: number }[] }[])[0].data[0].x;
    expect([first(lossChart(data, { ...light, linearSteps: true })), first(lossChart(data, light))]).toEqual([0, 1]);
  });

  it("draws CyclicLR's first peak at step 100 (step + 1 = 101 on the log axis)", () => {
    const long = { ...data, preset: narrowAndWide('per-model', 20_000) };
    const peak = (o: ChartOptions) => {
      const wide = (lrChart(long, o).data.datasets as { data: { x: number; y: number }[] }[])[1].data;
      return wide.reduce((a, b) => (b.y > a.y ? b : a));
    };
    const [linear, log] = [peak({ ...light, linearSteps: true }), peak(light)];
    expect([linear.x, log.x]).toEqual([100, 101]);
    expect([linear.y, log.y].map((y) => y.toFixed(12))).toEqual(['0.500000000000', '0.500000000000']); // maxLr, in float arithmetic
  });

  it("puts the timeline's cursor at the step, where the log axis puts it at step + 1", () => {
    const blue = [0x25, 0x63, 0xeb]; // the light theme's cursor
    for (const [linearSteps, offset] of [
      [true, 0],
      [false, 1],
    ] as const) {
      const canvas = createCanvas(960, 540);
      const chart = new Chart(canvas as never, lossChart(data, { ...light, linearSteps, step: 10 }) as never);
      const row = Math.round(chart.chartArea.top + 0.3 * (chart.chartArea.bottom - chart.chartArea.top));
      const isCursor = (x: number) => {
        const rgba = canvas.getContext('2d').getImageData(Math.floor(chart.scales.x.getPixelForValue(x)), row, 1, 1).data;
        return [rgba[0], rgba[1], rgba[2]].join() === blue.join();
      };
      expect([isCursor(10 + offset), isCursor(11 - offset)]).toEqual([true, false]);
      moveCursor(chart, 4);
      expect([isCursor(4 + offset), isCursor(10 + offset)]).toEqual([true, false]);
      chart.destroy();
    }
  });

  it('is what lab chart --linear-steps asks for, for those charts only', () => {
    const asked = parseCommand(['chart', 'result.json', '--chart', 'lr', '--linear-steps', '--out', 'lr.png']);
    expect(asked.command === 'chart' && asked.request.options.linearSteps).toBe(true);
    const plain = parseCommand(['chart', 'result.json', '--chart', 'lr', '--out', 'lr.png']);
    expect(plain.command === 'chart' && plain.request.options.linearSteps).toBeUndefined();
    expect(() => parseCommand(['chart', 'result.json', '--chart', 'fit', '--linear-steps', '--out', 'fit.png'])).toThrow(
      '--linear-steps: only for --chart loss, bands, lr (this is --chart fit)',
    );
  });
});

describe("the training loss smoothed (TensorBoard's debiased EMA)", () => {
  it('weighs each point drawn by weight^age, over the weights so far', () => {
    // 0.5: (1) / 1; (0.5·1 + 3) / 1.5; NaN kept and not counted; (0.25·1 + 0.5·3 + 2) / 1.75
    const ys = smoothed([1, 3, NaN, 2], 0.5);
    expect(ys[0]).toBe(1);
    expect(ys[1]).toBeCloseTo(3.5 / 1.5, 14);
    expect(ys[2]).toBeNaN();
    expect(ys[3]).toBeCloseTo(3.75 / 1.75, 14);
    expect(smoothed([0.3, 0.1, 0.2], 0)).toEqual([0.3, 0.1, 0.2]); // 0: as it was
    smoothed([2, 2, 2, 2], 0.9).forEach((y) => expect(y).toBeCloseTo(2, 14)); // a constant stays itself from the first point
  });

  it("is what an export asks for, with TensorBoard's range of weights (1 would freeze the curve at 0)", () => {
    const asked = (more: object) => ExportOptionsSchema.safeParse({ theme: 'light', legend: true, ...more }).success;
    expect([0, 0.6, 0.999].map((trainSmoothing) => asked({ trainSmoothing, linearSteps: true }))).toEqual([true, true, true]);
    expect([-0.1, 1, Number.NaN].map((trainSmoothing) => asked({ trainSmoothing }))).toEqual([false, false, false]);
  });

  it('draws the training curves smoothed where asked, and says so; validation stays as it was', () => {
    const preset = narrowAndWide('per-model', 20);
    const lossTrain = [1, 0.5, 1 / 3, 0.25];
    const curves = { ...emptyCurves(), step: [0, 1, 2, 3], lossVal: [0.9, 0.8, 0.7, 0.6], lossTrain };
    const data: ChartData = { preset, plateaus: experimentOf(preset).plateaus, models: [{ ...modelOf(0, 0, 0, 'training'), curves }] };
    const config = lossChart(data, { ...light, showTrain: true, trainSmoothing: 0.5 });
    const line = (label: string) =>
      (config.data.datasets as { label: string; data: { y: number }[] }[]).find((d) => d.label === label)!.data.map((p) => p.y);
    const training = line('narrow #0 (training)');
    expect(training[0]).toBe(1);
    expect(training[1]).toBeCloseTo(1 / 1.5, 14); // (0.5·1 + 0.5) / 1.5
    expect(training[2]).toBeCloseTo((0.25 + 0.25 + 1 / 3) / 1.75, 14);
    expect(line('narrow #0')).toEqual([0.9, 0.8, 0.7, 0.6]);
    expect((optionsOf(config).scales.y as unknown as { title: { text: string } }).title.text).toBe(
      'MSE loss (validation; training faint, smoothed 0.5)',
    );
    const plain = lossChart(data, { ...light, showTrain: true });
    const raw = (plain.data.datasets as { label: string; data: { y: number }[] }[]).find((d) => d.label === 'narrow #0 (training)')!;
    expect(raw.data.map((p) => p.y)).toEqual(lossTrain);
  });
});

describe("an export's right edge", () => {
  /** How far the rightmost pixel that is not the white background lies from the picture's right edge. */
  function emptyAtRight(data: ChartData, kind: 'loss' | 'lr' | 'reach' | 'fit' | 'heatmap', width: number, height: number): number {
    const config = exportConfig(data, { kind, format: 'png', width, height, pixelRatio: 1, options: { ...light, fitModels: [0] } });
    const canvas = createCanvas(width, height);
    const chart = new Chart(canvas as never, config as never);
    chart.draw();
    const px = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    chart.destroy();
    for (let x = width - 1; x >= 0; x--)
      for (let y = 0; y < height; y++)
        if (px[4 * (y * width + x)] + px[4 * (y * width + x) + 1] + px[4 * (y * width + x) + 2] < 700) return width - 1 - x;
    return width;
  }

  it('is reached by the last tick label, or by the colour bar and its labels: no room is left empty', () => {
    const plain = dataOf([modelOf(0, 0, 0, 'capped', 1999, [0, 1, 0, 1]), modelOf(1, 1, 0, 'reached', 599)]);
    const swept = expandSweep(
      presetWith(
        { name: 'net', models: 1, hidden: [1] },
        { version: 2, sweep: { axes: [{ field: 'hidden', values: [[1], [2]], labels: ['1', '2'] }], curvesPerCell: 1 } },
      ),
    );
    const cells: ChartData = {
      preset: swept.preset,
      plateaus: experimentOf(swept.preset).plateaus,
      sweep: swept.sweep,
      models: swept.preset.groups.map((g, k) => ({ ...modelOf(k, k, 0, 'capped', 199), group: g.name })),
    };
    for (const [width, height] of [
      [1920, 1080],
      [960, 540],
    ]) {
      const s = width / 960; // the scale the export draws at
      for (const kind of ['loss', 'lr', 'reach', 'fit'] as const)
        expect(emptyAtRight(plain, kind, width, height), kind).toBeLessThanOrEqual(9 * s);
      expect(emptyAtRight(cells, 'heatmap', width, height), 'heatmap').toBeLessThanOrEqual(6 * s);
    }
  });
});
