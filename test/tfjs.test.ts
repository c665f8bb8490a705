// The TensorFlow.js backend (here on wasm and cpu) against the fused CPU backend: same initial weights,
// same batches, same loss, optimizers, schedules and stop rule, so the same numbers.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelRef, ModelResult } from '../core/results/events.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import type { PresetInput } from '../core/preset/preset.ts';
import { TorchGenerator } from '../electron/engine/rng.ts';
import { makeTrainer, trainOwnStreams } from '../electron/engine/streams.ts';
import { explainNativeFailure, loadTf, type TfRuntime } from '../electron/engine/tfjs/runtime.ts';
import type { TrainHooks } from '../electron/engine/train.ts';
import { PACKAGE_VERSION, presetWith, PRESETS, quietHooks, SEED_CYCLIC } from './helpers.ts';
import { lab } from './lab.ts';

type GroupInput = PresetInput['groups'][number];

/**
 * A spread of small presets: data modes, optimizers and schedules take turns so each appears more
 * than once; widths, activations, output activation and initialisation are drawn from a fixed seed.
 */
function randomGroups(count: number): GroupInput[] {
  const rng = new TorchGenerator(20251129);
  const pick = <T>(options: T[]): T => options[rng.nextUint32() % options.length];
  const data: GroupInput['data'][] = [{ kind: 'fresh', batchSize: 32 }, { kind: 'fixed', batchSize: 32 }, { kind: 'grid' }];
  const optimizers: GroupInput['optimizer'][] = [
    { kind: 'sgd', lr: 0.05 },
    { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true },
    { kind: 'sgd', lr: 0.02, momentum: 0.5, dampening: 0.1, weightDecay: 0.01 },
    { kind: 'adam', lr: 0.01 },
  ];
  const schedules: GroupInput['schedule'][] = [
    { kind: 'constant' },
    { kind: 'step', stepSize: 50, gamma: 0.5 },
    { kind: 'cosine', tMax: 120 },
    { kind: 'cyclic', mode: 'triangular2', baseLr: 0.001, maxLr: 0.1, stepSizeUp: 20, stepSizeDown: 60, cycleMomentum: false },
  ];
  return Array.from({ length: count }, (_, k) => ({
    name: `g${k}`,
    models: 3,
    hidden: pick([[1], [3], [8], [4, 4]]),
    activation: pick<GroupInput['activation']>([
      { kind: 'leaky_relu', negativeSlope: 0.01 },
      { kind: 'leaky_relu', negativeSlope: 0.2 },
      { kind: 'relu' },
      { kind: 'tanh' },
      { kind: 'sigmoid' },
      { kind: 'linear' },
    ]),
    outputActivation: k % 2 === 0,
    init: pick<GroupInput['init']>(['torch-default', 'xavier-uniform', 'he-uniform']),
    data: data[k % data.length],
    optimizer: optimizers[k % optimizers.length],
    schedule: schedules[Math.floor(k / 2) % schedules.length],
  }));
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(Math.abs(a), Math.abs(b)) + 1e-7;

/** Trains with every step of every model traced: [model id][step] → [lossTrain, lossVal, lr]. */
function traced(train: (hooksFor: (ref: ModelRef) => TrainHooks) => ModelResult[]) {
  const steps: [number, number, number][][] = [];
  const results = train((ref) => ({
    ...quietHooks,
    trace: (i, lossTrain, lossVal, lr) => {
      (steps[ref.id] ??= [])[i] = [lossTrain, lossVal, lr];
    },
  }));
  return { results, steps };
}

function compare(tfjs: ReturnType<typeof traced>, fused: ReturnType<typeof traced>): void {
  expect(tfjs.results.map((r) => [r.status, r.steps])).toEqual(fused.results.map((r) => [r.status, r.steps]));
  fused.steps.forEach((modelSteps, m) => {
    expect(tfjs.steps[m]).toHaveLength(modelSteps.length);
    modelSteps.forEach(([lossTrain, lossVal, lr], i) => {
      const [t, v, l] = tfjs.steps[m][i];
      expect(close(t, lossTrain), `model ${m} lossTrain at step ${i}: ${t} vs ${lossTrain}`).toBe(true);
      expect(close(v, lossVal), `model ${m} lossVal at step ${i}: ${v} vs ${lossVal}`).toBe(true);
      expect(l).toBe(lr);
    });
  });
}

describe.each(['wasm', 'cpu'] as const)('tfjs on %s', (device) => {
  let tf: TfRuntime;
  beforeAll(async () => {
    tf = await loadTf(device);
  });

  it('says which backend runs and why the better ones were skipped', () => {
    expect(tf.device).toBe(device);
    expect(tf.description).toMatch(new RegExp(`^tfjs 4\\.22\\.0 ${device}`));
  });

  it.each(
    randomGroups(8).map((g) => [
      `${g.hidden.join('x')} ${g.activation.kind} out=${g.outputActivation} ${g.data.kind} ${g.optimizer.kind} ${g.schedule?.kind}`,
      g,
    ]),
  )('agrees with the fused backend at every step over 300 steps: %s', (_name, group) => {
    const preset = presetWith(group as GroupInput, { validation: { points: 1001 }, stop: { maxSteps: 300, lossLimit: 0.001 } });
    const exp = experimentOf(preset);
    const fused = traced((hooksFor) => trainOwnStreams(exp, exp.models, makeTrainer(exp, 'fused', hooksFor, null)));
    const batched = traced((hooksFor) => trainOwnStreams(exp, exp.models, makeTrainer(exp, 'tfjs', hooksFor, tf)));
    expect(fused.steps.flat().length).toBeGreaterThanOrEqual(3 * 50);
    compare(batched, fused);
  });

  it('masks a model that stops early without changing the others', () => {
    // model 1 of this seed reaches the limit first; the others must match training alone
    const preset = presetWith(
      {
        models: 3,
        hidden: [8],
        schedule: SEED_CYCLIC,
      },
      { validation: { points: 501 }, stop: { maxSteps: 400, lossLimit: 0.06 } },
    );
    const exp = experimentOf(preset);
    const together = trainOwnStreams(
      exp,
      exp.models,
      makeTrainer(exp, 'tfjs', () => quietHooks, tf),
    );
    expect(new Set(together.map((r) => r.steps)).size).toBeGreaterThan(1); // they stopped at different steps
    const alone = exp.models.map(
      (ref) =>
        trainOwnStreams(
          exp,
          [ref],
          makeTrainer(exp, 'tfjs', () => quietHooks, tf),
        )[0],
    );
    expect(together).toHaveLength(3);
    together.forEach((r, m) => {
      expect(r.steps).toBe(alone[m].steps);
      r.finalParams.forEach((w, k) => expect(Math.abs(w - alone[m].finalParams[k])).toBeLessThan(1e-5));
    });
  });

  it('keeps snapshots at the steps the CPU kernels keep them, each bit for bit the parameters retraining to its step on tfjs gives', () => {
    const cap = 301;
    // two of the seed's wide models with its CyclicLR, the limit off so both run to the cap
    const wide = (maxSteps: number) =>
      presetWith({ models: 2, hidden: [8], schedule: SEED_CYCLIC }, { validation: { points: 501 }, stop: { maxSteps, lossLimit: 0 } });
    const train = (maxSteps: number) => {
      const exp = experimentOf(wide(maxSteps));
      return trainOwnStreams(
        exp,
        exp.models,
        makeTrainer(exp, 'tfjs', () => quietHooks, tf),
      );
    };
    const r = train(cap)[1];
    const steps = r.snapshots.step;
    expect(steps.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (const step of r.curves.step) expect(steps).toContain(step);
    expect(steps.at(-1)).toBe(cap - 1);
    expect(r.snapshots.params[0]).toEqual(r.initialParams);
    for (const step of [1, 57, steps[110], cap - 1]) {
      const retrained = train(step)[1]; // `step` updates: steps 0 … step - 1
      expect(retrained.finalParams, `step ${step}`).toEqual(r.snapshots.params[steps.indexOf(step)]);
    }
  });

  it('leaks no tensors: tf.memory().numTensors stays constant across steps and returns to its start', () => {
    const counts: number[] = [];
    const before = tf.tf.memory().numTensors;
    const preset = presetWith(
      { models: 4, hidden: [8], optimizer: { kind: 'adam', lr: 0.01 } },
      { validation: { points: 501 }, stop: { maxSteps: 400, lossLimit: 0 } },
    );
    const exp = experimentOf(preset);
    const hooks: TrainHooks = { ...quietHooks, progressIntervalMs: 0, progress: () => counts.push(tf.tf.memory().numTensors) };
    trainOwnStreams(
      exp,
      exp.models,
      makeTrainer(exp, 'tfjs', () => hooks, tf),
    );
    expect(counts.length).toBeGreaterThan(8);
    expect(new Set(counts.slice(0, -4)).size).toBe(1); // every checkpoint during training; the last four come after the group is freed
    expect(tf.tf.memory().numTensors).toBe(before);
  });
});

describe('tfjs backend selection', () => {
  it('explains native binding failures a user can act on', () => {
    const missing = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node-gpu'"), { code: 'MODULE_NOT_FOUND' });
    expect(explainNativeFailure('@tensorflow/tfjs-node-gpu', missing)).toBe('not installed');
    expect(
      explainNativeFailure(
        '@tensorflow/tfjs-node',
        new Error('The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115'),
      ),
    ).toMatch(/^built for another Node\/Electron ABI/);
    expect(explainNativeFailure('@tensorflow/tfjs-node', new Error('External buffers are not allowed'))).toMatch(/memory cage/);
    expect(explainNativeFailure('@tensorflow/tfjs-node-gpu', new Error('libcudart.so.11.0: cannot open shared object file'))).toMatch(
      /CUDA/,
    );
  });

  it('--backend tfjs names the device it loaded (and why better ones were skipped) and prints the same numbers as the default backend', async () => {
    const run = (backend: string) => lab(['run', join(PRESETS, 'seed-narrow-vs-wide.json'), '--max-steps', '301', '--backend', backend]);
    const tfjs = await run('tfjs');
    const fused = await run('auto');
    expect(tfjs.status).toBe(0);
    const [first, ...rest] = tfjs.stdout.split('\n');
    const device = '(tensorflow on a CUDA GPU|tensorflow on the CPU|wasm|cpu)';
    const skipped = '( \\((tfjs-node-gpu|tfjs-node|wasm): [^;]+(; (tfjs-node|wasm): [^;]+)*\\))?';
    expect(first).toMatch(
      new RegExp(`^Minima Lab ${PACKAGE_VERSION.replaceAll('.', '\\.')}, backend tfjs: tfjs 4\\.22\\.0 ${device}${skipped}$`),
    );
    expect(rest.join('\n')).toBe(fused.stdout.split('\n').slice(1).join('\n'));
  }, 120_000);
});
