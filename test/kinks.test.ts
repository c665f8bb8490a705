// The kink paths chart (core/charts/kinks.ts): each hidden unit's kink −b1ⱼ / w1ⱼ at each snapshot, pinned
// to the view's edge beyond it, [0, 1] shaded, the target's break marked; and why it draws nothing where
// it cannot.
import { describe, expect, it } from 'vitest';
import { chartDataOf } from '../core/charts/data.ts';
import { KINK_VIEW, kinksChart } from '../core/charts/kinks.ts';
import { shapeOf } from '../core/model/network.ts';
import { targetBreaks } from '../core/model/target.ts';
import type { Preset } from '../core/preset/preset.ts';
import type { Snapshots } from '../core/results/snapshots.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { makeTrainer, trainOwnStreams } from '../electron/engine/streams.ts';
import { presetWith, quietHooks } from './helpers.ts';

/** A run of `preset` as the charts take it, with its snapshots. */
function charted(preset: Preset) {
  const exp = experimentOf(preset);
  const trained = trainOwnStreams(
    exp,
    exp.models,
    makeTrainer(exp, 'fused', () => quietHooks, null),
  );
  const snapshots = new Map<number, Snapshots>(trained.map((m) => [m.id, m.snapshots]));
  return { data: chartDataOf({ preset, plateaus: exp.plateaus, models: trained }, snapshots), trained };
}

type Path = { label: string; data: { x: number; y: number }[]; kink: (number | null)[]; pointRadius: number[] };

describe('the kink paths', () => {
  const preset = presetWith({ models: 1, hidden: [4] }, { stop: { maxSteps: 3001, lossLimit: 0 } });
  const { data, trained } = charted(preset);
  const config = kinksChart(data, { theme: 'light', fitModels: [0] });
  const paths = config.data.datasets as unknown as Path[];

  it("draw each unit's kink −b / w at each snapshot's step + 1, pinned to the view's edge beyond it", () => {
    const shape = shapeOf([4]);
    const { step, params } = trained[0].snapshots;
    expect(paths.map((p) => p.label)).toEqual(['g #0 unit 1', 'g #0 unit 2', 'g #0 unit 3', 'g #0 unit 4']);
    paths.forEach((path, j) => {
      expect(path.data.map((p) => p.x)).toEqual(step.map((t) => t + 1));
      params.forEach((row, k) => {
        const w = row[shape.weightAt[0] + j];
        const kink = w === 0 ? null : -row[shape.biasAt[0] + j] / w;
        expect(path.kink[k]).toBe(kink);
        if (kink === null) expect(path.data[k].y).toBeNaN();
        else expect(path.data[k].y).toBe(Math.min(KINK_VIEW.max, Math.max(KINK_VIEW.min, kink)));
        // a marker where a stretch beyond the view begins, none inside it
        const beyond = (i: number) => path.kink[i] !== null && (path.kink[i]! < KINK_VIEW.min || path.kink[i]! > KINK_VIEW.max);
        const side = (i: number) => (beyond(i) ? Math.sign(path.kink[i]!) : 0);
        expect(path.pointRadius[k] > 0).toBe(beyond(k) && (k === 0 || side(k - 1) !== side(k)));
      });
    });
  });

  it('shade [0, 1] and mark where the target breaks', () => {
    const annotations = (config.options as { plugins: { annotation: { annotations: Record<string, { yMin: number; yMax: number }> } } })
      .plugins.annotation.annotations;
    expect([annotations.fitted.yMin, annotations.fitted.yMax]).toEqual([0, 1]);
    expect(annotations.break0.yMin).toBe(0.1);
    expect(targetBreaks({ kind: 'ramp', from: 0.2, to: 0.6, low: 0, high: 1 })).toEqual([0.2, 0.6]);
    expect(targetBreaks({ kind: 'sine', cycles: 1, amplitude: 1, offset: 0 })).toEqual([]);
  });

  it('say why they draw nothing: a smooth network, or no snapshots read', () => {
    const caption = (c: ReturnType<typeof kinksChart>) =>
      (c.options as { plugins: { subtitle: { text: string[] } } }).plugins.subtitle.text;
    const smooth = charted(presetWith({ models: 1, hidden: [4], activation: { kind: 'tanh' } }, { stop: { maxSteps: 5, lossLimit: 0 } }));
    expect(caption(kinksChart(smooth.data, { theme: 'light', fitModels: [0] }))).toEqual([
      'kink paths are drawn for 1→H→1 networks with a piecewise-linear activation',
    ]);
    const without = { ...data, models: data.models.map(({ snapshots: _, ...m }) => m) };
    expect(caption(kinksChart(without, { theme: 'light', fitModels: [0] }))[0]).toMatch(/^kink paths need the models’ snapshots/);
  });
});
