// A run whose models train on a BullMQ queue (`lab submit`, and the app's "Redis queue"): it puts the
// preset's jobs on the queue (ids from the preset's hash and model range: adding them again adds
// nothing), waits for the workers, and reports the same RunEvents, result and .out log as a local run,
// a job's models at a time, with the workers' progress in between. `resume` also retries the jobs that
// failed. While it waits it says when no worker has taken a job, and when Redis went away and came back;
// a Redis gone longer than `redisTimeoutS` ends the run, its jobs left on the queue for a later one.
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
import { connectionOf, reachable, UnreachableError, watchRedis } from './connection.ts';
import {
  jobsOf,
  QUEUE_NAME,
  snapshotsOfQueued,
  trainingProgressOf,
  type JobData,
  type JobResult,
  type PlannedJob,
  type TrainingProgress,
} from './jobs.ts';
import { QUEUE_SETTINGS } from './settings.ts';

/** Attempts per job, with exponential backoff between them (a bad job, which no worker can train, gets one). */
const ATTEMPTS = 3;

/** How long a stop waits for Redis to take its waiting jobs off the queue. */
const UNQUEUE_MS = 5000;

/** Jobs that failed every attempt, each by name, or workers that train differently from this run. */
export class QueueError extends Error {
  override name = 'QueueError';
}

export interface QueueRunOptions {
  /** Models per job (default QUEUE_SETTINGS.jobSize). */
  jobSize?: number;
  /** Retry the jobs that failed every attempt on an earlier submit. */
  resume?: boolean;
  onEvent?: (event: RunEvent) => void;
  /** How far the run has come: once its jobs are queued, then at each worker's report and each job's end (the CLI's progress lines). */
  onProgress?: (progress: QueueProgress) => void;
  /** What the run has to say while it waits: no worker yet, Redis lost and back, what a stop left on the queue. */
  onNotice?: (line: string) => void;
  /** Seconds to wait for a Redis gone mid-run before the run fails (default QUEUE_SETTINGS.redisTimeout). */
  redisTimeoutS?: number;
  /** Seconds the jobs wait, none taken, before onNotice says so (default QUEUE_SETTINGS.workerNotice). */
  workerNoticeS?: number;
  /** What collects what stays on the queue, as messages say it: "lab submit sweep.json --redis … --resume". */
  howToResume?: string;
}

/** A queue run's progress: its jobs and models done, and the rate and ETA of the training since it began. */
export interface QueueProgress {
  jobs: number;
  jobsDone: number;
  /** Of jobsDone, those that had finished before this run began (a second submit, --resume). */
  jobsBefore: number;
  models: number;
  /** Finished models: the collected jobs', and those the workers report of the jobs in training. */
  modelsDone: number;
  /** Model-steps a second since the first job was taken (0 before). */
  stepsPerSecond: number;
  etaSeconds: number | null;
}

/** One job of the run, as its collection goes. */
interface Tracked {
  planned: PlannedJob;
  size: number;
  /** Collected; `before` where it had finished before this run began. */
  done: boolean;
  before: boolean;
  /** The steps its models trained, once collected. */
  steps: number;
  /** Its worker's latest report while it trains. */
  progress: TrainingProgress | null;
}

export class QueueRun {
  /** What it trains (its workers are wherever `lab worker` runs: 0 here), and how it reports. */
  readonly plan: RunInfo;
  /** Each finished model's snapshots, by model id (the models that kept any), as a local Run keeps them. */
  readonly snapshots = new Map<number, Snapshots>();
  private readonly jobs: PlannedJob[];
  private readonly tracked = new Map<string, Tracked>();
  private readonly queue: Queue<JobData, JobResult>;
  private readonly events: QueueEvents;
  private readonly emit: (event: RunEvent) => void;
  private readonly notice: (line: string) => void;
  private readonly shown: string;
  private readonly howToResume: string;
  private connected = false;
  private started = false;
  private stopping: (() => void) | null = null;
  private stopped = false;
  /** When Redis went away, while it is away. */
  private lostAt: number | null = null;
  /** When the first job was taken: the rate counts from there. */
  private began: number | null = null;
  private unwatch = () => {};

