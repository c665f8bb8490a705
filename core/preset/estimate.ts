// How long a run may take on this computer, said before it starts: every model trained to its step cap
// (the worst case, as the ETA counts while it runs) at a conservative rate per worker thread. Cheap: no
// model is trained, only counted.
import type { Backend } from '../results/events.ts';
import { piecewiseLinearNet } from '../model/network.ts';
import type { Preset } from './preset.ts';
import { expandSweep } from './sweep.ts';

/**
 * Model-steps per second of one worker thread, below the slowest measured of each kind: the fused kernel
 * made 321,605 a thread in docs/benchmarks.md (a thousand 1→8→1 models, validating on 5001 points every
 * step) and 173,000 in the app beside a busy window (the e2e harness: 346,135 on 2 threads, start-up
 * included); every other backend 58 (tfjs on plain JavaScript, 1→8→8→1 tanh; the direct kernel 143–231).
 */
export const FUSED_STEPS_PER_SECOND = 100_000;
export const OTHER_STEPS_PER_SECOND = 50;

/** A run's estimate: its model-steps at most, and the seconds they take at most at the rates above. */
export interface RunEstimate {
  modelSteps: number;
  seconds: number;
}

/**
 * The worker threads a run on this computer trains on: one a requested worker, as many as its models, where
 * each model has its own random stream and a CPU kernel trains them; else one (torch's one stream in order,
 * or the one thread that owns tfjs or the GPU). The plan (electron/engine/plan.ts) and the estimate count alike.
 */
export function workerThreads(preset: Pick<Preset, 'rng'>, onCpu: boolean, requested: number, models: number): number {
  return preset.rng === 'per-model' && onCpu ? Math.max(1, Math.min(requested, models)) : 1;
}

/**
 * A valid preset's estimate on `workers` threads with `backend`. The fused kernel trains a piecewise-linear
 * group when the backend is auto or fused; a run on torch's one stream, or on tfjs or WebGPU, uses one thread.
 */
export function estimateRun(source: Preset, backend: Backend, workers: number): RunEstimate {
  const { preset } = expandSweep(source);
  const cpu = backend === 'auto' || backend === 'fused' || backend === 'fused-simd' || backend === 'direct';
  const models = preset.groups.reduce((n, g) => n + g.models, 0);
  const threads = workerThreads(preset, cpu, workers, models);
  let modelSteps = 0;
  let threadSeconds = 0;
  for (const g of preset.groups) {
    const steps = g.models * preset.stop.maxSteps;
    const fused = backend !== 'direct' && cpu && piecewiseLinearNet(g);
    modelSteps += steps;
    threadSeconds += steps / (fused ? FUSED_STEPS_PER_SECOND : OTHER_STEPS_PER_SECOND);
  }
  return { modelSteps, seconds: threadSeconds / threads };
}
