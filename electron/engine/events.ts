// What a run reports, as plain serialisable data: the CLI prints it, the desktop app receives it
// over IPC, the JSON result stores it. Defined once here.
import type { Curves } from './curves.ts';
import type { Outcome, Plateaus } from './plateaus.ts';
import type { Preset } from './preset.ts';

export type ModelStatus = 'running' | 'reached' | 'capped' | 'diverged' | 'stopped';
/**
 * fused: the fused CPU kernel (the direct kernel for networks it cannot run); direct: sample-by-sample
 * evaluation, the test oracle; tfjs: TensorFlow.js on the best device that loads (tfjs-wasm, tfjs-cpu
 * force one); auto: chosen per run (electron/engine/backends.ts).
 */
export const BACKENDS = ['auto', 'fused', 'direct', 'tfjs', 'tfjs-wasm', 'tfjs-cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

/** One model of the run, in log order (group by group, model by model). */
export interface ModelRef {
  id: number;
  group: string;
  groupIndex: number;
  index: number;
}

export interface RunInfo {
  /** The .out log's first line (where the seed prints the torch version). */
  engine: string;
  /** The backend that runs (auto resolved). */
  backend: Backend;
  /** The preset as run, with command-line overrides applied. */
  preset: Preset;
  models: ModelRef[];
  plateaus: Plateaus;
  workers: number;
}

export interface ModelProgress {
  id: number;
  step: number;
  lossTrain: number;
  lossVal: number;
  lr: number;
  params: number[];
  /** Curve points recorded since this model's previous progress report. */
  curves: Curves;
}

export interface ModelResult extends ModelRef {
  lossInit: number;
  /** null where the loss is NaN or infinite. */
  lossFinal: number | null;
  /** The last step index, as the seed's `epochs`. */
  steps: number;
  status: Exclude<ModelStatus, 'running'>;
  outcome: Outcome;
  initialParams: number[];
  finalParams: number[];
  curves: Curves;
}

export interface GroupSummary {
  group: string;
  models: number;
  counts: Record<Outcome, number>;
  /** Median steps of the models that reached the loss limit; null when none did. */
  medianStepsReached: number | null;
  /** Final losses clustered within PLATEAU_TOLERANCE, e.g. { count: 7, loss: 0.0658 }. */
  clusters: { count: number; loss: number; min: number; max: number }[];
}

export const RESULT_FORMAT = 'minima-lab-result';

/** The JSON result: deterministic for a preset and seed (no timings, no worker count). */
export interface RunResult {
  format: typeof RESULT_FORMAT;
  version: 1;
  engine: string;
  backend: Backend;
  preset: Preset;
  plateaus: Plateaus;
  /** True when the run was stopped before every model finished. */
  stopped: boolean;
  models: ModelResult[];
  summary: GroupSummary[];
}

export type RunEvent =
  | { type: 'started'; info: RunInfo }
  | { type: 'log'; line: string }
  | { type: 'progress'; models: ModelProgress[]; modelsDone: number; stepsPerSecond: number; etaSeconds: number | null }
  | { type: 'modelFinished'; result: ModelResult }
  | { type: 'finished'; result: RunResult };
