// One model followed across the charts (core/charts/highlight.ts): in the loss, bands, finals, fit and
// kink-path charts it is drawn over every other dataset and stronger, the other models fade, and a chart
// with none followed draws as before. The export request carries it.
import { describe, expect, it } from 'vitest';
import type { ChartData, ChartModel } from '../core/charts/data.ts';
import { finalsChart } from '../core/charts/finals.ts';
import { fitChart } from '../core/charts/fit.ts';
import { kinksChart } from '../core/charts/kinks.ts';
import { lossChart } from '../core/charts/loss.ts';
import { ExportOptionsSchema, type ChartOptions } from '../core/charts/request.ts';
import { emptyCurves } from '../core/results/curves.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { narrowAndWide } from './helpers.ts';

const FOLLOWED = 4; // the second of the four wide models

/** The narrow-and-wide preset's 3 narrow (1→1→1) and 4 wide (1→8→1) models, finished, each with a curve, weights and two snapshots. */
function dataOf(): ChartData {
  const preset = narrowAndWide('per-model', 2000);
  const models: ChartModel[] = Array.from({ length: 7 }, (_, id) => {
    const wide = id >= 3;
    const hidden = wide ? 8 : 1;
    const curves = emptyCurves();
    curves.step.push(0, 10, 100, 1999);
    curves.lossVal.push(0.9, 0.2, 0.07 - id * 0.001, 0.066 - id * 0.005);
    curves.lossTrain.push(0.9, 0.2, 0.07, 0.066);
    // W1 (alternating signs), b1, W2, b2: kinks inside [0, 1]
    const params = [
      ...Array.from({ length: hidden }, (_, j) => (j % 2 ? -1 : 1) * (1 + j + id)),
      ...Array.from({ length: hidden }, (_, j) => (j % 2 ? 0.5 : -0.5) * (1 + j + id) * 0.6),
      ...Array.from({ length: hidden }, (_, j) => 0.3 + 0.1 * j),
      0.05,
    ];
    return {
      id,
      group: wide ? 'wide' : 'narrow',
      groupIndex: wide ? 1 : 0,
      index: wide ? id - 3 : id,
      curves,
      params,
      lossFinal: 0.066 - id * 0.005,
      lossBest: 0.066 - id * 0.005,
      status: 'capped',
      steps: 1999,
      outcome: 'line',
      snapshots: { step: [0, 1999], params: [params.map((p) => p * 0.5), params] },
    };
  });
  return { preset, plateaus: experimentOf(preset).plateaus, models };
}

type Drawn = { type?: string; model?: number; order?: number; borderWidth?: number; borderColor?: string; label: string };
const datasetsOf = (config: { data: { datasets: unknown[] } }) => config.data.datasets as Drawn[];
/** The opacity of an hsla() colour. */
const alphaOf = (color: string) => Number(/hsla\([^)]*,\s*([\d.]+)\)$/.exec(color)![1]);

/** The datasets of model `id` and of every other model (not the target, bands or reference lines). */
function split(datasets: Drawn[], id: number) {
  const models = datasets.filter((d) => d.model !== undefined);
  return {
    mine: models.filter((d) => d.model === id),
    others: models.filter((d) => d.model !== id),
    rest: datasets.filter((d) => d.model === undefined),
  };
}

describe('following one model across the charts', () => {
  const data = dataOf();
  const plain: ChartOptions = { theme: 'light', fitModels: [0, 3, FOLLOWED] };
  const followed: ChartOptions = { ...plain, highlight: FOLLOWED };

  it.each([
    ['loss, each curve', (o: ChartOptions) => lossChart(data, o, 'runs')],
    ['loss as bands', (o: ChartOptions) => lossChart(data, o, 'band')],
    ['fit', (o: ChartOptions) => fitChart(data, o)],
    ['kink paths', (o: ChartOptions) => kinksChart(data, o)],
  ])('%s: draws it on top, twice as thick, and fades every other model', (_, chart) => {
    const before = split(datasetsOf(chart(plain)), FOLLOWED);
    const after = split(datasetsOf(chart(followed)), FOLLOWED);
    expect(after.mine.length).toBeGreaterThan(0);
    expect(after.others.length).toBe(before.others.length);
    // Chart.js draws the lowest order last: above every other model and above the target, bands and units
    const lowest = Math.min(...[...after.others, ...after.rest].map((d) => d.order ?? 0));
    for (const d of after.mine) expect(d.order ?? 0).toBeLessThan(lowest);
    // the lines (a fit's kink markers keep their outline)
    const lines = (ds: Drawn[]) => ds.filter((d) => d.type !== 'scatter');
    lines(after.mine).forEach((d, k) => expect(d.borderWidth).toBeGreaterThanOrEqual(2 * lines(before.mine)[k].borderWidth!));
    lines(after.others).forEach((d, k) =>
      expect(alphaOf(d.borderColor!)).toBeLessThanOrEqual(0.3 * alphaOf(lines(before.others)[k].borderColor!) + 1e-9),
    );
    // nothing followed: every model drawn as it was, none above another
    for (const d of [...before.mine, ...before.others]) expect(d.order ?? 0).toBe(0);
  });

  it('lifts the followed model out of its band as a curve in its group’s dash', () => {
    const band = datasetsOf(lossChart(data, followed, 'band'));
    const mine = band.find((d) => d.model === FOLLOWED)! as Drawn & { borderDash: number[] };
    const median = band.find((d) => d.label.startsWith('wide median'))! as Drawn & { borderDash: number[] };
    expect(mine.borderDash).toEqual(median.borderDash);
    const inBand = band.filter((d) => d.model !== undefined && d.model !== FOLLOWED && d.label.startsWith('wide'));
    for (const d of inBand) expect(alphaOf(d.borderColor!)).toBeLessThan(0.1);
  });

  it('finals: rings its point, larger, drawn last in its column; the others fade', () => {
    type Points = Drawn & { data: { model: number }[]; pointRadius: number[]; backgroundColor: string[]; borderColor: string[] };
    const [, wide] = datasetsOf(finalsChart(data, followed)) as Points[];
    const [, plainWide] = datasetsOf(finalsChart(data, plain)) as Points[];
    expect(wide.data.at(-1)!.model).toBe(FOLLOWED);
    const last = wide.data.length - 1;
    expect(wide.pointRadius[last]).toBeGreaterThan(1.5 * wide.pointRadius[0]);
    expect(wide.borderColor[last]).toBe('#1f2937'); // the light theme's text colour
    for (let k = 0; k < last; k++) expect(alphaOf(wide.backgroundColor[k])).toBeLessThan(alphaOf(plainWide.backgroundColor[0]));
    // every point is still there, at the same place
    expect(wide.data.map((p) => p.model).sort()).toEqual(plainWide.data.map((p) => p.model).sort());
  });

  it('goes into an export request, a model id or nothing', () => {
    const request = { theme: 'light', legend: true };
    expect(ExportOptionsSchema.parse({ ...request, highlight: FOLLOWED }).highlight).toBe(FOLLOWED);
    expect(ExportOptionsSchema.safeParse({ ...request, highlight: -1 }).success).toBe(false);
    expect(ExportOptionsSchema.safeParse({ ...request, highlight: 0.5 }).success).toBe(false);
  });
});
