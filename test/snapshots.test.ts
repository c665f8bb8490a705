// Snapshots of a model's parameters along its training: kept at its curve's points, its last step and its
// changes of outcome class; each holds exactly the parameters that retraining the model to that step gives.
import { describe, expect, it } from 'vitest';
import type { TrainedModel } from '../core/results/events.ts';
import { MAX_CLASS_CHANGES, SnapshotRecorder, snapshotIndexAt } from '../core/results/snapshots.ts';
import type { Preset } from '../core/preset/preset.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { makeTrainer, trainOwnStreams } from '../electron/engine/streams.ts';
import { presetWith, quietHooks } from './helpers.ts';

/** Every model of `preset` on its own stream, trained on `kernel`. */
function train(preset: Preset, kernel: 'fused' | 'direct'): TrainedModel[] {
  const exp = experimentOf(preset);
  return trainOwnStreams(
    exp,
    exp.models,
    makeTrainer(exp, kernel, () => quietHooks, null),
  );
}

const CAP = 3001;
// the seed's wide model with CyclicLR, on the seed's step target; the limit off so every model runs to the cap
const wide = (maxSteps: number) =>
  presetWith(
    {
      models: 2,
      schedule: { kind: 'cyclic', baseLr: 0.001, maxLr: 0.5, stepSizeUp: 300, mode: 'triangular', cycleMomentum: false },
    },
    { stop: { maxSteps, lossLimit: 0 } },
  );

describe.each(['fused', 'direct'] as const)('snapshots on the %s kernel', (kernel) => {
  const results = train(wide(CAP), kernel);

  it('are kept at every step to 100, then log-spaced as the curve, and at the last step', () => {
    for (const r of results) {
      const steps = r.snapshots.step;
      expect(steps.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      for (const step of r.curves.step) expect(steps).toContain(step);
      expect(steps.at(-1)).toBe(CAP - 1);
      // a few hundred at most over a million steps: the curve's points, the last step and the class changes
      expect(steps.length).toBeLessThanOrEqual(r.curves.step.length + 1 + MAX_CLASS_CHANGES);
      expect([...steps].sort((a, b) => a - b)).toEqual(steps);
      for (const params of r.snapshots.params) expect(params).toHaveLength(r.initialParams.length);
      expect(r.snapshots.params[0]).toEqual(r.initialParams);
    }
  });

  it("hold, bit for bit, the parameters that retraining the model to that step gives (before that step's update)", () => {
    const r = results[1];
    for (const step of [1, 2, 57, 99, r.snapshots.step[130], CAP - 1]) {
      const k = r.snapshots.step.indexOf(step);
      expect(k, `step ${step} kept`).toBeGreaterThanOrEqual(0);
      const retrained = train(wide(step), kernel)[1]; // `step` updates: steps 0 … step - 1
      expect(retrained.finalParams, `step ${step}`).toEqual(r.snapshots.params[k]);
    }
  });
});

describe('snapshots at changes of outcome class', () => {
  const plateaus = { line: 0.0658, constant: 0.0901, zero: 0.8998 };
  const params = Float32Array.of(1, 2, 3);

  it('are kept where the class changes between marked steps, the step it changes at', () => {
    const s = new SnapshotRecorder(plateaus);
    s.record(0, 0.9, false, true, () => params); // zero output, a curve point
    s.record(1, 0.9, false, false, () => params); // still zero output: nothing kept
    s.record(2, 0.066, false, false, () => params); // on the line now
    s.record(3, 0.0655, false, false, () => params); // still on the line (within 3 %)
    s.record(4, 0.03, false, false, () => params); // escaped below it
    s.record(5, 0.004, true, false, () => params); // reached the limit
    expect(s.snapshots.step).toEqual([0, 2, 4, 5]);
    expect(s.snapshots.params).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('are at most MAX_CLASS_CHANGES when a loss flips at a plateau edge, the marked steps kept still', () => {
    const s = new SnapshotRecorder(plateaus);
    for (let step = 0; step < 1000; step++) s.record(step, step % 2 ? 0.0658 : 0.05, false, step % 100 === 0, () => params);
    const marked = 10;
    expect(s.snapshots.step.length).toBe(MAX_CLASS_CHANGES + marked); // steps 1 to 64, and every hundredth
    expect(s.snapshots.step.filter((step) => step % 100 === 0)).toHaveLength(marked);
  });
});

describe('the snapshot a model shows at a step', () => {
  const kept = { step: [0, 1, 2, 10, 100], params: [[0], [1], [2], [10], [100]] };

  it('is its last one at or before the step, and its last one after it stopped', () => {
    expect([0, 1, 2, 3, 9, 10, 11, 99, 100, 5000].map((step) => kept.step[snapshotIndexAt(kept, step)])).toEqual([
      0, 1, 2, 2, 2, 10, 10, 10, 100, 100,
    ]);
  });
});
