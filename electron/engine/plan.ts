// A run's plan, made once from its parsed preset (parseAndExpand) before anything trains: the backend, the
// models and the worker threads, or the reason the run is refused. Run trains it on this machine; QueueRun
// hands it to the workers of a queue.
import { availableParallelism } from 'node:os';
import { DEFAULT_BACKEND, type Backend, type RunPlan } from '../../core/results/events.ts';
import type { Preset } from '../../core/preset/preset.ts';
import type { Expanded } from '../../core/preset/sweep.ts';
import { workerThreads } from '../../core/preset/estimate.ts';
import { resolveBackend, tfjsDevice, type GpuAdapterKind } from './backends.ts';
import { RunRefused } from './budget.ts';
import { modelsOf } from './experiment.ts';

/** A run as planned: what it trains and reports, and the preset it comes from. */
export interface PlannedRun {
  /** The preset as written (Expanded.source). */
  source: Preset;
  plan: RunPlan;
}

/** What a run on this machine is asked for (the app's run form, `lab run`'s options, a queue job). */
export interface LocalChoices {
  /** Default: DEFAULT_BACKEND. */
  backend?: Backend;
  /** Worker threads for per-model runs on the CPU kernels (torch-stream, tfjs and webgpu runs use one). Default: one per core. */
  workers?: number;
  /** The WebGPU adapter found for `auto` (gpuForAuto); without one, `auto` never picks webgpu. */
  gpu?: GpuAdapterKind;
  /** Train only the models with these ids (a shard, a queue job); per-model streams only. */
  only?: (id: number) => boolean;
}

/** The plan of a run on this machine; throws RunRefused for one its random streams cannot train as asked. */
export function planLocalRun({ source, preset, sweep, streams }: Expanded, choices: LocalChoices = {}): PlannedRun {
  const { only } = choices;
  if (only) refuseSharedStream(preset, 'training part of a run (a shard, a queue job)');
  const models = modelsOf(preset).filter((m) => !only || only(m.id));
  const backend = resolveBackend(choices.backend ?? DEFAULT_BACKEND, preset, undefined, choices.gpu);
  if (backend === 'webgpu' && preset.rng !== 'per-model') {
    throw new RunRefused(
      'the webgpu backend trains every model on its own random stream (rng: per-model, --rng per-model): in torch mode the models share one stream, one after another',
    );
  }
  // one worker owns the GPU; it trains the groups the kernel cannot on the CPU kernels
  const onCpu = tfjsDevice(backend) === null && backend !== 'webgpu';
  const workers = workerThreads(preset, onCpu, choices.workers ?? availableParallelism(), models.length);
  return { source, plan: { backend, preset, sweep, streams, models, workers } };
}

/** The plan of a run on a queue: every model, in jobs that train apart; its workers are wherever `lab worker` runs (none here). */
export function planQueueRun({ source, preset, sweep, streams }: Expanded): PlannedRun {
  refuseSharedStream(preset, 'a run on a queue');
  const backend = resolveBackend('auto', preset, false); // each job carries it: every worker trains with it
  return { source, plan: { backend, preset, sweep, streams, models: modelsOf(preset), workers: 0 } };
}

/** Refuses to train part of a run apart from the rest (`what`) on torch's one stream. */
function refuseSharedStream(preset: Preset, what: string): void {
  if (preset.rng === 'per-model') return;
  throw new RunRefused(
    `${what} needs per-model random streams (rng: per-model): in torch mode every model’s batches depend on every model before it`,
  );
}
