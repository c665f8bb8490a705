// `lab worker`: takes jobs from the queue and trains them in worker threads (the event loop stays free,
// so BullMQ renews its locks), one thread per job, `concurrency` jobs at a time. A job is checked field by
// field first; a bad one fails once, with the reason, and is not retried. A worker killed mid-job loses
// nothing: its lock runs out, another worker's stalled-job check puts the job back, and it trains again to
// the same result. Stopped (SIGTERM, Ctrl-C), it takes no more jobs and gives those in hand a while to
// finish, then hands them back to the queue, and says in one line how it ended, Redis or not.
import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { shownUrl } from '../../core/queue/redis-url.ts';
import { planLocalRun } from '../engine/plan.ts';
import { Run } from '../engine/run.ts';
import { ModelLines } from '../engine/shard.ts';
import { within } from '../within.ts';
import { connectionOf, CONNECTION_TROUBLE, reachable, watchRedis } from './connection.ts';
import { BadJob, checkJob, QUEUE_NAME, queuedSnapshots, type JobData, type JobResult, type TrainingProgress } from './jobs.ts';
import { HAND_BACK_MS } from './settings.ts';

/** How long a job's lock lasts without renewal, and how often workers look for stalled jobs. */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;

/** Fewest milliseconds between a job's progress reports to its submitter. */
const REPORT_MS = 1_000;

/** A job this worker is training, until it is finished, failed or handed back. */
interface Held {
  run: Run;
  /** Set when the stop's time is up: the job goes back to the queue instead of finishing. */
  handBack: boolean;
}

/** "job 1f0c…-0-199", "jobs 1f0c…-0-199, 1f0c…-200-399". */
function jobList(ids: string[]): string {
  return `job${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`;
}

export class QueueWorker {
  private readonly worker: Worker<JobData, JobResult>;
  private readonly shown: string;
  /** The jobs in hand, by id. */
  private readonly held = new Map<string, Held>();
  /** How the jobs in hand when the stop began ended, once it has: finished, failed, handed back. */
  private ended: Record<'finished' | 'failed' | 'handedBack', string[]> | null = null;
  private connected = false;
  private lost = false;
  /** Ends the watch on Redis: a worker closing drops its connections itself. */
  private unwatch = () => {};

  /** `say` gets a line per job started, finished or failed, and for Redis lost and back; `workerUrl` is the training thread's entry (Run's). */
  constructor(
    redis: string,
    concurrency: number,
    private readonly say: (line: string) => void,
    private readonly workerUrl?: URL,
  ) {
    this.shown = shownUrl(redis); // never the password
    this.worker = new Worker<JobData, JobResult>(QUEUE_NAME, (job, token) => this.train(job, token), {
      connection: connectionOf(redis),
      concurrency,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      maxStalledCount: 2,
      autorun: false,
    });
    // Until Redis first answers, `reachable` says in one line that it is not there; after, the watch says it
    // lost Redis and when it is back, and any other error is said once, not at each of the client's retries.
    let lastError = '';
    this.worker.on('completed', (job) => {
      this.settled(job.id!, 'finished');
      say(`finished job ${job.id}`);
    });
    this.worker.on('failed', (job, err) => {
      if (job) this.settled(job.id!, 'failed');
      const id = job?.id ?? '?';
      if (err instanceof UnrecoverableError) say(`refused job ${id} (not retried): ${err.message}`);
      else say(`job ${id} failed (attempt ${job?.attemptsMade ?? '?'} of ${job?.opts.attempts ?? 1}): ${err.message}`);
    });
    this.worker.on('error', (err) => {
      if (!this.connected || this.lost || CONNECTION_TROUBLE.test(err.message) || err.message === lastError) return;
      lastError = err.message;
      say(`queue error: ${err.message}`);
    });
  }

  /** Waits for Redis (at most 10 s; UnreachableError says why not), then takes jobs. */
  async connect(): Promise<void> {
    await reachable(this.worker, this.shown).catch((err: unknown) => {
      this.worker.disconnect().catch(() => {}); // closing would wait for a connection that never came: let the client go
      throw err;
    });
    this.connected = true;
    this.unwatch = await watchRedis([this.worker], {
      lost: () => {
        this.lost = true;
        this.say(`lost Redis at ${this.shown}: waiting for it to come back (the jobs in hand keep training)`);
      },
      back: () => {
        this.lost = false;
        this.say('Redis is back');
      },
    });
    void this.worker.run().catch(() => {}); // its errors come as 'error' events
  }

