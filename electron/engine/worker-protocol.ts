// Messages between the run coordinator and its training worker threads.
import type { Backend, ModelProgress, ModelResult } from './events.ts';
import type { Preset } from './preset.ts';

export interface WorkerSetup {
  preset: Preset;
  backend: Backend;
  /** torch: this worker trains every model in order; per-model: it waits for `train` messages. */
  rng: Preset['rng'];
  /** Int32 flag, set to 1 to stop. */
  stopFlag: SharedArrayBuffer;
  progressIntervalMs: number;
}

export type ToWorker = { type: 'train'; id: number };

export type FromWorker =
  | { type: 'log'; id: number; line: string }
  | { type: 'progress'; progress: ModelProgress }
  | { type: 'done'; result: ModelResult }
  | { type: 'idle' }
  | { type: 'error'; message: string };