  /** The run `planned` by planQueueRun. */
  constructor(
    planned: PlannedRun,
    redis: string,
    private readonly options: QueueRunOptions = {},
  ) {
    const { preset, backend } = planned.plan;
    const grid = makeGrid(preset.validation.points, targetFunction(preset.target));
    this.plan = Object.freeze({ ...planned.plan, engine: engineLine(preset, backend), plateaus: plateausOf(grid) });
    this.jobs = jobsOf(planned, options.jobSize);
    for (const p of this.jobs) {
      this.tracked.set(p.id, { planned: p, size: p.data.to - p.data.from + 1, done: false, before: false, steps: 0, progress: null });
    }
    const connection = connectionOf(redis);
    this.queue = new Queue<JobData, JobResult>(QUEUE_NAME, { connection });
    this.queue.setMaxListeners(this.jobs.length + 10); // every job waited for listens for the queue closing
    this.events = new QueueEvents(QUEUE_NAME, { connection });
    this.events.setMaxListeners(2 * this.jobs.length + 10); // and for its completed and failed events
    // connection trouble is retried by the clients and reported by connect() ("cannot reach Redis") or the watch, not thrown
    this.queue.on('error', () => {});
    this.events.on('error', () => {});
    this.emit = options.onEvent ?? (() => {});
    this.notice = options.onNotice ?? (() => {});
    this.shown = shownUrl(redis);
    this.howToResume = options.howToResume ?? 'starting it again (lab submit --resume)';
  }

