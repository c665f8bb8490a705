// A run whose models train on a BullMQ queue (`lab submit`, and the app's "Redis queue"): it puts the
// preset's jobs on the queue (ids from the preset's hash and model range: adding them again adds
// nothing), waits for the workers, and reports the same RunEvents, result and .out log as a local run,
// a job's models at a time. `resume` also retries the jobs that failed all their attempts.
import { Job, Queue, QueueEvents } from 'bullmq';
import { runResultOf, type ModelResult, type RunEvent, type RunInfo, type RunResult } from '../../core/results/events.ts';
import { plateausOf } from '../../core/model/plateaus.ts';
import type { Snapshots } from '../../core/results/snapshots.ts';
import { shownUrl } from '../../core/queue/redis-url.ts';
import { makeGrid, targetFunction } from '../../core/model/target.ts';
import { within } from '../within.ts';
import { engineLine } from '../engine/backends.ts';
import { OrderedLog } from '../engine/ordered-log.ts';
import type { PlannedRun } from '../engine/plan.ts';
import { connectionOf, jobsOf, QUEUE_NAME, reachable, snapshotsOfQueued, type JobData, type JobResult, type PlannedJob } from './jobs.ts';

/** Attempts per job, with exponential backoff between them. */
const ATTEMPTS = 3;

/** How long a stop waits for Redis to take its waiting jobs off the queue. */
const UNQUEUE_MS = 5000;

/** Jobs that failed every attempt, each by name, or workers that train differently from this run. */
export class QueueError extends Error {
  override name = 'QueueError';
}

export interface QueueRunOptions {
  /** Models per job (default DEFAULT_JOB_SIZE). */
  jobSize?: number;
  /** Retry the jobs that failed every attempt on an earlier submit. */
  resume?: boolean;
  onEvent?: (event: RunEvent) => void;
  /** Jobs finished so far, of all (the CLI's progress lines). */
  onJobs?: (done: number, total: number) => void;
}

export class QueueRun {
  /** What it trains (its workers are wherever `lab worker` runs: 0 here), and how it reports. */
  readonly plan: RunInfo;
  /** Each finished model's snapshots, by model id (the models that kept any), as a local Run keeps them. */
  readonly snapshots = new Map<number, Snapshots>();
  private readonly jobs: PlannedJob[];
  private readonly queue: Queue<JobData, JobResult>;
  private readonly events: QueueEvents;
  private readonly emit: (event: RunEvent) => void;
  private connected = false;
  private started = false;
  private stopping: (() => void) | null = null;
  private stopped = false;

  /** The run `planned` by planQueueRun. */
  constructor(
    planned: PlannedRun,
    private readonly redis: string,
    private readonly options: QueueRunOptions = {},
  ) {
    const { preset, backend } = planned.plan;
    const grid = makeGrid(preset.validation.points, targetFunction(preset.target));
    this.plan = Object.freeze({ ...planned.plan, engine: engineLine(preset, backend), plateaus: plateausOf(grid) });
    this.jobs = jobsOf(planned, options.jobSize);
    const connection = connectionOf(redis);
    this.queue = new Queue<JobData, JobResult>(QUEUE_NAME, { connection });
    this.queue.setMaxListeners(this.jobs.length + 10); // every job waited for listens for the queue closing
    this.events = new QueueEvents(QUEUE_NAME, { connection });
    // connection trouble is retried by the clients and reported by connect() ("cannot reach Redis"), not thrown
    this.queue.on('error', () => {});
    this.events.on('error', () => {});
    this.emit = options.onEvent ?? (() => {});
  }

