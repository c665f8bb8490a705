// The queue's settings, each with its default and its limits: `lab submit`'s and `lab worker`'s options take
// them (args.ts, in seconds), and the app's queue run uses the defaults.
import { LIMITS, MAX_WORKERS } from '../../core/preset/preset.ts';

export const QUEUE_SETTINGS = {
  /** Models per job: a few seconds of work at the built-in sweep's caps. */
  jobSize: { default: 200, min: 1, max: LIMITS.models },
  /** Jobs a `lab worker` trains at once, each in a thread of its own: as many as `lab run --workers` takes. */
  concurrency: { default: 1, min: 1, max: MAX_WORKERS },
  /** Seconds a queue run waits for a Redis that went away mid-run before it gives up (its jobs stay queued). */
  redisTimeout: { default: 300, min: 0, max: 86_400 },
  /** Seconds the jobs wait, none taken, before `lab submit` says no worker has taken one and how to start one. */
  workerNotice: { default: 30, min: 1, max: 86_400 },
  /** Seconds a stopping `lab worker`'s jobs in hand have to finish before they go back to the queue. */
  stopTimeout: { default: 30, min: 0, max: 3_600 },
} as const;

/** How long a stopping worker tries to hand its jobs back before it exits anyway (a Redis that does not answer). */
export const HAND_BACK_MS = 3_000;
