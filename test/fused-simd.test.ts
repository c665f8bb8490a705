// The WebAssembly kernel (fused-simd) against the JavaScript fused kernel it is compiled from, bit for bit;
// against the direct kernel where a sample lies exactly on a kink (PyTorch's side); its fallback; its binary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernel, MODULE, moduleSource } from '../build/build-wasm.mjs';
import type { PresetInput } from '../core/preset/preset.ts';
import type { ModelRef, TrainedModel } from '../core/results/events.ts';
import { TrainingData } from '../electron/engine/data.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { DirectKernel } from '../electron/engine/kernels/direct.ts';
import { FusedSimdSteps, fusedSimdRefusal } from '../electron/engine/kernels/fused-simd.ts';
import { TorchGenerator } from '../electron/engine/rng.ts';
import { makeTrainer, trainOwnStreams, trainTorchStream } from '../electron/engine/streams.ts';
import type { StepBackend } from '../electron/engine/train.ts';
import { presetWith, quietHooks, ROOT } from './helpers.ts';

type Group = Partial<PresetInput['groups'][number]>;

/** Every step's losses and lr, and each model's result, of a run on `backend`. */
function trainAll(preset: ReturnType<typeof presetWith>, backend: StepBackend) {
  const exp = experimentOf(preset);
  const trace: number[] = [];
  const hooks = {
    ...quietHooks,
    trace: (step: number, lossTrain: number, lossVal: number, lr: number) => trace.push(step, lossTrain, lossVal, lr),
  };
  const train = makeTrainer(exp, backend, () => hooks, null);
  const results: TrainedModel[] = [];
  if (preset.rng === 'torch')
    trainTorchStream(
      exp,
      train,
      () => false,
      (r) => results.push(r),
    );
  else results.push(...trainOwnStreams(exp, exp.models, train));
  return { trace, results };
}

const targets: PresetInput['target'][] = [
  { kind: 'step', threshold: 0.1, low: 0, high: 1 },
  { kind: 'ramp', from: 0.2, to: 0.7, low: -1, high: 2 },
  { kind: 'abs', center: 0.4 },
  {
    kind: 'piecewise-linear',
    points: [
      [0, 0],
      [0.3, 1],
      [0.6, -0.5],
      [1, 0.2],
    ],
  },
];
const networks: Group[] = [
  { hidden: [1] },
  { hidden: [8], activation: { kind: 'leaky_relu', negativeSlope: 0.3 } },
  { hidden: [16], activation: { kind: 'relu' }, outputActivation: false },
  { hidden: [5], activation: { kind: 'linear' } },
];
const training: Group[] = [
  { optimizer: { kind: 'sgd', lr: 0.1 } },
  { optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 } },
  { optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.5, dampening: 0.3 }, data: { kind: 'fresh', batchSize: 37 } },
  {
    optimizer: { kind: 'sgd', lr: 0.1 },
    schedule: { kind: 'cyclic', mode: 'triangular2', baseLr: 0.001, maxLr: 0.5, stepSizeUp: 10, stepSizeDown: 40, cycleMomentum: false },
  },
];