  /** Waits for Redis (at most 10 s); throws UnreachableError, saying so plainly, when it is not there. */
  async connect(): Promise<void> {
    try {
      await reachable(this.queue, this.shown);
      await reachable(this.events, this.shown);
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
    this.unwatch();
    if (this.connected && this.lostAt === null) void Promise.all([this.events.close(), this.queue.close()]).catch(() => {});
    // closing waits for a connection that never came, or that went: let the clients go instead
    else for (const client of [this.events, this.queue]) client.disconnect().catch(() => {});
  }

  private async collect(): Promise<RunResult> {
    const { jobs, plan } = this;
    const stopped = new Promise<'stopped'>((resolve) => (this.stopping = () => resolve('stopped')));
    if (this.stopped) return this.end([]);
    let giveUp: (err: Error) => void = () => {};
    const gaveUp = new Promise<never>((_, reject) => (giveUp = reject));
    gaveUp.catch(() => {}); // raced below: once the run is over, no one waits on it
    this.unwatch = await this.watch(giveUp);
    // a worker may take a job as soon as it is added: the rate counts from there
    const onActive = ({ jobId }: { jobId: string }) => {
      if (this.tracked.has(jobId)) this.began ??= performance.now();
    };
    this.events.on('active', onActive);
    const added = this.add(jobs);
    added.catch(() => {}); // raced: after a stop, no one waits on it
    if ((await Promise.race([stopped, gaveUp, added])) === 'stopped') {
      this.events.off('active', onActive);
      return this.end([], true);
    }
    this.emit({ type: 'started', info: plan });
    this.emit({ type: 'log', line: plan.engine, model: null });
    const log = new OrderedLog(plan.models, (line, model) => this.emit({ type: 'log', line, model }));
    const models: ModelResult[] = [];
    const failed: string[] = [];

    const finished = (p: PlannedJob, value: JobResult) => {
      if (value.engine !== plan.engine) {
        throw new QueueError(
          `job ${p.id} was trained by “${value.engine}”, this run expects “${plan.engine}”: run the same version of Minima Lab everywhere`,
        );
      }
      const tracked = this.tracked.get(p.id)!;
      value.models.forEach((m, k) => {
        for (const line of value.log[k]) log.line(m.id, line);
        log.finished(m.id);
        models.push(m);
        tracked.steps += m.steps + 1;
        this.emit({ type: 'modelFinished', result: m });
      });
      // a job a build before snapshots finished (same version, kept on the queue) carries none
      for (const kept of value.snapshots ?? []) this.snapshots.set(kept.id, snapshotsOfQueued(kept));
      tracked.done = true;
      if (!tracked.before) this.began ??= performance.now();
      this.report();
    };
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
      const tracked = this.tracked.get(jobId);
      const progress = trainingProgressOf(data);
      if (!tracked || tracked.done || !progress) return;
      tracked.progress = { ...progress, models: Math.min(progress.models, tracked.size) };
      this.began ??= performance.now();
      this.report();
    };
    this.events.on('progress', onProgress);
    const noticeTimer = setTimeout(
      () => void this.noWorkerNotice(),
      (this.options.workerNoticeS ?? QUEUE_SETTINGS.workerNotice.default) * 1000,
    );

    const waitFor = async (p: PlannedJob, job: Job<JobData, JobResult> | undefined): Promise<void> => {
      // another run of the same preset (they share jobs) stopped and took it off the queue
      if (!job) return void failed.push(`job ${p.id}, ${p.name}: no longer on the queue`);
      let value: JobResult;
      try {
        value = (await job.waitUntilFinished(this.events)) as JobResult;
      } catch (err) {
        if (this.stopped) return;
        const now = await Job.fromId<JobData, JobResult>(this.queue, p.id);
        if (!now || (await now.getState()) !== 'failed') {
          // gone while it was waited for (a Redis back without its data): queued again, and waited for again
          await this.add([p]);
          return waitFor(p, await Job.fromId(this.queue, p.id));
        }
        const attempts = now.attemptsMade;
        return void failed.push(`job ${p.id}, ${p.name}, after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${(err as Error).message}`);
      }
      if (!this.stopped) finished(p, value);
    };
    const collecting = (async () => {
      // what is there already: a second submit of the same preset, or --resume, collects it first
      const found = await Promise.all(
        jobs.map(async (p) => {
          const job = await Job.fromId<JobData, JobResult>(this.queue, p.id);
          const state = await job?.getState();
          if (state === 'failed' && this.options.resume && !this.stopped) await job!.retry('failed');
          return { p, job, state };
        }),
      );
      for (const { p, job, state } of found) {
        if (state !== 'completed') continue;
        this.tracked.get(p.id)!.before = true;
        finished(p, job!.returnvalue);
      }
      this.report();
      await Promise.all(found.filter(({ state }) => state !== 'completed').map(({ p, job }) => waitFor(p, job)));
    })();
    collecting.catch(() => {}); // raced: after a stop, or once Redis is given up, no one waits on it
    try {
      if ((await Promise.race([stopped, gaveUp, collecting])) === 'stopped') return await this.end(models, true, log);
    } catch (err) {
      if (!(err instanceof UnreachableError)) await this.unqueueAll(); // the run failed: its waiting jobs are no one's
      throw err;
    } finally {
      clearTimeout(noticeTimer);
      this.events.off('active', onActive).off('progress', onProgress);
    }
    if (failed.length) {
      throw new QueueError(
        `${failed.length} of ${jobs.length} jobs failed — ${failed.join('; ')}; ${this.howToResume} trains only what is missing`,
      );
    }
    return this.end(models, false, log);
  }

