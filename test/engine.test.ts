// Smaller engine behaviours: decimated curves, the summary, divergence, the data modes, deep networks.
import { describe, expect, it } from 'vitest';
import { CurveRecorder } from '../core/results/curves.ts';
import { TrainingData } from '../electron/engine/data.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { initParams } from '../electron/engine/init.ts';
import { TorchGenerator } from '../electron/engine/rng.ts';
import { engineLine, resolveBackend } from '../electron/engine/backends.ts';
import { makeTrainer, trainTorchStream } from '../electron/engine/streams.ts';
import { clusterLosses } from '../core/results/summary.ts';
import { trainModel } from '../electron/engine/train.ts';
import { PACKAGE_VERSION, presetWith, quietHooks } from './helpers.ts';

describe('engine', () => {
  it('decimates curves: every early step, then log-spaced points whose min/max cover every step', () => {
    const rec = new CurveRecorder();
    const steps = 2_000_000;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < steps; i++) {
      const v = 1 + Math.sin(i * 0.37); // wiggles inside every bucket
      rec.record(i, v, v / 2, 0.1);
      if (i >= 1000 && i < 2000) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    rec.finish();
    const c = rec.curves;
    expect(c.step.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(c.step.length).toBeLessThan(100 + 50 * 5 + 2);
    expect(c.step[c.step.length - 1]).toBe(steps - 1);
    for (let k = 1; k < c.step.length; k++) expect(c.step[k]).toBeGreaterThan(c.step[k - 1]);
    // buckets inside [1000, 2000) hold every step's extremes
    const inside = c.step.flatMap((s, k) => (s >= 1000 && s < 2000 && c.step[k + 1] <= 2000 ? [k] : []));
    expect(Math.min(...inside.map((k) => c.lossTrainMin[k]))).toBeLessThanOrEqual(min + 1e-3);
    expect(Math.max(...inside.map((k) => c.lossTrainMax[k]))).toBeGreaterThanOrEqual(max - 1e-3);
  });

  it('clusters final losses within 3% and counts them', () => {
    expect(clusterLosses([0.0658, 0.0659, 0.0662, 0.00499, 0.005, 0.0901, NaN]).map((c) => [c.count, c.min, c.max])).toEqual([
      [3, 0.0658, 0.0662],
      [2, 0.00499, 0.005],
      [1, 0.0901, 0.0901],
    ]);
  });

  it('stops a diverging model, and in torch mode keeps the stream where PyTorch would have it', () => {
    const preset = presetWith(
      { models: 2, hidden: [4], optimizer: { kind: 'sgd', lr: 1e6 } },
      { rng: 'torch', stop: { maxSteps: 500, lossLimit: 0.005 } },
    );
    const exp = experimentOf(preset);
    const results: ReturnType<typeof trainModel>[] = [];
    trainTorchStream(
      exp,
      makeTrainer(exp, 'fused', () => quietHooks, null),
      () => false,
      (r) => results.push(r),
    );
    expect(results[0].status).toBe('diverged');
    expect(results[0].lossFinal).toBeNull();
    expect(results[0].outcome).toBe('diverged');
    expect(results[0].steps).toBeLessThan(499);
    // model 1 trains from the stream PyTorch would give it: after both inits and model 0's 500 batches
    const rng = new TorchGenerator(2025);
    const params = [initParams(preset.groups[0], rng), initParams(preset.groups[0], rng)];
    rng.discard(500 * 100);
    const alone = trainModel(exp, exp.models[1], params[1], rng, 'fused', quietHooks, true);
    expect(results[1].lossFinal).toBe(alone.lossFinal);
    expect(results[1].steps).toBe(alone.steps);
  });

  it('draws a fixed batch once, and uses the grid itself as the batch in grid mode', () => {
    const fixed = presetWith({ data: { kind: 'fixed', batchSize: 50 } });
    const exp = experimentOf(fixed);
    const data = new TrainingData(fixed.groups[0], new TorchGenerator(3), exp.target, exp.grid, exp.gridPoints);
    const first = Array.from(data.next().x);
    expect(Array.from(data.next().x)).toEqual(first);
    expect(new Set(first).size).toBe(50);
    const grid = presetWith({ data: { kind: 'grid' } });
    const gexp = experimentOf(grid);
    const gdata = new TrainingData(grid.groups[0], new TorchGenerator(3), gexp.target, gexp.grid, gexp.gridPoints);
    expect(gdata.next().x).toBe(gexp.grid.x);
    expect(gdata.drawsPerStep).toBe(0);
  });

  it('resolves auto: fused-simd when any group fits the fused kernel; otherwise tfjs only with a native TensorFlow binding', () => {
    expect(resolveBackend('auto', presetWith({ hidden: [8] }), true)).toBe('fused-simd');
    expect(resolveBackend('auto', presetWith({ hidden: [8, 8], activation: { kind: 'tanh' } }), true)).toBe('tfjs');
    expect(resolveBackend('auto', presetWith({ hidden: [8, 8], activation: { kind: 'tanh' } }), false)).toBe('direct');
    expect(resolveBackend('direct', presetWith({ hidden: [8] }))).toBe('direct');
  });

  it('trains deep and smooth networks on the direct kernel, and says so in the log header', () => {
    const preset = presetWith(
      { hidden: [6, 4], activation: { kind: 'tanh' }, outputActivation: false, optimizer: { kind: 'adam', lr: 0.01 } },
      { stop: { maxSteps: 300, lossLimit: 0 } },
    );
    expect(engineLine(preset, 'fused')).toBe(
      `Minima Lab ${PACKAGE_VERSION}, backend fused (direct kernel for g: not one hidden layer with a piecewise-linear activation)`,
    );
    const adam = presetWith({ optimizer: { kind: 'adam', lr: 0.01 } });
    expect(engineLine({ ...adam, groups: [...adam.groups, { ...preset.groups[0], name: 'deep' }] }, 'fused-simd')).toBe(
      `Minima Lab ${PACKAGE_VERSION}, backend fused-simd (direct kernel for deep: not one hidden layer with a piecewise-linear activation; fused kernel for g: the Adam optimizer)`,
    );
    const exp = experimentOf(preset);
    const rng = new TorchGenerator(5);
    const r = trainModel(exp, exp.models[0], initParams(preset.groups[0], rng), rng, 'fused', quietHooks, false);
    expect(r.finalParams).toHaveLength(2 * 6 + 6 * 4 + 4 + 4 + 1);
    expect(r.lossFinal!).toBeLessThan(r.lossInit);
  });
});
