// A sweep on a BullMQ queue: its models cut into jobs of a few hundred, each job named by the preset's
// hash and its model range, so a retry or a second submit of the same preset never trains a model twice.
import { z } from 'zod';
import { BACKENDS, type Backend, type ModelResult, type RunAbout } from '../../core/results/events.ts';
import type { Snapshots } from '../../core/results/snapshots.ts';
import type { Preset } from '../../core/preset/preset.ts';
import { parseAndExpand, PresetError } from '../../core/preset/parse.ts';
import type { Expanded } from '../../core/preset/sweep.ts';
import { firstProblem } from '../../core/preset/problems.ts';
import type { PlannedRun } from '../engine/plan.ts';
import { presetHash } from '../engine/shard.ts';
import { modelsOf } from '../engine/experiment.ts';
import { QUEUE_SETTINGS } from './settings.ts';

export const QUEUE_NAME = 'minima-lab';

/**
 * What a job carries: the preset as written (the worker expands it again), its models' ids, and the
 * backend the submitter planned, so every worker trains with it whatever it has installed.
 */
export interface JobData {
  preset: Preset;
  from: number;
  to: number;
  backend: Exclude<Backend, 'auto'>;
}

/** The backends a job may name: a submitter resolves `auto` before it queues anything. */
const TRAINED_BACKENDS = BACKENDS.filter((b): b is Exclude<Backend, 'auto'> => b !== 'auto');

/** A job's fields as a worker reads them, before their range is checked against the preset. */
const JobDataSchema = z.object({
  preset: z.unknown(),
  from: z.number().int().min(0),
  to: z.number().int().min(0),
  backend: z.enum(TRAINED_BACKENDS),
});

/** A job a worker cannot train as it is, whoever takes it: failed once, with this reason, and not retried. */
export class BadJob extends Error {
  override name = 'BadJob';
}

/** A job as a worker trains it: its preset expanded once, and its models' range within the preset's. */
export interface CheckedJob extends Omit<JobData, 'preset'> {
  expanded: Expanded;
}

/**
 * Every field of a job from the queue, which a worker trusts no more than a file: its preset through the
 * parser and limits a preset file goes through, its backend one Minima Lab knows, its models a range of the
 * preset's own ids. Throws BadJob naming the first problem ("job 1f0c…-0-199: to: must be at most 99, …").
 */
export function checkJob(data: unknown, id: string): CheckedJob {
  const where = `job ${id}`;
  const fields = JobDataSchema.safeParse(data);
  if (!fields.success) throw new BadJob(`${where}: ${firstProblem(fields.error, data, 'the job')}`);
  const { preset, from, to, backend } = fields.data;
  let expanded: Expanded;
  try {
    expanded = parseAndExpand(preset, where);
  } catch (err) {
    throw err instanceof PresetError ? new BadJob(err.message) : err;
  }
  const last = modelsOf(expanded.preset).length - 1;
  if (to > last) throw new BadJob(`${where}: to: must be at most ${last}, the preset's last model (got ${to})`);
  if (from > to) throw new BadJob(`${where}: from: must be at most to, ${to} (got ${from})`);
  return { expanded, from, to, backend };
}

/** What a job returns: its models' results, .out lines and snapshots, and what every job of the run shares. */
export interface JobResult extends RunAbout {
  models: ModelResult[];
  /** Each model's .out lines, in id order from `from`. */
  log: string[][];
  /** The snapshots of its models that kept any. */
  snapshots: QueuedSnapshots[];
}

/** A job's progress as its worker reports it, at most once a second: models finished, steps trained, steps left at most. */
export interface TrainingProgress {
  models: number;
  steps: number;
  left: number;
}

/** A job's progress from the queue, or null where it is not one (a submitter trusts its Redis no more than a worker does). */
export function trainingProgressOf(data: unknown): TrainingProgress | null {
  const p = data as Partial<Record<keyof TrainingProgress, unknown>> | null;
  const count = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  return typeof p === 'object' && p !== null && count(p.models) && count(p.steps) && count(p.left)
    ? { models: p.models, steps: p.steps, left: p.left }
    : null;
}

/**
 * A model's snapshots as a job returns them: its parameters as float32 rows in base64, a third of their
 * size as JSON numbers. A model keeps at most a few hundred rows of at most SNAPSHOT_PARAMS_LIMIT
 * parameters (about 500 KB in base64 at a million steps), far below Redis's 512 MB a value.
 */
export interface QueuedSnapshots {
  id: number;
  step: number[];
  params: string;
}

/** A run's snapshots (by model id) for a job's result. */
export function queuedSnapshots(snapshots: ReadonlyMap<number, Snapshots>): QueuedSnapshots[] {
  return [...snapshots].map(([id, { step, params }]) => ({
    id,
    step,
    params: Buffer.from(Float32Array.from(params.flat()).buffer).toString('base64'),
  }));
}

/** A job's snapshots of one model, as a run keeps them. */
export function snapshotsOfQueued({ step, params }: QueuedSnapshots): Snapshots {
  const values = new Float32Array(Uint8Array.from(Buffer.from(params, 'base64')).buffer); // a copy: aligned for float32
  const size = values.length / step.length;
  return { step, params: step.map((_, r) => Array.from(values.subarray(r * size, (r + 1) * size))) };
}

export interface PlannedJob {
  id: string;
  data: JobData;
  /** For messages: "models 200–399 (net_2_SGD-0.1 #0 to net_3_SGD-0.1 #99)". */
  name: string;
}

/** The jobs of a planned run: consecutive id ranges of `size` models. */
export function jobsOf({ source, plan }: PlannedRun, size: number = QUEUE_SETTINGS.jobSize.default): PlannedJob[] {
  const refs = plan.models;
  const hash = presetHash(source).slice('sha256:'.length, 'sha256:'.length + 16);
  const jobs: PlannedJob[] = [];
  for (let from = 0; from < refs.length; from += size) {
    const to = Math.min(from + size, refs.length) - 1;
    const [a, b] = [refs[from], refs[to]];
    jobs.push({
      id: `${hash}-${from}-${to}`,
      data: { preset: source, from, to, backend: plan.backend },
      name: `models ${from}–${to} (${a.group} #${a.index} to ${b.group} #${b.index})`,
    });
  }
  return jobs;
}
