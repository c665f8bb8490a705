// The loss landscape's charts (core/charts/landscape.ts, slice.ts): the plane's cells on a log colour scale,
// contours where the loss crosses each level (the plateaus among them, named as the loss chart names them),
// the trajectory where the plane puts it; the slice through the initial and final parameters; and what each
// says without a plane.
import { describe, expect, it } from 'vitest';
import { chartDataOf } from '../core/charts/data.ts';
import type { HeatDataset } from '../core/charts/heatmap.ts';
import { contourPath, landscapeChart } from '../core/charts/landscape.ts';
import { sliceChart } from '../core/charts/slice.ts';
import type { Landscape } from '../core/results/landscape.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { landscapeOf } from '../electron/engine/landscape.ts';
import { makeTrainer, trainOwnStreams } from '../electron/engine/streams.ts';
import { presetWith, quietHooks } from './helpers.ts';

const preset = presetWith({ models: 1 }, { stop: { maxSteps: 3001, lossLimit: 0.005 } });
const exp = experimentOf(preset);
const [model] = trainOwnStreams(
  exp,
  exp.models,
  makeTrainer(exp, 'fused', () => quietHooks, null),
);
const data = chartDataOf({ preset, plateaus: exp.plateaus, models: [model] });
const plane = landscapeOf(exp, model, { directions: 'pca', grid: 41, seed: 0 });

type Drawn = { label: string; data: { x: number; y: number; loss?: number }[]; heat?: HeatDataset['heat']; borderDash?: number[] };
const drawn = (config: { data: { datasets: unknown[] } }) => config.data.datasets as Drawn[];
const named = (datasets: Drawn[], label: string) => datasets.find((d) => d.label === label);
const caption = (config: { options?: unknown }) => (config.options as { plugins: { subtitle: { text: string[] } } }).plugins.subtitle.text;

/** A plane by hand: loss = exp(α) along α, whatever β; every contour of it is the line α = log(level). */
function ramp(): Landscape {
  const axis = Array.from({ length: 21 }, (_, i) => -1 + i / 10);
  return {
    ...plane,
    directions: 'random',
    trajectory: null,
    alpha: axis,
    beta: axis,
    span: 1,
    loss: axis.map(() => axis.map((a) => Math.exp(a))),
  };
}

