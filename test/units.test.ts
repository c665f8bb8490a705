// A 1 → H → 1 network's hidden units (core/model/network.ts hiddenUnits) and where the charts draw them:
// under the fit (core/charts/fit.ts), faded by their weight out, dead ones grey; on the kink paths
// (core/charts/kinks.ts), faded alike, with the output's own bend and the live units over time; and the
// timeline's cursor on every chart against step.
import { describe, expect, it } from 'vitest';
import type { ChartData, ChartModel } from '../core/charts/data.ts';
import { createCanvas } from '@napi-rs/canvas';
import { moveCursor } from '../core/charts/cursor.ts';
import { fitChart } from '../core/charts/fit.ts';
import { kinksChart } from '../core/charts/kinks.ts';
import { bandsChart, lossChart } from '../core/charts/loss.ts';
import { lrChart } from '../core/charts/lr.ts';
import { Chart } from '../core/charts/register.ts';
import type { ChartOptions } from '../core/charts/request.ts';
import { bendsOf, hiddenUnits, shapeOf, unitKinks } from '../core/model/network.ts';
import type { Activation, Group } from '../core/preset/preset.ts';
import { emptyCurves } from '../core/results/curves.ts';
import { PointSet } from '../electron/engine/data.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { DirectKernel } from '../electron/engine/kernels/direct.ts';
import { presetWith } from './helpers.ts';

const groupOf = (hidden: number[], activation: Activation, outputActivation = true): Group =>
  presetWith({ hidden, activation, outputActivation }).groups[0];
const LEAKY: Activation = { kind: 'leaky_relu', negativeSlope: 0.01 };

/**
 * The output's pre-activation z(x) by the direct kernel, the oracle the trained kernels are tested against:
 * with no output activation and the one sample (x, 0), the MSE's gradient on b2 is 2·z(x).
 */
function preActivationByDirect(group: Group, params: ArrayLike<number>, x: number): number {
  const none = new PointSet(Float64Array.of(0), Float64Array.of(0), true);
  const kernel = new DirectKernel({ ...group, outputActivation: false }, Float32Array.from(params), none);
  kernel.trainLoss({ x: Float64Array.of(x), y: Float64Array.of(0), points: null });
  kernel.backward();
  return kernel.grad[shapeOf(group.hidden).biasAt[1]] / 2;
}

/** Fixed parameters of a 1 → width → 1 network, each exact in float32 (the direct kernel's type). */
const paramsOf = (width: number, seed: number) =>
  Array.from({ length: shapeOf([width]).size }, (_, i) => Math.fround(2 * Math.sin(7.3 * i + seed)));

// a 1→3→1 network by hand: [w1₀, w1₁, w1₂, b1₀, b1₁, b1₂, w2₀, w2₁, w2₂, b2]
// unit 0: kink 0.5, z(1) = 0.5 > 0: live; unit 1: z ≤ −0.25 on [0, 1]: dead; unit 2: z(1) = 0, its kink: dead
const HAND = [1, -1, 4, -0.5, -0.25, -4, 2, 0.5, 1, 0.1];

