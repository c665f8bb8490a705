// PyTorch replays: the initial weights and every step's batch from PyTorch, through a backend's own
// training loop, must give PyTorch's lr, lossTrain and lossVal at every recorded step and its final weights.
// fixtures.test.ts replays them on the CPU kernels (the fast tier), tfjs-fixtures.test.ts on TensorFlow.js.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelResult } from '../core/results/events.ts';
import { experimentOf, type Experiment } from '../electron/engine/experiment.ts';
import { TorchGenerator } from '../electron/engine/rng.ts';
import type { TrainHooks } from '../electron/engine/train.ts';
import { FIXTURES, presetWith, quietHooks, readJson } from './helpers.ts';

interface Fixture {
  config: {
    hidden: number;
    slope: number;
    seed: number;
    steps: number;
    batch: number;
    step_at: number;
    height: number;
    val_n: number;
    lr: number;
    momentum: number;
    opt?: string;
    weight_decay?: number;
    sched: string;
    base_lr: number;
    max_lr: number;
    up: number;
    down: number;
    gamma: number;
    linspace_batch: boolean;
  };
  init: Record<string, number[] | number[][]>;
  samples: number[][] | string;
  expected: { lr: number[]; lossTrain: number[]; lossVal: number[]; final: Record<string, number[] | number[][]>; finalLossVal: number };
}

/** Plays back the fixture's batches as the generator's torch.rand values, in order. */
class ReplayGenerator extends TorchGenerator {
  private k = 0;
  constructor(private readonly values: number[]) {
    super(0);
  }
  override fillRand(out: Float64Array): void {
    if (this.k + out.length > this.values.length) throw new Error('the replay ran out of recorded samples');
    for (let i = 0; i < out.length; i++) out[i] = this.values[this.k++];
  }
}

const flatParams = (state: Fixture['init']) =>
  Float32Array.from(['0.weight', '0.bias', '2.weight', '2.bias'].flatMap((k) => (state[k] as number[] | number[][]).flat()));

function presetOf(f: Fixture) {
  const c = f.config;
  return presetWith(
    {
      models: 1,
      hidden: [c.hidden],
      activation: { kind: 'leaky_relu', negativeSlope: c.slope },
      data: c.linspace_batch ? { kind: 'grid' } : { kind: 'fresh', batchSize: c.batch },
      optimizer:
        c.opt === 'adam'
          ? { kind: 'adam', lr: c.lr, weightDecay: c.weight_decay ?? 0 }
          : { kind: 'sgd', lr: c.lr, momentum: c.momentum, weightDecay: c.weight_decay ?? 0 },
      schedule:
        c.sched === 'none'
          ? { kind: 'constant' }
          : {
              kind: 'cyclic',
              mode: c.sched as 'triangular',
              baseLr: c.base_lr,
              maxLr: c.max_lr,
              stepSizeUp: c.up,
              stepSizeDown: c.down,
              gamma: c.gamma,
              cycleMomentum: false,
            },
    },
    {
      seed: c.seed,
      target: { kind: 'step', threshold: c.step_at, low: 0, high: c.height },
      validation: { points: c.val_n },
      stop: { maxSteps: c.steps, lossLimit: 0 },
    },
  );
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => join(FIXTURES, f));

/** Every step's lr, lossTrain and lossVal, as the engine computed them. */
const trace = { lr: [] as number[], lossTrain: [] as number[], lossVal: [] as number[] };
export const hooks: TrainHooks = {
  ...quietHooks,
  trace: (step, lossTrain, lossVal, lr) => {
    trace.lr[step] = lr;
    trace.lossTrain[step] = lossTrain;
    trace.lossVal[step] = lossVal;
  },
};
/** Trains the fixture's one model from `params` on samples from `rng`, with `hooks`. */
export type Replay = (exp: Experiment, params: Float32Array, rng: TorchGenerator) => ModelResult;

/** The replay of every fixture on a backend, after `load` (the backend's runtime), which may check itself. */
export function describeReplays(name: string, replay: Replay, load?: () => Promise<void>): void {
  describe(`PyTorch replay on the ${name} backend`, () => {
    beforeAll(async () => {
      await load?.();
    });

    it('has fixtures to replay', () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(5);
    });

    it.each(fixtures)('%s', (file) => {
      const f = readJson<Fixture>(file);
      const exp = experimentOf(presetOf(f));
      const samples = typeof f.samples === 'string' ? [] : f.samples.flat();
      for (const k of Object.keys(trace) as (keyof typeof trace)[]) trace[k] = [];
      const result = replay(exp, flatParams(f.init), new ReplayGenerator(samples));

      expect(result.status).toBe('capped');
      expect(result.steps).toBe(f.config.steps - 1);
      expect(trace.lossVal).toHaveLength(f.config.steps);
      for (let step = 0; step < f.config.steps; step++) {
        expect(trace.lr[step], `lr at step ${step}`).toBeCloseTo(f.expected.lr[step], 12);
        expect(Math.abs(trace.lossTrain[step] / f.expected.lossTrain[step] - 1), `lossTrain at step ${step}`).toBeLessThan(1e-5);
        expect(Math.abs(trace.lossVal[step] / f.expected.lossVal[step] - 1), `lossVal at step ${step}`).toBeLessThan(1e-5);
      }
      // the stored curve is those values, decimated
      expect(result.curves.step.length).toBeGreaterThan(100);
      result.curves.step.forEach((step, k) => expect(result.curves.lossVal[k]).toBe(trace.lossVal[step]));
      const expectedFinal = flatParams(f.expected.final);
      expect(result.finalParams).toHaveLength(expectedFinal.length);
      result.finalParams.forEach((w, k) => expect(Math.abs(w - expectedFinal[k]), `final weight ${k}`).toBeLessThan(1e-5));
      expect(Math.abs(result.lossFinal! / f.expected.finalLossVal - 1)).toBeLessThan(1e-5);
    });
  });
}