  /** Waits for Redis (at most 10 s); throws UnreachableError, saying so plainly, when it is not there. */
  async connect(): Promise<void> {
    try {
      await reachable(this.queue, shownUrl(this.redis));
      await reachable(this.events, shownUrl(this.redis));
      this.connected = true;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** Queues the jobs and collects their models as they finish; resolves once all have, or the run was stopped. */
  async start(): Promise<RunResult> {
    if (!this.connected || this.started) throw new Error('connect() first, and start a queue run once');
    this.started = true;
    try {
      return await this.collect();
    } finally {
      this.close();
    }
  }

  /** Stops waiting: jobs no worker has taken yet leave the queue; those in training finish there (a later run of the same preset collects them). */
  stop(): void {
    this.stopped = true;
    this.stopping?.();
  }

  /** Lets the Redis clients go (start() does so when it ends; call it for a run never started). */
  close(): void {
    if (this.connected) void Promise.all([this.events.close(), this.queue.close()]).catch(() => {});
    // closing or disconnecting waits for a connection that never came: let the clients go instead
    else for (const client of [this.events, this.queue]) client.disconnect().catch(() => {});
  }

  private async collect(): Promise<RunResult> {
    const { jobs, plan } = this;
    const stopped = new Promise<'stopped'>((resolve) => (this.stopping = () => resolve('stopped')));
    if (this.stopped) return this.end([]);
    const added = this.queue.addBulk(
      jobs.map((j) => ({
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
    if ((await Promise.race([stopped, added])) === 'stopped') return this.end([], true);
    this.emit({ type: 'started', info: plan });
    this.emit({ type: 'log', line: plan.engine, model: null });
    const log = new OrderedLog(plan.models, (line, model) => this.emit({ type: 'log', line, model }));
    const began = performance.now();
    const models: ModelResult[] = [];
    const failed: string[] = [];
    let done = 0;
    let steps = 0;
    this.options.onJobs?.(0, jobs.length);

    const finished = (job: PlannedJob, value: JobResult) => {
      if (value.engine !== plan.engine) {
        throw new QueueError(
          `job ${job.id} was trained by “${value.engine}”, this run expects “${plan.engine}”: run the same version of Minima Lab everywhere`,
        );
      }
      value.models.forEach((m, k) => {
        for (const line of value.log[k]) log.line(m.id, line);
        log.finished(m.id);
        models.push(m);
        steps += m.steps + 1;
        this.emit({ type: 'modelFinished', result: m });
      });
      // a job a build before snapshots finished (same version, kept on the queue) carries none
      for (const kept of value.snapshots ?? []) this.snapshots.set(kept.id, snapshotsOfQueued(kept));
      this.options.onJobs?.(++done, jobs.length);
      const rate = steps / Math.max((performance.now() - began) / 1000, 1e-3);
      const left = (plan.models.length - models.length) * (steps / models.length);
      this.emit({
        type: 'progress',
        models: [],
        modelsDone: models.length,
        stepsPerSecond: rate,
        etaSeconds: rate > 0 ? left / rate : null,
      });
    };
    const waitFor = async (p: PlannedJob) => {
      if (this.stopped) return;
      const job = await Job.fromId<JobData, JobResult>(this.queue, p.id);
      // another run of the same preset (they share jobs) stopped and took it off the queue
      if (!job) return void failed.push(`job ${p.id}, ${p.name}: no longer on the queue`);
      if (this.options.resume && !this.stopped && (await job.getState()) === 'failed') await job.retry('failed');
      let value: JobResult;
      try {
        value = (await job.waitUntilFinished(this.events)) as JobResult;
      } catch (err) {
        return void failed.push(`job ${p.id}, ${p.name}, after ${ATTEMPTS} attempts: ${(err as Error).message}`);
      }
      finished(p, value);
    };
    try {
      if ((await Promise.race([stopped, Promise.all(jobs.map(waitFor))])) === 'stopped') return this.end(models, true, log);
    } catch (err) {
      await this.unqueueAll(); // the run failed: its waiting jobs are no one's
      throw err;
    }
    if (failed.length) {
      throw new QueueError(
        `${failed.length} of ${jobs.length} jobs failed — ${failed.join('; ')}; start it again (lab submit --resume) to train only what is missing`,
      );
    }
    return this.end(models, false, log);
  }

  /** The result of what finished (a stopped run takes its waiting jobs off the queue first). */
  private async end(models: ModelResult[], unqueue = false, log?: OrderedLog): Promise<RunResult> {
    if (unqueue) await this.unqueueAll();
    log?.close();
    const result = runResultOf(this.plan, models, models.length < this.plan.models.length);
    this.emit({ type: 'finished', result });
    return result;
  }

  /** Takes the jobs no worker has yet off the queue, giving up after a few seconds (a Redis gone quiet): a later run collects what stays. */
  private async unqueueAll(): Promise<void> {
    await within(Promise.all(this.jobs.map((j) => this.unqueue(j.id).catch(() => {}))), UNQUEUE_MS, () => []);
  }

  /** Takes a job off the queue if no worker has it yet (one in training is locked, a finished one kept for later runs). */
  private async unqueue(id: string): Promise<void> {
    const job = await Job.fromId(this.queue, id);
    const state = await job?.getState();
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized') await job!.remove().catch(() => {}); // taken meanwhile: it stays
  }
}
