// The timeline's arithmetic (renderer/src/lib/timeline.ts): the log time axis the slider moves on, the
// snapshot steps the arrow keys visit, and where a model stood at a step.
import { describe, expect, it } from 'vitest';
import type { ChartModel } from '../core/charts/data.ts';
import { emptyCurves } from '../core/results/curves.ts';
import { neighbour, outcomeAt, positionOf, snapshotSteps, stepAt } from '../renderer/src/lib/timeline.ts';

const plateaus = { line: 0.0658, constant: 0.0901, zero: 0.9 };

/** A model that trained to step 200 and reached the limit there, its validation loss at its curve's points. */
function model(): ChartModel {
  const curves = emptyCurves();
  curves.step.push(0, 10, 100, 200);
  curves.lossVal.push(0.9, 0.066, 0.02, 0.004);
  return {
    id: 0,
    group: 'g',
    groupIndex: 0,
    index: 0,
    curves,
    params: [],
    lossFinal: 0.004,
    status: 'reached',
    steps: 200,
    outcome: 'reached',
  };
}

describe('the timeline', () => {
  it('puts step s at log(s + 1) / log(last + 1) along the slider, and back to whole steps', () => {
    expect(positionOf(0, 999)).toBe(0);
    expect(positionOf(999, 999)).toBe(1);
    expect(positionOf(9, 999)).toBeCloseTo(1 / 3, 12); // 10 of 1000: a third of the decades
    expect(positionOf(5000, 999)).toBe(1); // beyond the run: its end
    expect(stepAt(1 / 3, 999)).toBe(9);
    expect(stepAt(2 / 3, 999)).toBe(99);
    expect(stepAt(1.5, 999)).toBe(999);
    expect(stepAt(0.5, 0)).toBe(0);
  });

  it('steps through the snapshot steps of every drawn model, in order, stopping at either end', () => {
    const steps = snapshotSteps([
      { step: [0, 1, 5, 40], params: [] },
      { step: [0, 3, 5], params: [] },
    ]);
    expect(steps).toEqual([0, 1, 3, 5, 40]);
    expect(neighbour(steps, 3, 1)).toBe(5);
    expect(neighbour(steps, 4, 1)).toBe(5); // between snapshots: the next one
    expect(neighbour(steps, 4, -1)).toBe(3);
    expect(neighbour(steps, 40, 1)).toBe(40);
    expect(neighbour(steps, 0, -1)).toBe(0);
  });

  it("names a model's outcome class from its validation loss at the step, and where it ended once it has stopped", () => {
    const m = model();
    expect(outcomeAt(m, 0, plateaus, 0.005)).toEqual({ outcome: 'zero', loss: 0.9 });
    expect(outcomeAt(m, 50, plateaus, 0.005)).toEqual({ outcome: 'line', loss: 0.066 }); // the point at step 10
    expect(outcomeAt(m, 150, plateaus, 0.005)).toEqual({ outcome: 'escaped', loss: 0.02 });
    expect(outcomeAt(m, 5000, plateaus, 0.005)).toEqual({ outcome: 'reached', loss: 0.004 });
    expect(outcomeAt({ ...m, curves: emptyCurves(), steps: undefined, outcome: undefined }, 5, plateaus, 0.005)).toBeNull();
  });
});