describe('hidden units', () => {
  it("sum with b2 to the output's pre-activation, as the direct kernel computes it", () => {
    const xs = [0, 0.03, 0.1, 0.25, 0.5, 0.77, 1];
    const cases: [Group, number[]][] = [
      [groupOf([1], LEAKY), paramsOf(1, 1)],
      [groupOf([3], { kind: 'relu' }), paramsOf(3, 2)],
      [groupOf([8], LEAKY), paramsOf(8, 3)],
      [groupOf([8], LEAKY, false), paramsOf(8, 4)],
      [groupOf([5], { kind: 'tanh' }), paramsOf(5, 5)],
      [groupOf([3], LEAKY), HAND.map(Math.fround)],
    ];
    for (const [group, params] of cases) {
      const { units, b2 } = hiddenUnits(group, params, xs)!;
      expect(units).toHaveLength(group.hidden[0]);
      xs.forEach((x, i) => {
        const z = preActivationByDirect(group, params, x);
        expect(units.reduce((sum, u) => sum + u.ys[i], b2)).toBeCloseTo(z, 12);
      });
    }
    expect(hiddenUnits(groupOf([3, 2], LEAKY), paramsOf(3, 1).concat(paramsOf(3, 1)), xs)).toBeNull(); // two hidden layers: no units
  });

  it("bend where core's unitKinks and bendsOf say, and carry their weight out", () => {
    for (const seed of [1, 2, 3, 4]) {
      const group = groupOf([8], LEAKY);
      const params = paramsOf(8, seed);
      const { units } = hiddenUnits(group, params, [])!;
      expect(units.map((u) => u.kink)).toEqual(unitKinks(group, params));
      const hidden = bendsOf(group, params).filter((b) => b.source === 'hidden');
      const inside = units.filter((u) => u.kink !== null && u.kink >= 0 && u.kink <= 1 && u.weightOut !== 0);
      expect(inside.map((u) => u.kink).sort((a, b) => a! - b!)).toEqual(hidden.map((b) => b.x));
      expect(units.map((u) => u.weightOut)).toEqual(params.slice(16, 24));
    }
    const hand = hiddenUnits(groupOf([3], LEAKY), HAND, [])!;
    expect(hand.units.map((u) => u.kink)).toEqual([0.5, -0.25, 1]);
    expect(hand.b2).toBe(0.1);
    // an activation that does not bend has no kinks
    expect(hiddenUnits(groupOf([3], { kind: 'tanh' }), HAND, [])!.units.map((u) => u.kink)).toEqual([null, null, null]);
  });

  it('are dead on [0, 1] where their pre-activation is nowhere above 0 there', () => {
    const live = (activation: Activation, params: number[]) => hiddenUnits(groupOf([3], activation), params, [])!.units.map((u) => u.live);
    expect(live(LEAKY, HAND)).toEqual([true, false, false]);
    expect(live({ kind: 'relu' }, HAND)).toEqual([true, false, false]);
    // just above 0 at x = 1 is live; w = 0 is live by its bias alone; a diverged unit is dead
    expect(live(LEAKY, [4, 0, 0, -3.999, 0.3, NaN, 1, 1, 1, 0])).toEqual([true, true, false]);
    expect(live(LEAKY, [0, 0, 1, 0, 0.3, 0, 1, 1, NaN, 0])).toEqual([false, true, false]);
    // activations with no inactive side
    expect(live({ kind: 'tanh' }, HAND)).toEqual([true, true, true]);
    expect(live({ kind: 'linear' }, HAND)).toEqual([true, true, true]);
  });
});

/** One model of `group` with `params` (and snapshots, where given) as the charts take it. */
function dataOf(group: Group, params: number[][], steps?: number[], others = 0): ChartData {
  const preset = presetWith({ ...group, models: 1 + others }, { stop: { maxSteps: 10_000, lossLimit: 0.005 } });
  const models: ChartModel[] = Array.from({ length: 1 + others }, (_, index) => ({
    id: index,
    group: 'g',
    groupIndex: 0,
    index,
    curves: emptyCurves(),
    params: params.at(-1)!,
    lossFinal: null,
    status: 'training',
    ...(steps ? { snapshots: { step: steps, params } } : {}),
  }));
  return { preset, plateaus: experimentOf(preset).plateaus, models };
}

type Shown = {
  type: string;
  label: string;
  data: { x: number; y: number }[];
  borderColor: string;
  borderDash?: number[];
  pointRotation?: number[];
};
const datasetsOf = (config: { data: { datasets: unknown[] } }) => config.data.datasets as Shown[];
const optionsOf = (config: { options?: unknown }) =>
  config.options as {
    plugins: {
      subtitle: { text: string[] };
      legend: { labels: { generateLabels: () => { text: string }[] } };
      annotation: { annotations: Record<string, Annotation> };
    };
    scales: { x: { type: string; min: number }; y: { min: number; max: number } };
  };
type Annotation = { xMin: number; xMax: number; label: { content: string } };
/** The fit chart's unit lines (not their kink dots or the triangles where they leave the plot). */
const unitLines = (config: { data: { datasets: unknown[] } }) =>
  datasetsOf(config).filter((d) => d.type === 'line' && d.label.includes(' unit '));
const alphaOf = (color: string) => Number(/([\d.]+)\)$/.exec(color)![1]);

