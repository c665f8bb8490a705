// The loss landscape around a model (electron/engine/landscape.ts): its centre is the model's own
// validation loss at that step, its other points agree with the direct kernel, random directions are
// filter-normalised and seeded, principal directions orthonormal and the trajectory's own.
import { describe, expect, it } from 'vitest';
import { shapeOf } from '../core/model/network.ts';
import type { ModelResult } from '../core/results/events.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { landscapeOf, principalDirections, randomDirections } from '../electron/engine/landscape.ts';
import { makeTrainer, trainOwnStreams } from '../electron/engine/streams.ts';
import { presetWith, quietHooks } from './helpers.ts';

const preset = presetWith(
  { models: 1, schedule: { kind: 'cyclic', baseLr: 0.001, maxLr: 0.5, stepSizeUp: 300, mode: 'triangular', cycleMomentum: false } },
  { stop: { maxSteps: 2001, lossLimit: 0 } },
);
const exp = experimentOf(preset);
const [model] = trainOwnStreams(
  exp,
  exp.models,
  makeTrainer(exp, 'fused', () => quietHooks, null),
);
const group = preset.groups[0];
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const lossAtStep = (m: ModelResult, step: number) => m.curves.lossVal[m.curves.step.indexOf(step)];

describe('the loss landscape', () => {
  it("is centred on the model's validation loss at the chosen step, exactly", () => {
    for (const step of [0, 57, 2000]) {
      const plane = landscapeOf(exp, model, { step, directions: 'random', grid: 3, seed: 1 });
      expect(plane.step).toBe(step);
      expect(plane.alpha).toEqual([-1, 0, 1]);
      expect(plane.loss[1][1]).toBe(lossAtStep(model, step));
    }
    expect(landscapeOf(exp, model, { directions: 'random', grid: 3, seed: 1 }).step).toBe(2000); // the last, unless told
  });

  it('agrees off the centre with the direct kernel, the oracle', () => {
    const request = { step: model.snapshots.step[120], directions: 'random' as const, grid: 5, span: 0.4, seed: 7 };
    const fused = landscapeOf(exp, model, request);
    const direct = landscapeOf(exp, model, { ...request, backend: 'direct' });
    fused.loss.flat().forEach((loss, k) => expect(Math.abs(loss / direct.loss.flat()[k] - 1)).toBeLessThan(1e-6));
    fused.slice.loss.forEach((loss, k) => expect(Math.abs(loss / direct.slice.loss[k] - 1)).toBeLessThan(1e-6));
    // the slice runs through the initial (t = 0) and final (t = 1) parameters
    expect(fused.slice.t[50]).toBe(0);
    expect(fused.slice.loss[50]).toBe(model.lossInit);
    expect(fused.slice.t[150]).toBe(1);
    expect(fused.slice.loss[150]).toBe(model.lossFinal);
  });

  it("scales random directions to each neuron's norm in the model, biases zero, and redraws them from the seed", () => {
    const params = model.snapshots.params.at(-1)!;
    const [d1, d2] = randomDirections(group, params, 42);
    const shape = shapeOf(group.hidden);
    for (const d of [d1, d2]) {
      for (let l = 0; l < 2; l++) {
        const inputs = shape.widths[l];
        for (let row = 0; row < shape.widths[l + 1]; row++) {
          const at = shape.weightAt[l] + row * inputs;
          const of = (v: number[]) => Math.hypot(...v.slice(at, at + inputs));
          expect(of(d)).toBeCloseTo(of(params), 12);
        }
        expect(d.slice(shape.biasAt[l], shape.biasAt[l] + shape.widths[l + 1])).toEqual(new Array(shape.widths[l + 1]).fill(0));
      }
    }
    expect(randomDirections(group, params, 42)).toEqual([d1, d2]);
    expect(randomDirections(group, params, 43)[0]).not.toEqual(d1);
  });

  it("takes principal directions that are orthonormal and the trajectory's own, the path drawn on them", () => {
    const plane = landscapeOf(exp, model, { step: 2000, directions: 'pca', grid: 3, seed: 0 });
    const { d1, d2, trajectory } = plane;
    expect(dot(d1, d1)).toBeCloseTo(1, 12);
    expect(dot(d2, d2)).toBeCloseTo(1, 12);
    expect(dot(d1, d2)).toBeCloseTo(0, 12);
    expect(trajectory!.step).toEqual(model.snapshots.step);
    expect([trajectory!.alpha.at(-1), trajectory!.beta.at(-1)]).toEqual([0, 0]); // the centre is the last snapshot
    expect(plane.span).toBeCloseTo(1.25 * Math.max(...trajectory!.alpha.map(Math.abs), ...trajectory!.beta.map(Math.abs)), 12);
    // each is an eigenvector of the path's Gram matrix, the first with the larger eigenvalue
    const path = model.snapshots.params.map((row) => row.map((v, p) => v - plane.params[p]));
    const gram = (v: number[]) => path[0].map((_, i) => path.reduce((s, r) => s + r[i] * dot(r, v), 0));
    const [g1, g2] = [gram(d1), gram(d2)];
    const [l1, l2] = [dot(g1, d1), dot(g2, d2)];
    expect(Math.hypot(...g1.map((x, i) => x - l1 * d1[i])) / l1).toBeLessThan(1e-8);
    expect(Math.hypot(...g2.map((x, i) => x - l2 * d2[i])) / l2).toBeLessThan(1e-8);
    expect(l1).toBeGreaterThanOrEqual(l2);
  });

  it('finds the two directions of a path that lies in a plane', () => {
    const [u, v] = [
      [0.6, 0.8, 0, 0],
      [0, 0, 1, 0],
    ];
    // a path wider along u than along v: its Gram matrix is 18 u uᵀ + 2 v vᵀ
    const rows = [3, -3].map((a) => u.map((x) => a * x)).concat([1, -1].map((b) => v.map((x) => b * x)));
    const [d1, d2] = principalDirections(rows);
    expect(Math.abs(dot(d1, u))).toBeCloseTo(1, 10);
    expect(Math.abs(dot(d2, v))).toBeCloseTo(1, 10);
  });

  it('refuses a plane it cannot draw: a path on a line, a grid without its centre', () => {
    const line = [1, 2, 3].map((s) => [s, 2 * s, 0]);
    expect(() => principalDirections(line)).toThrow(
      'its trajectory lies on a line: it has no second principal direction (use random directions)',
    );
    expect(() => principalDirections([[0, 0, 0]])).toThrow('its trajectory never moved');
    expect(() => landscapeOf(exp, model, { directions: 'random', grid: 4, seed: 0 })).toThrow(/odd number of points from 3/);
  });

  it('names what is missing: a step with no snapshot', () => {
    expect(() => landscapeOf(exp, model, { step: 101, directions: 'random', grid: 3, seed: 0 })).toThrow(
      /^it has no snapshot at step 101 \(it has 0, 1, 2, …, \d+, 2000\)$/,
    );
  });
});
