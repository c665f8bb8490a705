// Messages between the run coordinator and its training worker threads.
import type { Backend, ModelProgress, TrainedModel } from '../../core/results/events.ts';
import type { FromGpu, GpuGone, ToGpu } from '../../core/gpu/remote.ts';
import type { Plateaus } from '../../core/model/plateaus.ts';
import type { Preset } from '../../core/preset/preset.ts';

export interface WorkerSetup {
  /** As run: a sweep expanded into its cells. */
  preset: Preset;
  /** Per group, the key of its per-model streams. */
  streams: number[];
  /** A sweep's models beyond this index in their cell send and keep no curves or weights; null outside a sweep. */
  curvesPerCell: number | null;
  backend: Backend;
  /** Int32 flag, set to 1 to stop. */
  stopFlag: SharedArrayBuffer;
  progressIntervalMs: number;
  /**
   * webgpu in the app: the GPU page trains the groups (through the coordinator), `adapter` its adapter in
   * words, `calls` a prefix unique to this run for its calls; absent: a Dawn device in this process.
   */
  gpuPage?: { adapter: string; calls: string };
}

/** Per-model runs: train these models (one, or a group's batch on tfjs). */
export type ToWorker = { type: 'train'; ids: number[] } | { type: 'gpu'; message: FromGpu | GpuGone };

export type FromWorker =
  | { type: 'ready'; engine: string; plateaus: Plateaus }
  | { type: 'log'; id: number; line: string }
  | { type: 'progress'; progress: ModelProgress }
  | { type: 'done'; result: TrainedModel }
  | { type: 'idle' }
  /** For the GPU page (webgpu in the app). */
  | { type: 'gpu'; message: ToGpu }
  | { type: 'error'; message: string };