  /**
   * Takes no more jobs; those in hand have `finishMs` to finish, then stop and go back to the queue (for at
   * most HAND_BACK_MS: a Redis that does not answer takes none back). Resolves to one line saying how it ended.
   */
  async stop(finishMs: number): Promise<string> {
    this.unwatch();
    const ids = [...this.held.keys()];
    const ended = { finished: [] as string[], failed: [] as string[], handedBack: [] as string[] };
    this.ended = ended;
    const closed = this.worker.close().then(() => true);
    if (!ids.length) {
      await within(closed, HAND_BACK_MS, () => false); // a Redis gone leaves nothing to close cleanly
      return 'stopped: no job in hand';
    }
    const [has, goes] = ids.length === 1 ? ['has', 'goes'] : ['have', 'go'];
    this.say(
      `stopping: ${jobList(ids)} ${has} ${finishMs / 1000} s to finish, then ${goes} back to the queue (a second signal quits at once)`,
    );
    if (!(await within(closed, finishMs, () => false))) {
      for (const held of this.held.values()) {
        held.handBack = true;
        held.run.stop();
      }
      await within(closed, HAND_BACK_MS, () => false);
    }
    const held = [...this.held.keys()];
    const parts = [
      ...(ended.finished.length ? [`finished ${jobList(ended.finished)}`] : []),
      ...(ended.failed.length ? [`${jobList(ended.failed)} failed`] : []),
      ...(ended.handedBack.length ? [`handed ${jobList(ended.handedBack)} back to the queue`] : []),
      ...(held.length
        ? [`could not hand ${jobList(held)} back, Redis at ${this.shown} is unreachable: once it is back, ${this.requeued()}`]
        : []),
    ];
    return `stopped: ${parts.join('; ')}`;
  }

  /** What a second signal leaves: the jobs in hand, back on the queue once their locks run out. */
  quitLine(): string {
    const held = [...this.held.keys()];
    if (!held.length) return 'quit at once: no job in hand';
    return `quit at once: ${jobList(held)} ${held.length === 1 ? 'goes' : 'go'} back to the queue when ${this.requeued()}`;
  }

  /** How a job in hand that was not handed back trains all the same: another worker's stalled-job check takes it. */
  private requeued(): string {
    const seconds = LOCK_MS / 1000;
    return this.held.size === 1
      ? `its lock runs out (within ${seconds} s), and another worker trains it`
      : `their locks run out (within ${seconds} s), and other workers train them`;
  }

  private settled(id: string, how: 'finished' | 'failed' | 'handedBack'): void {
    if (this.held.delete(id)) this.ended?.[how].push(id);
  }

  private async train(job: Job<JobData, JobResult>, token: string | undefined): Promise<JobResult> {
    let checked;
    try {
      checked = checkJob(job.data, job.id!);
    } catch (err) {
      throw err instanceof BadJob ? new UnrecoverableError(err.message) : err;
    }
    const { expanded, from, to, backend } = checked;
    this.say(`training job ${job.id} (models ${from}–${to})`);
    const lines = new ModelLines();
    let done = 0;
    let reported = -Infinity;
    const planned = planLocalRun(expanded, { workers: 1, backend, only: (id) => id >= from && id <= to });
    const run: Run = new Run(planned, {
      workerUrl: this.workerUrl,
      onEvent: (event) => {
        lines.keep(event);
        if (event.type === 'modelFinished') done++;
        if (event.type !== 'progress' || performance.now() - reported < REPORT_MS) return;
        reported = performance.now();
        const { done: steps, left } = run.steps();
        const progress: TrainingProgress = { models: done, steps, left };
        job.updateProgress(progress).catch(() => {}); // progress is a courtesy: a lost lock fails the job elsewhere
      },
    });
    const held: Held = { run, handBack: false };
    this.held.set(job.id!, held);
    const result = await run.start();
    if (held.handBack && result.stopped) {
      await job.moveToWait(token);
      this.settled(job.id!, 'handedBack');
      throw new WaitingError(); // BullMQ's word for "back on the queue, not failed"
    }
    if (result.stopped) throw new Error('the job was stopped before all its models finished');
    const { engine, sweep, plateaus, models } = result;
    return {
      engine,
      backend: result.backend,
      preset: result.preset,
      sweep,
      plateaus,
      models,
      log: lines.of(Array.from({ length: to - from + 1 }, (_, k) => from + k)),
      snapshots: queuedSnapshots(run.snapshots),
    };
  }
}