describe('the fused-simd kernel', () => {
  it('is built from its source: the committed binary is what build/build-wasm.mjs compiles now', async () => {
    expect(readFileSync(ROOT + MODULE, 'utf8')).toBe(moduleSource(await compileKernel()));
  });

  for (const target of targets)
    it(`trains as the fused kernel does, bit for bit, on the ${target.kind} target`, () => {
      for (const network of networks)
        for (const options of training) {
          const preset = presetWith({ models: 3, ...network, ...options }, { target, stop: { maxSteps: 400, lossLimit: 0.001 } });
          const simd = trainAll(preset, 'fused-simd');
          const fused = trainAll(preset, 'fused');
          expect(simd.trace).toEqual(fused.trace);
          expect(simd.results).toEqual(fused.results);
        }
    });

  it("continues the seed's one torch stream as the fused kernel does, models that end early included", () => {
    const groups = [
      { name: 'narrow', models: 3, hidden: [1] },
      // an lr this large diverges: the stream must skip the batches PyTorch would still have drawn
      { name: 'diverging', models: 2, hidden: [8], optimizer: { kind: 'sgd' as const, lr: 40 } },
      { name: 'wide', models: 3, hidden: [8], data: { kind: 'fresh' as const, batchSize: 50 } },
    ].map((g) => ({ ...presetWith(g).groups[0], ...g }));
    const preset = presetWith({}, { rng: 'torch', stop: { maxSteps: 3000, lossLimit: 0.07 }, groups });
    const simd = trainAll(preset, 'fused-simd');
    expect(simd.results.map((r) => r.status)).toContain('diverged');
    expect(simd.results.map((r) => r.status)).toContain('reached');
    expect(simd).toEqual(trainAll(preset, 'fused'));
  });

  it('says in one place what it does not train, and those groups train on the fused kernel', () => {
    const refused: [Group, Partial<PresetInput>][] = [
      [{ data: { kind: 'grid' } }, {}],
      [{ data: { kind: 'fixed', batchSize: 64 } }, {}],
      [{ optimizer: { kind: 'adam', lr: 0.01 } }, {}],
      [{}, { target: { kind: 'sine', cycles: 1, amplitude: 1, offset: 0 } }],
      [{ activation: { kind: 'tanh' } }, {}],
      [{ hidden: [4, 4] }, {}],
    ];
    for (const [group, top] of refused) {
      const preset = presetWith({ models: 2, ...group }, { ...top, stop: { maxSteps: 300, lossLimit: 0.005 } });
      expect(fusedSimdRefusal(preset.groups[0], preset)).not.toBeNull();
      expect(trainAll(preset, 'fused-simd')).toEqual(trainAll(preset, 'fused'));
    }
    expect(fusedSimdRefusal(presetWith({ hidden: [8] }).groups[0], presetWith())).toBeNull();
  });

  it("takes PyTorch's side for a sample exactly on a kink: a pre-activation of 0 has the negative slope", () => {
    for (const outputActivation of [true, false]) {
      const preset = presetWith({
        hidden: [3],
        activation: { kind: 'leaky_relu', negativeSlope: 0.1 },
        outputActivation,
        data: { kind: 'fresh', batchSize: 20 },
      });
      const exp = experimentOf(preset);
      const group = preset.groups[0];
      const batch = new TrainingData(group, new TorchGenerator(5), exp.target, exp.grid, exp.gridPoints).next();
      const [x0, x1] = [batch.x[3], batch.x[11]];
      // unit 0 has its kink on sample 3 and is active left of it (w1 < 0); unit 1 on sample 11, active right of it
      const params = Float32Array.from([-1, 1, 0.5, x0, -x1, -0.2, 0.8, -0.6, 0.4, 0.3]);
      const direct = new DirectKernel(group, params.slice(), exp.gridPoints);
      const lossDirect = direct.trainLoss(batch);
      direct.backward();
      const steps = new FusedSimdSteps(exp, group, params.slice(), new TorchGenerator(5));
      expect(Math.abs(steps.measure() / lossDirect - 1)).toBeLessThan(1e-12);
      const lr = 1;
      steps.update(lr, 0);
      // the gradient, as the update applied it; the wrong side would move unit 0's weights by about 1e-2
      const applied = Array.from(params, (p, k) => p - steps.params[k]);
      applied.forEach((g, k) => expect(Math.abs(g - direct.grad[k]), `grad ${k}`).toBeLessThan(1e-6));
    }
  });

  it('hands the generator back where its draws left it', () => {
    const preset = presetWith(
      { models: 1, hidden: [8], data: { kind: 'fresh', batchSize: 100 } },
      { stop: { maxSteps: 50, lossLimit: 0 } },
    );
    const exp = experimentOf(preset);
    const rng = new TorchGenerator(7);
    const params = new Float32Array(25).fill(0.1);
    const train = makeTrainer(exp, 'fused-simd', () => quietHooks, null);
    train([exp.models[0] as ModelRef], [params], [rng], false);
    const expected = new TorchGenerator(7);
    expected.discard(50 * 100);
    expect(rng.nextUint32()).toBe(expected.nextUint32());
  });
});
