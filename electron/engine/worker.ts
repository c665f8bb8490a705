// A training worker thread: builds the experiment and its trainer once, then trains what it is given
// (a torch-stream run: everything, in order).
import { parentPort, workerData } from 'node:worker_threads';
import { emptyCurves } from '../../core/curves.ts';
import { keepsDetail } from '../../core/sweep.ts';
import type { ModelProgress, ModelRef, ModelResult } from '../../core/events.ts';
import { engineLine, tfjsDevice } from './backends.ts';
import { experimentOf } from './experiment.ts';
import { makeTrainer, trainOwnStreams, trainTorchStream } from './streams.ts';
import { loadTf } from './tfjs/runtime.ts';
import type { TrainHooks } from './train.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.ts';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
const stopFlag = new Int32Array(setup.stopFlag);
const shouldStop = () => Atomics.load(stopFlag, 0) !== 0;

const detail = (ref: ModelRef) => keepsDetail(setup.curvesPerCell, ref.index);

// a model whose detail a sweep does not keep sends its figures only: its curves and weights never leave the worker
const progressOnly = ({ params: _, ...progress }: ModelProgress): ModelProgress => ({ ...progress, curves: emptyCurves() });
const resultOnly = (result: ModelResult): ModelResult => ({ ...result, curves: emptyCurves(), initialParams: [], finalParams: [] });

function hooksFor(ref: ModelRef): TrainHooks {
  const keep = detail(ref);
  return {
    log: (line) => post({ type: 'log', id: ref.id, line }),
    progress: (progress) => post({ type: 'progress', progress: keep ? progress : progressOnly(progress) }),
    shouldStop,
    progressIntervalMs: setup.progressIntervalMs,
  };
}

function guarded(work: () => void): void {
  try {
    work();
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

async function main(): Promise<void> {
  const exp = experimentOf(setup.preset, setup.streams);
  const device = tfjsDevice(setup.backend);
  const tf = device === null ? null : await loadTf(device === 'best' ? undefined : device);
  const train = makeTrainer(exp, setup.backend, hooksFor, tf);
  post({ type: 'ready', engine: engineLine(setup.preset, setup.backend, tf?.description), plateaus: exp.plateaus });
  if (setup.preset.rng === 'torch') {
    guarded(() => trainTorchStream(exp, train, shouldStop, (result) => post({ type: 'done', result })));
    post({ type: 'idle' });
    return;
  }
  port.on('message', (message: ToWorker) => {
    guarded(() => {
      for (const result of trainOwnStreams(
        exp,
        message.ids.map((id) => exp.models[id]),
        train,
      ))
        post({ type: 'done', result: detail(result) ? result : resultOnly(result) });
    });
    post({ type: 'idle' });
  });
  post({ type: 'idle' });
}

main().catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
