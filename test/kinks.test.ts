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
  const paths = (config.data.datasets as unknown as Path[]).filter((d) => d.label.includes(' unit ')); // not the output's bend

  it("draw each unit's kink −b / w at each snapshot's step + 1, pinned to the view's edge beyond it", () => {
    const shape = shapeOf([4]);
    const { step, params } = trained[0].snapshots;
    expect(paths.map((p) => p.label)).toEqual(['g #0 unit 0', 'g #0 unit 1', 'g #0 unit 2', 'g #0 unit 3']);
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
    // a piecewise line breaks where its slope changes inside (0, 1): not at its ends, not on a straight run
    const points: [number, number][] = [
      [0, 0],
      [0.25, 0.5],
      [0.5, 1],
      [0.75, 0],
      [1, 0],
    ];
    expect(targetBreaks({ kind: 'piecewise-linear', points })).toEqual([0.5, 0.75]);
  });

  it('say which models they draw, and why a chosen one is not drawn: a smooth network, no snapshots', () => {
    const caption = (c: ReturnType<typeof kinksChart>) =>
      (c.options as { plugins: { subtitle: { text: string[] } } }).plugins.subtitle.text;
    expect(caption(config)).toEqual([
      expect.stringMatching(/^hidden units' kinks of g #0 \(live on \[0, 1\]: \d of 4[ ,][^;]*(; dashed: the output's bend)?$/),
    ]);
    const smooth = charted(presetWith({ models: 1, hidden: [4], activation: { kind: 'tanh' } }, { stop: { maxSteps: 5, lossLimit: 0 } }));
    expect(caption(kinksChart(smooth.data, { theme: 'light', fitModels: [0] }))).toEqual([
      'g #0: not a 1→H→1 network with a bending piecewise-linear activation',
    ]);
    const without = { ...data, models: data.models.map(({ snapshots: _, ...m }) => m) };
    expect(caption(kinksChart(without, { theme: 'light', fitModels: [0] }))).toEqual([
      'g #0: no snapshots (they are kept for networks of at most 256 parameters)',
    ]);
  });

  it('pin kinks beyond the view, draw no kink for w = 0 or a diverged unit, and no stroke through a sign flip', () => {
    // a 1→2→1 network by hand: [w1₀, w1₁, b1₀, b1₁, w2₀, w2₁, b2]; unit 0's kink −b/w, unit 1's
    const rows = [
      [1, 1, -0.5, -2, 1, 1, 0], // 0.5, 2 (beyond the top)
      [0, 1, -0.5, 3, 1, 1, 0], // none (w = 0), −3 (beyond the bottom)
      [-1, 1, -0.5, 3, 1, 1, 0], // −0.5 (beyond the bottom), −3
      [1, NaN, -0.5, 3, 1, 1, 0], // 0.5 (w went from −1 to 1: a flip), none (diverged)
    ];
    const model = { ...data.models[0], snapshots: { step: [0, 1, 2, 3], params: rows } };
    const two = { ...data, preset: { ...data.preset, groups: [{ ...data.preset.groups[0], hidden: [2] }] }, models: [model] };
    const [unit0, unit1] = kinksChart(two, { theme: 'light', fitModels: [model.id] }).data.datasets as unknown as (Path & {
      segment: { borderColor: (ctx: object) => string | undefined; borderDash: (ctx: object) => number[] | undefined };
    })[];
    expect(unit0.kink).toEqual([0.5, null, -0.5, 0.5]);
    expect(unit0.data.map((p) => p.y)).toEqual([0.5, NaN, -0.25, 0.5]);
    expect(unit1.kink).toEqual([2, -3, -3, null]);
    expect(unit1.data.map((p) => p.y)).toEqual([1.25, -0.25, -0.25, NaN]);
    expect(unit1.pointRadius.map((r) => r > 0)).toEqual([true, true, false, false]); // where each stretch beyond begins
    const seg = (from: number) => ({ p0DataIndex: from, p1DataIndex: from + 1 });
    expect(unit0.segment.borderColor(seg(2))).toBe('transparent'); // the flip from −1 to 1
    expect(unit1.segment.borderColor(seg(0))).toBe('transparent'); // from beyond the top to beyond the bottom
    expect(unit1.segment.borderDash(seg(1))).toEqual([1.5, 3]); // along the bottom edge: dotted
    expect(unit0.segment.borderColor(seg(1))).toBe('hsla(221, 78%, 49.0%, 1)'); // its model's colour: w2 1, the largest
  });
});
