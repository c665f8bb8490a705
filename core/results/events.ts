// What a run reports, as plain serialisable data: the CLI prints it, the desktop app receives it
// over IPC, the JSON result stores it. Defined once here; stored results are validated by these schemas
// when they are read back.
import { z } from 'zod';
import type { Curves } from './curves.ts';
import type { Snapshots } from './snapshots.ts';
import { OUTCOMES, type Plateaus } from '../model/plateaus.ts';
import { PresetSchema, type Preset } from '../preset/preset.ts';
import { summarise, type GroupSummary } from './summary.ts';
import { SweepInfoSchema, type SweepInfo } from '../preset/sweep.ts';

/** How a model's training ended: reached the loss limit, ran to the step cap, diverged, or was stopped. */
export const MODEL_STATUSES = ['reached', 'capped', 'diverged', 'stopped'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];
/**
 * fused: the fused CPU kernel (the direct kernel for networks it cannot run); fused-simd: the fused kernel in
 * WebAssembly with SIMD (the fused kernel for the groups it does not train); direct: sample-by-sample
 * evaluation, the test oracle; tfjs: TensorFlow.js on the best device that loads (tfjs-wasm, tfjs-cpu
 * force one); auto: chosen per run (electron/engine/backends.ts).
 */
export const BACKENDS = ['auto', 'fused', 'fused-simd', 'direct', 'tfjs', 'tfjs-wasm', 'tfjs-cpu', 'webgpu'] as const;
export type Backend = (typeof BACKENDS)[number];
/** The backend a run uses unless the user picks another (CLI, app and engine alike). */
export const DEFAULT_BACKEND: Backend = 'auto';

/** One model of the run, in log order (group by group, model by model). */
export interface ModelRef {
  id: number;
  group: string;
  groupIndex: number;
  index: number;
}

/** What a run is set to do, known before its workers start. */
export interface RunPlan {
  /** The backend that runs (auto resolved). */
  backend: Exclude<Backend, 'auto'>;
  /** The preset as run, with command-line overrides applied and a sweep expanded (its groups are the cells). */
  preset: Preset;
  /** The sweep's axes and cells; null for a preset without one. */
  sweep: SweepInfo | null;
  /** Per group, the key its models' random streams derive from (core/preset/sweep.ts). */
  streams: number[];
  models: ModelRef[];
  workers: number;
}

/** The plan, once the first worker has built the experiment and loaded its backend. */
export interface RunInfo extends RunPlan {
  /** The .out log's first line (where the seed prints the torch version). */
  engine: string;
  plateaus: Plateaus;
}

/**
 * Progress carries a model's current weights only for networks of at most this many parameters (the live
 * fit chart draws them); a bigger network's weights come with its result, so progress stays small.
 */
export const LIVE_WEIGHTS_LIMIT = 256;

export interface ModelProgress {
  id: number;
  step: number;
  lossTrain: number;
  lossVal: number;
  lr: number;
  /** The current weights, for networks of at most LIVE_WEIGHTS_LIMIT parameters. */
  params?: number[];
  /** Curve points recorded since this model's previous progress report. */
  curves: Curves;
}

/** A number as JSON stores it: NaN and infinities become null there, and NaN again when read. */
const storedNumber = z.union([z.number(), z.null().transform(() => NaN)]);
const storedNumbers = z.array(storedNumber);

const CurvesSchema = z.strictObject({
  step: z.array(z.int().nonnegative()),
  lossTrain: storedNumbers,
  lossVal: storedNumbers,
  lr: storedNumbers,
  lossTrainMin: storedNumbers,
  lossTrainMax: storedNumbers,
  lossValMin: storedNumbers,
  lossValMax: storedNumbers,
}) satisfies z.ZodType<Curves>;

export const ModelResultSchema = z.strictObject({
  id: z.int().nonnegative(),
  group: z.string(),
  groupIndex: z.int().nonnegative(),
  index: z.int().nonnegative(),
  lossInit: storedNumber,
  /** null where the loss is NaN or infinite. */
  lossFinal: z.number().nullable(),
  /** The lowest validation loss it saw; null where none was finite (or in a result written before it was kept). */
  lossBest: z.number().nullable().default(null),
  /** The last step index, as the seed's `epochs`. */
  steps: z.int().nonnegative(),
  status: z.enum(MODEL_STATUSES),
  outcome: z.enum(OUTCOMES),
  initialParams: storedNumbers,
  finalParams: storedNumbers,
  curves: CurvesSchema,
});
export type ModelResult = z.output<typeof ModelResultSchema>;

