// The loss landscape's worker thread (landscape-thread.ts starts it): reads one model's snapshots from
// its run's .npz, computes the plane around it with the training kernels, posts it back and ends.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { modelName, NO_SNAPSHOTS } from '../../core/results/snapshots.ts';
import { NpzError } from '../storage/npz.ts';
import { snapshotsIn } from '../storage/snapshots-file.ts';
import { experimentOf } from './experiment.ts';
import { LandscapeError, landscapeOf } from './landscape.ts';
import type { LandscapeAnswer, LandscapeJob } from './landscape-thread.ts';

const job = workerData as LandscapeJob;
const name = modelName(job.model);

function snapshotBytes(): Buffer {
  try {
    return readFileSync(job.snapshotsFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new LandscapeError(NO_SNAPSHOTS.run);
  }
}

function answer(): LandscapeAnswer {
  try {
    const snapshots = snapshotsIn(snapshotBytes(), [name]).get(name);
    if (!snapshots) throw new LandscapeError(NO_SNAPSHOTS.model);
    return { ok: true, landscape: landscapeOf(experimentOf(job.preset), { ...job.model, snapshots }, job.request) };
  } catch (err) {
    const input = err instanceof LandscapeError || err instanceof NpzError;
    return { ok: false, error: input ? `${name}: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err), input };
  }
}

parentPort!.postMessage(answer());
