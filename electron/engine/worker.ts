// A training worker thread: builds the experiment and its trainer once, then trains what it is given
// (a torch-stream run: everything, in order).
import { parentPort, workerData } from 'node:worker_threads';
import { emptyCurves } from '../../core/results/curves.ts';
import { emptySnapshots } from '../../core/results/snapshots.ts';
import { keepsDetail } from '../../core/preset/sweep.ts';
import type { ModelProgress, ModelRef, TrainedModel } from '../../core/results/events.ts';
import { engineLine, tfjsDevice } from './backends.ts';
import { experimentOf } from './experiment.ts';
import { makeTrainer, trainOwnStreams, trainTorchStream } from './streams.ts';
import { loadTf } from './tfjs/runtime.ts';
import type { TrainHooks } from './train.ts';
import { gpuRefusal } from '../../core/gpu/wgsl.ts';
import { gpuClient, type FromGpu, type GpuGone } from '../../core/gpu/remote.ts';
import type { GpuTrainer } from '../../core/gpu/trainer.ts';
import { openNodeGpu } from './webgpu/device.ts';
import { trainOwnStreamsWebGpu } from './webgpu/train.ts';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.ts';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
const stopFlag = new Int32Array(setup.stopFlag);
const shouldStop = () => Atomics.load(stopFlag, 0) !== 0;

const detail = (ref: ModelRef) => keepsDetail(setup.curvesPerCell, ref.index);

// a model whose detail a sweep does not keep sends its figures only: its curves and weights never leave the worker
const progressOnly = ({ params: _, ...progress }: ModelProgress): ModelProgress => ({ ...progress, curves: emptyCurves() });
const resultOnly = (result: TrainedModel): TrainedModel => ({
  ...result,
  curves: emptyCurves(),
  initialParams: [],
  finalParams: [],
  snapshots: emptySnapshots(),
});

function hooksFor(ref: ModelRef): TrainHooks {
  const keep = detail(ref);
  return {
    log: (line) => post({ type: 'log', id: ref.id, line }),
    progress: (progress) => post({ type: 'progress', progress: keep ? progress : progressOnly(progress) }),
    shouldStop,
    progressIntervalMs: setup.progressIntervalMs,
  };
}

async function guarded(work: () => void | Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

/** The GPU this worker trains on: the app's GPU page (through the coordinator), or a Dawn device here. */
async function gpuOf({
  gpuPage,
}: WorkerSetup): Promise<{ adapter: string; train: GpuTrainer; receive?: (message: FromGpu | GpuGone) => void }> {
  if (!gpuPage) return openNodeGpu();
  const client = gpuClient((message) => post({ type: 'gpu', message }), gpuPage.calls);
  return { adapter: gpuPage.adapter, ...client };
}

async function main(): Promise<void> {
  const exp = experimentOf(setup.preset, setup.streams);
  const device = tfjsDevice(setup.backend);
  const tf = device === null ? null : await loadTf(device === 'best' ? undefined : device);
  const gpu = setup.backend === 'webgpu' ? await gpuOf(setup) : null;
  const train = makeTrainer(exp, setup.backend, hooksFor, tf); // webgpu: the fused kernel for the groups the GPU cannot train
  post({ type: 'ready', engine: engineLine(setup.preset, setup.backend, gpu?.adapter ?? tf?.description), plateaus: exp.plateaus });
  if (setup.preset.rng === 'torch') {
    await guarded(() => trainTorchStream(exp, train, shouldStop, (result) => post({ type: 'done', result })));
    post({ type: 'idle' });
    return;
  }
  // a job is one model, or one group on tfjs and webgpu; the next comes only after 'idle'
  port.on('message', (message: ToWorker) => {
    if (message.type === 'gpu') return gpu?.receive?.(message.message);
    const refs = message.ids.map((id) => exp.models[id]);
    const onGpu = gpu !== null && refs.length > 0 && gpuRefusal(setup.preset.groups[refs[0].groupIndex], setup.preset.target) === null;
    void guarded(async () => {
      const results = onGpu ? await trainOwnStreamsWebGpu(gpu.train, exp, refs, hooksFor, detail) : trainOwnStreams(exp, refs, train);
      for (const result of results) post({ type: 'done', result: detail(result) ? result : resultOnly(result) });
    }).then(() => post({ type: 'idle' }));
  });
  post({ type: 'idle' });
}

main().catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
