// The two RNG modes. `torch`: one PyTorch-compatible stream consumed in the seed script's order
// (every model of every group initialised first, then each model trains in turn, drawing its batches
// from the same stream). `per-model`: each model has its own stream, so models can train in parallel.
import type { Backend, ModelRef, ModelResult } from './events.ts';
import type { Experiment } from './experiment.ts';
import { initParams } from './network.ts';
import { perModelSeed, TorchGenerator } from './rng.ts';
import { trainModel, type TrainHooks } from './train.ts';

export function trainTorchStream(exp: Experiment, backend: Backend, hooksFor: (ref: ModelRef) => TrainHooks,
  onDone: (result: ModelResult) => void): void {
  const rng = new TorchGenerator(exp.preset.seed);
  const params = exp.models.map((ref) => initParams(exp.preset.groups[ref.groupIndex], rng));
  for (const ref of exp.models) {
    const hooks = hooksFor(ref);
    if (hooks.shouldStop()) return;
    onDone(trainModel(exp, ref, params[ref.id], rng, backend, hooks, true));
  }
}

export function trainOwnStream(exp: Experiment, ref: ModelRef, backend: Backend, hooks: TrainHooks): ModelResult {
  const rng = new TorchGenerator(perModelSeed(exp.preset.seed, ref.groupIndex, ref.index));
  const params = initParams(exp.preset.groups[ref.groupIndex], rng);
  return trainModel(exp, ref, params, rng, backend, hooks, false);
}
