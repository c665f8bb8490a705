// A sweep on a BullMQ queue: its models cut into jobs of a few hundred, each job named by the preset's
// hash and its model range, so a retry or a second submit of the same preset never trains a model twice.
import type { ConnectionOptions } from 'bullmq';
import type { Backend, ModelResult, RunAbout } from '../../core/results/events.ts';
import type { Snapshots } from '../../core/results/snapshots.ts';
import type { Preset } from '../../core/preset/preset.ts';
import { isRedisUrl, shownUrl } from '../../core/queue/redis-url.ts';
import type { PlannedRun } from '../engine/plan.ts';
import { presetHash } from '../engine/shard.ts';

export const QUEUE_NAME = 'minima-lab';
/** Models per job unless told otherwise: a few seconds of work at the built-in sweep's caps. */
export const DEFAULT_JOB_SIZE = 200;

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

/** What a job returns: its models' results, .out lines and snapshots, and what every job of the run shares. */
export interface JobResult extends RunAbout {
  models: ModelResult[];
  /** Each model's .out lines, in id order from `from`. */
  log: string[][];
  /** The snapshots of its models that kept any. */
  snapshots: QueuedSnapshots[];
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
export function jobsOf({ source, plan }: PlannedRun, size = DEFAULT_JOB_SIZE): PlannedJob[] {
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

/** A redis:// URL as BullMQ's connection options. */
export function connectionOf(url: string): ConnectionOptions {
  if (!isRedisUrl(url)) throw new Error(`expected a redis:// URL with a host, got '${shownUrl(url)}'`);
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** How long a client waits for Redis before saying it is not there. */
const REDIS_WAIT_MS = 10_000;

/** A BullMQ client as `reachable` waits on it. */
interface Client {
  waitUntilReady(): Promise<unknown>;
  on(event: 'error', listener: (err: Error) => void): unknown;
  off(event: 'error', listener: (err: Error) => void): unknown;
}

/** Redis's own refusals of the client: final, so said at once rather than after REDIS_WAIT_MS. */
const REFUSED = /WRONGPASS|NOAUTH|NOPERM/;

/**
 * Waits for a BullMQ client's connection, or says plainly that Redis is not there; or, where a Redis
 * answered and refused (a wrong password), what it said, as soon as it says it.
 */
export function reachable(client: Client, url: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let said = '';
    const heard = (err: Error) => {
      if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.test(err.message)) return;
      said = err.message;
      if (REFUSED.test(said)) end(new UnreachableError(`cannot reach Redis at ${url}: Redis said: ${said}`));
    };
    const timer = setTimeout(() => {
      const why = said ? `Redis said: ${said}` : 'is redis-server running?';
      end(new UnreachableError(`cannot reach Redis at ${url} (waited ${REDIS_WAIT_MS / 1000} s): ${why}`));
    }, REDIS_WAIT_MS);
    const end = (err?: unknown) => {
      clearTimeout(timer);
      client.off('error', heard);
      if (err) reject(err);
      else resolve();
    };
    client.on('error', heard);
    client.waitUntilReady().then(() => end(), end);
  });
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
}
