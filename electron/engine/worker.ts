// A training worker thread: builds the experiment once, then trains the models it is given.
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelRef } from './events.ts';
import { experimentOf } from './experiment.ts';
import { trainOwnStream, trainTorchStream } from './streams.ts';
import type { TrainHooks } from './train.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.ts';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
const stopFlag = new Int32Array(setup.stopFlag);
const exp = experimentOf(setup.preset);

function hooksFor(ref: ModelRef): TrainHooks {
  return {
    log: (line) => post({ type: 'log', id: ref.id, line }),
    progress: (progress) => post({ type: 'progress', progress }),
    shouldStop: () => Atomics.load(stopFlag, 0) !== 0,
    progressIntervalMs: setup.progressIntervalMs,
  };
}

function guarded(work: () => void): void {
  try {
    work();
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
}

if (setup.rng === 'torch') {
  guarded(() => {
    trainTorchStream(exp, setup.backend, hooksFor, (result) => post({ type: 'done', result }));
    post({ type: 'idle' });
  });
} else {
  port.on('message', (message: ToWorker) => guarded(() => {
    const ref = exp.models[message.id];
    post({ type: 'done', result: trainOwnStream(exp, ref, setup.backend, hooksFor(ref)) });
    post({ type: 'idle' });
  }));
  post({ type: 'idle' });
}