/**
 * A model as training returns it: its result, and its snapshots (core/results/snapshots.ts), which travel
 * apart from the result and are stored beside it as .npz (a result stays its size).
 */
export type TrainedModel = ModelResult & { snapshots: Snapshots };

export const RESULT_FORMAT = 'minima-lab-result';
/**
 * 2 added the zero-output plateau and the `escaped` and `zero` outcomes; 3 sweeps, each model's best loss
 * and the summary's rates and Kaplan–Meier steps; 4 `snapshotsFile`; 5 the `stopped` outcome (before it, a
 * model the user's Stop interrupted was classed by its last loss, and still reads so). Earlier results still read.
 */
export const RESULT_VERSION = 5;
const RESULT_VERSIONS = [1, 2, 3, 4, RESULT_VERSION] as const;
/** The first version with the `stopped` outcome. */
const STOPPED_OUTCOME_SINCE = 5;

export const PlateausSchema = z.strictObject({
  constant: storedNumber,
  line: storedNumber,
  zero: storedNumber.optional(),
}) satisfies z.ZodType<Plateaus>;

/**
 * The JSON result: deterministic for a preset and seed (no timings, no worker count). Its summary is
 * written for other readers; reading one derives it again from the models (core/results/summary.ts), so a
 * result from an earlier version reads with today's statistics.
 */
export const RunResultFields = z.strictObject({
  format: z.literal(RESULT_FORMAT),
  version: z.literal(RESULT_VERSIONS),
  engine: z.string(),
  backend: z.enum(BACKENDS),
  /** The preset as run: a sweep's cells as its groups. */
  preset: PresetSchema,
  /** The sweep's axes and cells; null for a run of a preset without one. */
  sweep: SweepInfoSchema.nullable().default(null),
  plateaus: PlateausSchema,
  /** True when the run was stopped before every model finished. */
  stopped: z.boolean(),
  /** Every model; in a sweep, only the first `curvesPerCell` of each cell keep their curves and weights (and snapshots, stored apart). */
  models: z.array(ModelResultSchema),
  /** Where `lab run --snapshots` wrote the models' snapshots (.npz), relative to this file. */
  snapshotsFile: z.string().optional(),
  summary: z.array(z.unknown()),
});
/** A result written before the `stopped` outcome existed cannot hold one: its stopped models were classed by their loss. */
export function outcomesOfItsVersion(r: { version: number; models: Pick<ModelResult, 'outcome'>[] }, ctx: z.RefinementCtx): void {
  if (r.version >= STOPPED_OUTCOME_SINCE) return;
  const k = r.models.findIndex((m) => m.outcome === 'stopped');
  if (k >= 0)
    ctx.addIssue({
      code: 'custom',
      path: ['models', k, 'outcome'],
      message: `the outcome "stopped" is in results from version ${STOPPED_OUTCOME_SINCE} on, and this one says version ${r.version}`,
    });
}
/** A result as read: today's version, its summary derived again from its models. */
export const currentResult = <R extends z.output<typeof RunResultFields>>(
  r: R,
): Omit<R, 'version' | 'summary'> & { version: number; summary: GroupSummary[] } => ({
  ...r,
  version: RESULT_VERSION,
  summary: summarise(r.preset, r.models),
});
export const RunResultSchema = RunResultFields.superRefine(outcomesOfItsVersion).transform(currentResult);
export type RunResult = z.output<typeof RunResultSchema>;
export type { GroupSummary };

/** What every part of a run shares (a shard, a queue job, the run itself). */
export type RunAbout = Pick<RunResult, 'engine' | 'backend' | 'preset' | 'sweep' | 'plateaus'>;

/** A run's result from its models, in id order, however they were trained. */
export function runResultOf(about: RunAbout, models: ModelResult[], stopped: boolean): RunResult {
  const { engine, backend, preset, sweep, plateaus } = about;
  const ordered = [...models].sort((p, q) => p.id - q.id);
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    engine,
    backend,
    preset,
    sweep,
    plateaus,
    stopped,
    models: ordered,
    summary: summarise(preset, ordered),
  };
}

export type RunEvent =
  | { type: 'started'; info: RunInfo }
  /** A line of the .out log; `model`: the model it is about (null for the engine line and group headers). */
  | { type: 'log'; line: string; model: number | null }
  | { type: 'progress'; models: ModelProgress[]; modelsDone: number; stepsPerSecond: number; etaSeconds: number | null }
  | { type: 'modelFinished'; result: ModelResult }
  | { type: 'finished'; result: RunResult };
