// `lab worker`: takes jobs from the queue and trains them in worker threads (the event loop stays free,
// so BullMQ renews its locks), one thread per job, `concurrency` jobs at a time. A worker killed mid-job
// loses nothing: its lock runs out, another worker's stalled-job check puts the job back, and it trains
// again to the same result.
import { Worker, type Job } from 'bullmq';
import { parseAndExpand } from '../../core/preset/parse.ts';
import { planLocalRun } from '../engine/plan.ts';
import { Run } from '../engine/run.ts';
import { ModelLines } from '../engine/shard.ts';
import { connectionOf, QUEUE_NAME, queuedSnapshots, type JobData, type JobResult } from './jobs.ts';

/** How long a job's lock lasts without renewal, and how often workers look for stalled jobs. */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;

async function train(job: Job<JobData, JobResult>, workerUrl: URL | undefined): Promise<JobResult> {
  const { from, to } = job.data;
  const expanded = parseAndExpand(job.data.preset, `job ${job.id}`);
  const lines = new ModelLines();
  let done = 0;
  const planned = planLocalRun(expanded, { workers: 1, backend: job.data.backend, only: (id) => id >= from && id <= to });
  const run = new Run(planned, {
    workerUrl,
    onEvent: (event) => {
      lines.keep(event);
      if (event.type === 'modelFinished') job.updateProgress(++done).catch(() => {}); // progress is a courtesy: a lost lock fails the job elsewhere
    },
  });
  const result = await run.start();
  if (result.stopped) throw new Error('the job was stopped before all its models finished');
  const { engine, backend, sweep, plateaus, models } = result;
  return {
    engine,
    backend,
    preset: result.preset,
    sweep,
    plateaus,
    models,
    log: lines.of(Array.from({ length: to - from + 1 }, (_, k) => from + k)),
    snapshots: queuedSnapshots(run.snapshots),
  };
}

/** Starts taking jobs; `say` gets a line per job started, finished or failed; `workerUrl` is the training thread's entry (Run's). */
export function startWorker(redis: string, concurrency: number, say: (line: string) => void, workerUrl?: URL): Worker<JobData, JobResult> {
  const worker = new Worker<JobData, JobResult>(QUEUE_NAME, (job) => train(job, workerUrl), {
    connection: connectionOf(redis),
    concurrency,
    lockDuration: LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    maxStalledCount: 2,
  });
  // Until Redis first answers, `reachable` says in one line that it is not there. After, a lost Redis is
  // said once, not at each of the client's reconnects, and again only when something else went on between.
  let connected = false;
  let lastError = '';
  worker.waitUntilReady().then(
    () => (connected = true),
    () => {},
  );
  const sayJob = (line: string) => {
    lastError = '';
    say(line);
  };
  worker.on('active', (job) => sayJob(`training job ${job.id} (models ${job.data.from}–${job.data.to})`));
  worker.on('completed', (job) => sayJob(`finished job ${job.id}`));
  worker.on('failed', (job, err) => sayJob(`job ${job?.id ?? '?'} failed: ${err.message}`));
  worker.on('error', (err) => {
    if (connected && err.message !== lastError) say(`queue error: ${err.message}`);
    lastError = err.message;
  });
  return worker;
}
