// `lab submit`: puts a preset's jobs on the queue (ids from the preset's hash and model range: adding
// them again adds nothing), waits for every one, and assembles the same result and .out log as a local
// run. `resume` also retries the jobs that failed all their attempts.
import { Job, Queue, QueueEvents } from 'bullmq';
import type { ModelResult, RunResult } from '../../core/events.ts';
import type { Preset } from '../../core/preset.ts';
import { wholeRun } from '../engine/shard.ts';
import { connectionOf, jobsOf, QUEUE_NAME, reachable, type JobData, type JobResult } from './jobs.ts';

/** Attempts per job, with exponential backoff between them. */
export const ATTEMPTS = 3;

/** Jobs that failed every attempt, each by name: what `--resume` runs again. */
export class QueueError extends Error {
  override name = 'QueueError';
}

export interface SubmitOptions {
  jobSize?: number;
  resume?: boolean;
  /** Jobs finished so far, of all. */
  onProgress?: (done: number, total: number) => void;
}

export async function submit(preset: Preset, redis: string, options: SubmitOptions = {}): Promise<{ result: RunResult; log: string }> {
  const connection = connectionOf(redis);
  const queue = new Queue<JobData, JobResult>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // connection trouble is retried by the client and reported below ("cannot reach Redis"), not thrown
  queue.on('error', () => {});
  events.on('error', () => {});
  let connected = false;
  try {
    await reachable(queue, redis);
    await reachable(events, redis);
    connected = true;
    const planned = jobsOf(preset, options.jobSize);
    await queue.addBulk(
      planned.map((j) => ({
        name: 'train',
        data: j.data,
        opts: {
          jobId: j.id,
          attempts: ATTEMPTS,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    let done = 0;
    const report = () => options.onProgress?.(done, planned.length);
    report();
    const outcomes = await Promise.all(
      planned.map(async (p) => {
        const job = (await Job.fromId<JobData, JobResult>(queue, p.id))!;
        if (options.resume && (await job.getState()) === 'failed') await job.retry('failed');
        try {
          const value = (await job.waitUntilFinished(events)) as JobResult;
          done++;
          report();
          return { value };
        } catch (err) {
          return { failed: `job ${p.id}, ${p.name}: ${(err as Error).message}` };
        }
      }),
    );
    const failed = outcomes.flatMap((o) => ('failed' in o && o.failed ? [o.failed] : []));
    if (failed.length) {
      throw new QueueError(
        `${failed.length} of ${planned.length} jobs failed after ${ATTEMPTS} attempts — ${failed.join('; ')}; run lab submit --resume to train only what is missing`,
      );
    }
    const values = outcomes.map((o) => (o as { value: JobResult }).value);
    const models: ModelResult[] = values.flatMap((v) => v.models);
    const lines = new Map<number, string[]>();
    values.forEach((v, k) => v.log.forEach((l, i) => lines.set(planned[k].data.from + i, l)));
    return wholeRun(values[0], models, lines);
  } finally {
    if (connected) await Promise.all([events.close(), queue.close()]);
    // closing or disconnecting waits for a connection that never came: let the clients go instead
    else for (const client of [events, queue]) client.disconnect().catch(() => {});
  }
}