  /** Puts jobs on the queue; those there already stay as they are. */
  private async add(jobs: PlannedJob[]): Promise<void> {
    await this.queue.addBulk(
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
  }

  /**
   * Follows Redis while the run waits: says when it went away, and when it came back (then queues again the
   * jobs not yet collected, in case it came back without them); `giveUp` once it has been away redisTimeoutS.
   */
  private watch(giveUp: (err: Error) => void): Promise<() => void> {
    const seconds = this.options.redisTimeoutS ?? QUEUE_SETTINGS.redisTimeout.default;
    let timer: ReturnType<typeof setTimeout> | undefined;
    return watchRedis([this.queue, this.events], {
      lost: () => {
        this.lostAt = performance.now();
        this.notice(`lost Redis at ${this.shown}: waiting up to ${seconds} s for it to come back`);
        timer = setTimeout(() => {
          const collected = [...this.tracked.values()].filter((t) => t.done).length;
          giveUp(
            new UnreachableError(
              `Redis at ${this.shown} did not come back in ${seconds} s: ${collected} of ${this.jobs.length} jobs collected; ` +
                `once it is back, ${this.howToResume} collects the rest`,
            ),
          );
        }, seconds * 1000);
      },
      back: () => {
        clearTimeout(timer);
        this.notice(`Redis is back after ${Math.round((performance.now() - this.lostAt!) / 1000)} s`);
        this.lostAt = null;
        if (this.started && !this.stopped) this.add(this.jobs.filter((j) => !this.tracked.get(j.id)!.done)).catch(() => {});
      },
    });
  }

  /** Where the run is: the CLI's progress line, and the app's progress event. */
  private report(): void {
    const maxSteps = this.plan.preset.stop.maxSteps;
    let [jobsDone, jobsBefore, modelsDone, steps, left] = [0, 0, 0, 0, 0];
    for (const t of this.tracked.values()) {
      if (t.done) {
        jobsDone++;
        modelsDone += t.size;
        if (t.before) jobsBefore++;
        else steps += t.steps;
      } else {
        modelsDone += t.progress?.models ?? 0;
        steps += t.progress?.steps ?? 0;
        left += t.progress ? t.progress.left : t.size * maxSteps;
      }
    }
    const rate = this.began === null ? 0 : steps / Math.max((performance.now() - this.began) / 1000, 1e-3);
    const etaSeconds = rate > 0 ? left / rate : null;
    this.emit({ type: 'progress', models: [], modelsDone, stepsPerSecond: rate, etaSeconds });
    const models = this.plan.models.length;
    this.options.onProgress?.({ jobs: this.jobs.length, jobsDone, jobsBefore, models, modelsDone, stepsPerSecond: rate, etaSeconds });
  }

  /** Once the jobs have waited workerNoticeS with none taken: that no worker has, and whether any is there at all. */
  private async noWorkerNotice(): Promise<void> {
    if (this.began !== null || this.lostAt !== null || this.stopped) return;
    const seconds = this.options.workerNoticeS ?? QUEUE_SETTINGS.workerNotice.default;
    const workers = await within(
      this.queue.getWorkers().then((w) => w.length),
      UNQUEUE_MS,
      () => null,
    ).catch(() => null); // CLIENT LIST may be refused to this user
    if (this.began !== null || this.stopped) return;
    const start = `start one on each machine: lab worker --redis ${this.shown}`;
    const why =
      workers === 0
        ? `no lab worker is connected to ${this.shown}; ${start}`
        : workers === null
          ? `is a lab worker connected to ${this.shown}? ${start}`
          : `${workers} lab worker${workers === 1 ? ' is' : 's are'} connected to ${this.shown}, busy with other jobs`;
    this.notice(`no worker has taken a job in ${seconds} s: ${why}`);
  }

  /** The result of what finished (a stopped run takes its waiting jobs off the queue first, and says what stays). */
  private async end(models: ModelResult[], unqueue = false, log?: OrderedLog): Promise<RunResult> {
    if (unqueue) this.notice(`stopped: ${await this.unqueueAll()}`);
    log?.close();
    const result = runResultOf(this.plan, models, models.length < this.plan.models.length);
    this.emit({ type: 'finished', result });
    return result;
  }

  /**
   * Takes the jobs no worker has yet off the queue, giving up after a few seconds (a Redis gone quiet): a later
   * run collects what stays. Resolves to what it took, and what stays.
   */
  private async unqueueAll(): Promise<string> {
    const left = this.jobs.filter((j) => !this.tracked.get(j.id)!.done);
    const removed = await within(Promise.all(left.map((j) => this.unqueue(j.id).catch(() => false))), UNQUEUE_MS, () => null);
    const them = (n: number) => (n === 1 ? 'it' : 'them');
    if (removed === null) {
      return `Redis did not answer, so the ${left.length} jobs not collected stay on the queue: ${this.howToResume} collects ${them(left.length)}`;
    }
    const taken = removed.filter(Boolean).length;
    const stay = left.length - taken;
    const took = `took ${taken} waiting job${taken === 1 ? '' : 's'} off the queue`;
    return `${took}${stay ? `; ${stay} in training finish${stay === 1 ? 'es' : ''} there: ${this.howToResume} collects ${them(stay)}` : ''}`;
  }

  /** Takes a job off the queue if no worker has it yet (one in training is locked, a finished one kept for later runs). */
  private async unqueue(id: string): Promise<boolean> {
    const job = await Job.fromId(this.queue, id);
    const state = await job?.getState();
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
    return job!.remove().then(
      () => true,
      () => false, // taken meanwhile: it stays
    );
  }
}