describe('the fit chart with units', () => {
  const light: ChartOptions = { theme: 'light', fitModels: [0] };

  it("draws each unit thin in its model's colour faded by |w2|, dead ones grey, each kink dotted, and says how many are live", () => {
    const config = fitChart(dataOf(groupOf([3], LEAKY), [HAND]), light);
    const units = unitLines(config);
    expect(units.map((d) => d.label)).toEqual([
      'g #0 unit 0 (w2 2.00)',
      'g #0 unit 1 (w2 0.500, dead on [0, 1])',
      'g #0 unit 2 (w2 1.00, dead on [0, 1])',
    ]);
    expect(units[0].borderColor).toMatch(/^hsla\(221, /); // the first colour family's hue
    expect(alphaOf(units[0].borderColor)).toBe(1); // the largest weight out
    expect(units[1].borderColor).toBe('rgba(107, 114, 128, 0.8)');
    expect(units[1].borderDash!.length).toBe(2);
    // each unit's value is w2·act(w1x + b1): unit 0 at x = 1 is 2 · 0.5, unit 1 at x = 0 is 0.5 · 0.01 · −0.25
    expect(units[0].data.at(-1)).toEqual({ x: 1, y: 1 });
    expect(units[1].data[0].y).toBeCloseTo(-0.00125, 15);
    const dots = datasetsOf(config).filter((d) => d.label.endsWith(' kink') && d.label.includes(' unit '));
    expect(dots.map((d) => d.data)).toEqual([[{ x: 0.5, y: 0 }], [{ x: 1, y: 0 }]]); // unit 1's kink is outside [0, 1]
    const o = optionsOf(config);
    expect(o.plugins.subtitle.text).toEqual([
      'g · 1→3→1 #0: 1 of 3 units live on [0, 1]; each w2·act(w1·x + b1), fainter as |w2| is smaller; the model is act(Σ units + b2)',
    ]);
    // the sum, dashed: at x = 0, 2 · 0.01 · −0.5 + 0.5 · 0.01 · −0.25 + 0.01 · −4 + 0.1
    const sum = datasetsOf(config).find((d) => d.label === 'g #0 Σ units + b2')!;
    expect(sum.data[0].y).toBeCloseTo(0.04875, 15);
    expect(sum.borderDash!.length).toBe(2);
    expect(o.plugins.legend.labels.generateLabels().map((e) => e.text)).toEqual(expect.arrayContaining(['hidden unit', 'dead on [0, 1]']));
  });

  it('fades a unit by its weight out beside the largest', () => {
    const params = [1, 1, 1, -0.5, -0.25, 0, 2, 0.5, -1, 0]; // all live; |w2| 2, 0.5, 1
    const units = unitLines(fitChart(dataOf(groupOf([3], LEAKY), [params]), light));
    expect(units.map((d) => alphaOf(d.borderColor))).toEqual([1, 0.475, 0.65]); // 0.3 + 0.7 · |w2| / 2
  });

  it('draws units when it draws one model, unless told otherwise', () => {
    const two = dataOf(groupOf([3], LEAKY), [HAND], undefined, 1);
    const drawn = (o: ChartOptions) => unitLines(fitChart(two, o)).map((d) => d.label.split(' (')[0]);
    expect(drawn({ theme: 'light', fitModels: [0] })).toEqual(['g #0 unit 0', 'g #0 unit 1', 'g #0 unit 2']);
    expect(drawn({ theme: 'light', fitModels: [0, 1] })).toEqual([]);
    expect(drawn({ theme: 'light', fitModels: [0, 1], units: true })).toHaveLength(6);
    expect(drawn({ theme: 'light', fitModels: [0], units: false })).toEqual([]);
  });

  it('keeps the fit in view: a unit far beyond it runs off the plot, marked where it leaves', () => {
    const big = [1, -1, 4, -0.5, -0.25, -4, 50, 0.5, 1, -25]; // b2 cancels: the model stays low, the unit climbs to 25
    const cut = fitChart(dataOf(groupOf([3], LEAKY), [big]), light);
    const y = optionsOf(cut).scales.y;
    const model = datasetsOf(cut)
      .find((d) => d.label === 'g #0')!
      .data.map((p) => p.y);
    const span = Math.max(...model, 1) - Math.min(...model, 0); // the fit's: the model and the 0-to-1 target
    // the unit climbs to 25 and the sum falls to −25.3: each end stretched by one fit range, then padded
    const [low, high] = [Math.min(...model, 0) - span, Math.max(...model, 1) + span];
    expect([y.min, y.max]).toEqual([low - 0.08 * (high - low), high + 0.08 * (high - low)]);
    const exit = datasetsOf(cut).find((d) => d.label.startsWith('g #0 unit 0') && d.label.endsWith('beyond the plot'))!;
    expect(exit.data).toHaveLength(1);
    expect(exit.data[0].y).toBe(y.max);
    expect(exit.pointRotation).toEqual([0]);
    const legend = optionsOf(cut)
      .plugins.legend.labels.generateLabels()
      .map((e) => e.text);
    expect(legend).toContain('beyond the plot');
    expect(
      optionsOf(fitChart(dataOf(groupOf([3], LEAKY), [HAND]), light))
        .plugins.legend.labels.generateLabels()
        .map((e) => e.text),
    ).not.toContain('beyond the plot');
  });

  it('says the step it shows in its title', () => {
    const title = (o: ChartOptions) =>
      (fitChart(dataOf(groupOf([3], LEAKY), [HAND]), o).options as { plugins: { title: { text: string } } }).plugins.title.text;
    expect(title({ ...light, step: 12_345 })).toBe('Fitted function at step 12,345');
    expect(title(light)).toBe('Fitted function against the target');
  });
});

describe('the kink paths', () => {
  it('fade each unit by its weight out at each snapshot, draw the output bend, and count the live units in the caption', () => {
    // a 1→2→1 network by hand, [w1₀, w1₁, b1₀, b1₁, w2₀, w2₁, b2]; z(x) = w2₀·act(w1₀x + b1₀) + … + b2
    const rows = [
      [1, 1, -0.5, -0.2, 0.5, 1, -0.25], // both live; w2 0.5 and 1
      [1, 0.1, -0.5, -0.2, 1, 0.25, -0.25], // unit 1 dead (0.1x − 0.2 < 0 on [0, 1]); w2 1 and 0.25
      [1, 0.1, -0.5, -0.2, 0.5, 1, -0.25], // unit 1 dead; w2 0.5 and 1
    ];
    const data = dataOf(groupOf([2], LEAKY), rows, [0, 10, 1000]);
    const config = kinksChart(data, { theme: 'light', fitModels: [0] });
    const paths = config.data.datasets as unknown as (Shown & { segment: { borderColor: (ctx: object) => string } })[];
    const alphaTo = (unit: number, k: number) => alphaOf(paths[unit].segment.borderColor({ p0DataIndex: k - 1, p1DataIndex: k }));
    // a stroke takes its end's snapshot: 0.3 + 0.7 · |w2ⱼ| / the largest there
    expect([alphaTo(0, 1), alphaTo(1, 1)]).toEqual([1, 0.475]);
    expect([alphaTo(0, 2), alphaTo(1, 2)]).toEqual([0.65, 1]);
    // the output's bend where z crosses 0, as bendsOf finds it, at each snapshot
    const bend = paths.find((d) => d.label === 'g #0 output bend')!;
    const group = data.preset.groups[0];
    expect(bend.data.map((p) => p.y)).toEqual(rows.map((row) => bendsOf(group, row, -0.25, 1.25).find((b) => b.source === 'output')!.x));
    expect(bend.data.map((p) => p.x)).toEqual([1, 11, 1001]);
    // snapshot 0 between the kinks 0.2 and 0.5: z = 0.5 · 0.01 · (x − 0.5) + (x − 0.2) − 0.25 = 1.005x − 0.4525
    expect(bend.data[0].y).toBeCloseTo(0.4525 / 1.005, 9);
    expect(optionsOf(config).plugins.subtitle.text).toEqual([
      "hidden units' kinks of g #0 (live on [0, 1]: 2 of 2, 1 from step 10); dashed: the output's bend",
    ]);
  });
});

describe('the timeline cursor', () => {
  it('is a line at step + 1 on the log step axis of the loss, bands, learning-rate and kink charts; moveCursor moves it', () => {
    const data = dataOf(groupOf([3], LEAKY), [HAND, HAND], [0, 5000]);
    const blue = [0x25, 0x63, 0xeb]; // the light theme's cursor
    for (const spec of [lossChart, bandsChart, lrChart, kinksChart]) {
      const canvas = createCanvas(960, 540);
      const chart = new Chart(canvas as never, spec(data, { theme: 'light', step: 1234, fitModels: [0] }) as never);
      expect([chart.scales.x.type, chart.scales.x.min]).toEqual(['logarithmic', 1]);
      // a row below the label's plate, and the column whose pixel the 2-pixel line covers whole
      const row = Math.round(chart.chartArea.top + 0.3 * (chart.chartArea.bottom - chart.chartArea.top));
      const isCursor = (step: number) => {
        const rgba = canvas.getContext('2d').getImageData(Math.floor(chart.scales.x.getPixelForValue(step + 1)), row, 1, 1).data;
        return [rgba[0], rgba[1], rgba[2]].join() === blue.join();
      };
      expect([isCursor(1234), isCursor(40)]).toEqual([true, false]);
      moveCursor(chart, 40);
      expect([isCursor(1234), isCursor(40)]).toEqual([false, true]);
      chart.destroy();
      // without a step, none: no pixel of the row is the cursor's
      const bare = createCanvas(960, 540);
      const none = new Chart(bare as never, spec(data, { theme: 'light', fitModels: [0] }) as never);
      const pixels = bare.getContext('2d').getImageData(0, row, 960, 1).data;
      expect(Array.from({ length: 960 }, (_, x) => [pixels[4 * x], pixels[4 * x + 1], pixels[4 * x + 2]].join())).not.toContain(
        blue.join(),
      );
      none.destroy();
    }
  });
});
