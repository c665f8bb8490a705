// What a run reports, as plain serialisable data: the CLI prints it, the desktop app receives it
// over IPC, the JSON result stores it. Defined once here; stored results are validated by these schemas
// when they are read back.
import { z } from 'zod';
import type { Curves } from './curves.ts';
import { OUTCOMES, type Outcome, type Plateaus } from './plateaus.ts';
import { PresetSchema, type Preset } from './preset.ts';

/** How a model's training ended: reached the loss limit, ran to the step cap, diverged, or was stopped. */
export const MODEL_STATUSES = ['reached', 'capped', 'diverged', 'stopped'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];
/**
 * fused: the fused CPU kernel (the direct kernel for networks it cannot run); direct: sample-by-sample
 * evaluation, the test oracle; tfjs: TensorFlow.js on the best device that loads (tfjs-wasm, tfjs-cpu
 * force one); auto: chosen per run (electron/engine/backends.ts).
 */
export const BACKENDS = ['auto', 'fused', 'direct', 'tfjs', 'tfjs-wasm', 'tfjs-cpu'] as const;
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
  backend: Backend;
  /** The preset as run, with command-line overrides applied. */
  preset: Preset;
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
  /** The last step index, as the seed's `epochs`. */
  steps: z.int().nonnegative(),
  status: z.enum(MODEL_STATUSES),
  outcome: z.enum(OUTCOMES),
  initialParams: storedNumbers,
  finalParams: storedNumbers,
  curves: CurvesSchema,
});
export type ModelResult = z.output<typeof ModelResultSchema>;

const GroupSummarySchema = z.strictObject({
  group: z.string(),
  models: z.int().nonnegative(),
  /** Models per outcome (results written before an outcome existed count none of it). */
  counts: z.partialRecord(z.enum(OUTCOMES), z.int().nonnegative()).transform((c) => ({ ...noOutcomes(), ...c })),
  /** Median steps of the models that reached the loss limit; null when none did. */
  medianStepsReached: z.number().nullable(),
  /** Final losses clustered within PLATEAU_TOLERANCE, e.g. { count: 7, loss: 0.0658 }. */
  clusters: z.array(z.strictObject({ count: z.int().positive(), loss: z.number(), min: z.number(), max: z.number() })),
});
export type GroupSummary = z.output<typeof GroupSummarySchema>;

export const RESULT_FORMAT = 'minima-lab-result';
/** 2 added the zero-output plateau and the `escaped` and `zero` outcomes; version 1 results still read. */
export const RESULT_VERSION = 2;

/** Zero models of every outcome. */
export function noOutcomes(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

/** The JSON result: deterministic for a preset and seed (no timings, no worker count). */
export const RunResultSchema = z.strictObject({
  format: z.literal(RESULT_FORMAT),
  version: z.union([z.literal(1), z.literal(RESULT_VERSION)]),
  engine: z.string(),
  backend: z.enum(BACKENDS),
  preset: PresetSchema,
  plateaus: z.strictObject({ constant: storedNumber, line: storedNumber, zero: storedNumber.optional() }) satisfies z.ZodType<Plateaus>,
  /** True when the run was stopped before every model finished. */
  stopped: z.boolean(),
  models: z.array(ModelResultSchema),
  summary: z.array(GroupSummarySchema),
});
export type RunResult = z.output<typeof RunResultSchema>;

export type RunEvent =
  | { type: 'started'; info: RunInfo }
  | { type: 'log'; line: string }
  | { type: 'progress'; models: ModelProgress[]; modelsDone: number; stepsPerSecond: number; etaSeconds: number | null }
  | { type: 'modelFinished'; result: ModelResult }
  | { type: 'finished'; result: RunResult };