describe('the loss landscape chart', () => {
  const config = landscapeChart({ ...data, landscape: plane }, { theme: 'light' });
  const datasets = drawn(config);
  const names = (config.options as { plugins: { annotation: { annotations: Record<string, { content: string }> } } }).plugins.annotation
    .annotations;

  it("colours each of the plane's points as a cell, on a log scale", () => {
    const cells = datasets[0];
    expect(cells.data).toHaveLength(41 * 41);
    expect(cells.data[41 * 7 + 3]).toMatchObject({ x: plane.alpha[3], y: plane.beta[7], loss: plane.loss[7][3] });
    // on the bar, each decade the same height: log
    const flat = drawn(landscapeChart({ ...data, landscape: ramp() }, { theme: 'light' }));
    const position = (text: string) => flat[0].heat!.ticks.find((t) => t.text === text)!.position;
    expect(position('0.5') - position('1')).toBeCloseTo(Math.log(2) / 2, 12); // e^−1 … e^1: 2 units of log loss from top to bottom
    expect(position('1') - position('2')).toBeCloseTo(Math.log(2) / 2, 12);
    expect(position('0.5')).toBeGreaterThan(position('2')); // lower loss higher, brighter
  });

  it('draws contours at 1-2-5 levels and at the plateaus it crosses, named as the loss chart names them', () => {
    const levels: [string, number][] = [
      ['best line', exp.plateaus.line],
      ['best constant', exp.plateaus.constant],
      ['zero output', exp.plateaus.zero!],
    ];
    const low = Math.min(...plane.loss.flat());
    const high = Math.max(...plane.loss.flat());
    for (const [name, value] of levels) {
      const label = `${name} ${value.toPrecision(3)}`;
      const contour = named(datasets, label);
      if (value <= low || value >= high) {
        expect(contour).toBeUndefined();
        continue;
      }
      expect(contour!.borderDash!.length).toBeGreaterThan(0);
      expect(contour!.data.length).toBeGreaterThan(2);
      expect(datasets[0].heat!.ticks.map((t) => t.text)).toContain(label);
      // named on the line, as the loss chart names its lines
      expect(Object.values(names).map((n) => n.content)).toContain(`${name}: loss ${value.toPrecision(3)}`);
    }
    expect(levels.filter(([, v]) => v > low && v < high).length).toBeGreaterThan(0); // the test drew some
    expect(datasets.filter((d) => d.label.startsWith('contour: loss ')).map((d) => d.label)).toContain('contour: loss 0.1');
  });

  it('puts a contour where the loss crosses its level, between grid points, and not along the edges', () => {
    for (const level of [0.5, 1, 2]) {
      const path = contourPath(ramp(), level).filter((p) => !Number.isNaN(p.x));
      expect(path.length).toBeGreaterThan(2);
      for (const p of path) expect(p.x).toBeCloseTo(Math.log(level), 10);
      expect([Math.min(...path.map((p) => p.y)), Math.max(...path.map((p) => p.y))]).toEqual([-1, 1]); // across the grid, sample to sample
    }
  });

  it('draws the trajectory where the plane puts it, its start and the centre marked', () => {
    const path = named(datasets, 'trajectory')!;
    expect(path.data.map((p) => p.x)).toEqual(plane.trajectory!.alpha);
    expect(path.data.map((p) => p.y)).toEqual(plane.trajectory!.beta);
    expect(named(datasets, 'step 0')!.data).toEqual([{ x: plane.trajectory!.alpha[0], y: plane.trajectory!.beta[0] }]);
    expect(named(datasets, 'step 3,000')!.data).toEqual([{ x: 0, y: 0 }]);
    expect(named(datasets, 'trajectory later')).toBeUndefined(); // the plane is at the last step: nothing after it
    // a plane at an earlier step: the path solid up to it, dashed where the model went after
    const early = landscapeOf(exp, model, { directions: 'pca', grid: 3, seed: 0, step: 57 });
    const split = drawn(landscapeChart({ ...data, landscape: early }, { theme: 'light' }));
    const k = early.trajectory!.step.indexOf(57);
    const xy = (j: number) => ({ x: early.trajectory!.alpha[j], y: early.trajectory!.beta[j] });
    expect(named(split, 'trajectory')!.data).toEqual(early.trajectory!.step.slice(0, k + 1).map((_, j) => xy(j)));
    expect(named(split, 'trajectory later')!.data).toEqual(early.trajectory!.step.slice(k).map((_, j) => xy(k + j)));
    expect(named(split, 'trajectory later')!.borderDash!.length).toBeGreaterThan(0);
    const random = drawn(landscapeChart({ ...data, landscape: ramp() }, { theme: 'light' }));
    expect(named(random, 'trajectory')).toBeUndefined();
    expect(named(random, 'step 3,000')!.data).toEqual([{ x: 0, y: 0 }]);
  });

  it('says why it draws nothing without a plane', () => {
    const empty = landscapeChart(data, { theme: 'light' });
    expect(empty.data.datasets).toEqual([]);
    expect(caption(empty)[0]).toMatch(/^no landscape computed for this run: lab landscape RESULT --model GROUP#INDEX --out/);
  });
});

describe('the slice chart', () => {
  it('draws the loss from the initial (t = 0) to the final (t = 1) parameters, both marked', () => {
    const datasets = drawn(sliceChart({ ...data, landscape: plane }, { theme: 'light' }));
    expect(datasets[0].data).toEqual(plane.slice.t.map((t, k) => ({ x: t, y: plane.slice.loss[k] })));
    expect(datasets[1].data).toEqual([
      { x: 0, y: model.lossInit },
      { x: 1, y: model.lossFinal },
    ]);
    expect(caption(sliceChart(data, { theme: 'light' }))[0]).toMatch(/^no landscape computed for this run/);
  });
});
