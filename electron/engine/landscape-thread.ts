// The loss landscape computed off the calling thread (the app's main process stays free for the window):
// a worker thread (landscape-worker.ts) reads the model's snapshots from its run folder and computes the
// plane, which comes back whole, or one line saying why not.
import type { Preset } from '../../core/preset/preset.ts';
import type { ModelResult } from '../../core/results/events.ts';
import type { Landscape } from '../../core/results/landscape.ts';
import type { LandscapeRequest } from './landscape.ts';
import { plainError, spawnWorker } from './run.ts';

/** What the worker computes: one model of a stored run, its snapshots in the run's .npz. */
export interface LandscapeJob {
  /** As run (a sweep expanded into its cells). */
  preset: Preset;
  model: ModelResult;
  snapshotsFile: string;
  request: LandscapeRequest;
}

/** The worker's one answer: the plane, or why not (`input`: the model or its snapshots cannot give one, said for a person). */
export type LandscapeAnswer = { ok: true; landscape: Landscape } | { ok: false; error: string; input: boolean };

const DEFAULT_WORKER = new URL('./landscape-worker.ts', import.meta.url);

/** The plane around `job.model`, computed in a worker thread; `workerUrl`: the bundled entry in a built app. */
export function landscapeInWorker(job: LandscapeJob, workerUrl: URL = DEFAULT_WORKER): Promise<Landscape> {
  return new Promise((resolve, reject) => {
    const worker = spawnWorker(workerUrl, { workerData: job });
    let answered = false;
    worker.once('message', (answer: LandscapeAnswer) => {
      answered = true;
      if (answer.ok) resolve(answer.landscape);
      else reject(new Error(answer.input ? answer.error : `landscape worker failed: ${plainError(answer.error)}`));
    });
    worker.once('error', (err) => reject(new Error(`landscape worker failed: ${plainError(err.stack ?? err.message)}`)));
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`landscape worker failed: it stopped (exit code ${code}) before it answered`));
    });
  });
}
