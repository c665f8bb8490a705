// The two RNG modes, over either kind of trainer. `torch`: one PyTorch-compatible stream consumed
// in the seed script's order (every model of every group initialised first, then each model trains
// in turn, drawing its batches from the same stream). `per-model`: each model has its own stream,
// so models train in parallel (in worker threads, or batched on TensorFlow.js).
import type { Backend, ModelRef, TrainedModel } from '../../core/results/events.ts';
import type { Experiment } from './experiment.ts';
import { initParams } from './init.ts';
import { perModelSeed, TorchGenerator } from './rng.ts';
import type { TfRuntime } from './tfjs/runtime.ts';
import { trainGroupTf } from './tfjs/train.ts';
import { trainModel, type TrainHooks } from './train.ts';

/** Trains models of one group, each from its parameters and generator; `skip` as in trainModel. */
export type Trainer = (refs: ModelRef[], params: Float32Array[], rngs: TorchGenerator[], skip: boolean) => TrainedModel[];

/** CPU backends train one model after another; tfjs trains the given models as one batch. */
export function makeTrainer(exp: Experiment, backend: Backend, hooksFor: (ref: ModelRef) => TrainHooks, tf: TfRuntime | null): Trainer {
  if (tf) return (refs, params, rngs, skip) => trainGroupTf(tf, exp, refs, params, rngs, hooksFor, skip);
  const cpu = backend === 'direct' || backend === 'fused-simd' ? backend : 'fused';
  return (refs, params, rngs, skip) => refs.map((ref, m) => trainModel(exp, ref, params[m], rngs[m], cpu, hooksFor(ref), skip));
}

export function trainTorchStream(exp: Experiment, train: Trainer, shouldStop: () => boolean, onDone: (result: TrainedModel) => void): void {
  const rng = new TorchGenerator(exp.preset.seed);
  const params = exp.models.map((ref) => initParams(exp.preset.groups[ref.groupIndex], rng));
  for (const ref of exp.models) {
    if (shouldStop()) return;
    onDone(train([ref], [params[ref.id]], [rng], true)[0]);
  }
}

/** Each model's own stream and its initial parameters, drawn from it. */
export function ownStreams(exp: Experiment, refs: ModelRef[]): { rngs: TorchGenerator[]; params: Float32Array[] } {
  const rngs = refs.map((ref) => new TorchGenerator(perModelSeed(exp.preset.seed, exp.streams[ref.groupIndex], ref.index)));
  const params = refs.map((ref, m) => initParams(exp.preset.groups[ref.groupIndex], rngs[m]));
  return { rngs, params };
}

/** Models of one group, each initialised from and trained on its own stream. */
export function trainOwnStreams(exp: Experiment, refs: ModelRef[], train: Trainer): TrainedModel[] {
  const { rngs, params } = ownStreams(exp, refs);
  return train(refs, params, rngs, false);
}
