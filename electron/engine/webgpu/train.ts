// Trains models of one group (per-model streams) on the WebGPU kernel and rebuilds exactly what
// trainModel returns: the GPU keeps each model's losses at the steps where a curve point starts or the
// log prints, and their min and max in between, so a ModelTracker fed those records keeps the same
// curves, best loss and log lines as one fed every step. lossInit and lossFinal are the fused CPU
// kernel's, at the same parameters. Snapshots: a chunk ends at each curve point and the cap's last step,
// and carries the parameters there, so a model keeps them at its curve's steps and its last step; not at
// its changes of outcome class, which only the device sees step by step.
import type { ModelRef, TrainedModel, ModelStatus } from '../../../core/results/events.ts';
import { curvePointSteps } from '../../../core/results/curves.ts';
import { SNAPSHOT_PARAMS_LIMIT } from '../../../core/results/snapshots.ts';
import { type GpuChunk, type GpuTrainer, type GpuTrainOptions, type GpuTrainResult } from '../../../core/gpu/trainer.ts';
import { gpuRefusal, SEGMENT_WORDS } from '../../../core/gpu/wgsl.ts';
import type { Preset } from '../../../core/preset/preset.ts';
import type { Experiment } from '../experiment.ts';
import { FusedKernel } from '../kernels/fused.ts';
import type { TorchGenerator } from '../rng.ts';
import { ownStreams } from '../streams.ts';
import { ModelTracker, printSchedule, type TrainHooks } from '../tracker.ts';

/** Progress carries the weights at most this often: reading them back copies every model's parameters. */
const PARAMS_READ_MS = 1000;

export type GpuDebug = Pick<GpuTrainOptions, 'traceSteps' | 'sampleSteps' | 'stepsPerChunk'>;

/** The steps whose own values the host needs: curve points, print steps and the cap's last step. */
function marksOf(preset: Preset): (from: number, to: number) => number[] {
  const nextPrint = printSchedule(preset);
  const lastStep = preset.stop.maxSteps - 1;
  return (from, to) => {
    const marks = curvePointSteps(from, to);
    for (let i = nextPrint(from); i < to; i = nextPrint(i + 1)) marks.push(i);
    if (lastStep >= from && lastStep < to) marks.push(lastStep);
    return marks;
  };
}

/** The steps a chunk ends before, for the snapshots there: the curve's points and the cap's last step. */
function breaksOf(preset: Preset): (from: number, to: number) => number[] {
  const lastStep = preset.stop.maxSteps - 1;
  return (from, to) => (lastStep >= from && lastStep < to ? [...curvePointSteps(from, lastStep), lastStep] : curvePointSteps(from, to));
}

/**
 * Trains `params[m]` of `refs[m]` (one group, per-model streams `rngs[m]` right after initialisation),
 * keeping snapshots of the models `keeps` names (a sweep's detailed ones) where the network is small enough.
 * Resolves with the results and, when `debug` asks, the GPU's per-step trace and samples.
 */
export async function trainGroupWebGpu(
  train: GpuTrainer,
  exp: Experiment,
  refs: ModelRef[],
  params: Float32Array[],
  rngs: TorchGenerator[],
  hooksFor: (ref: ModelRef) => TrainHooks,
  debug: GpuDebug = {},
  keeps: (ref: ModelRef) => boolean = () => true,
): Promise<{ results: TrainedModel[]; gpu: GpuTrainResult }> {
  const { preset } = exp;
  const group = preset.groups[refs[0].groupIndex];
  const refusal = gpuRefusal(group, preset.target);
  if (refusal) throw new Error(refusal);
  const hooks = refs.map(hooksFor);
  const trackers = refs.map((ref, m) => new ModelTracker(exp, ref, hooks[m], params[m]));
  const valLoss = (p: Float32Array) => new FusedKernel(group, p, exp.gridPoints).valLoss();
  trackers.forEach((t, m) => t.begin(valLoss(params[m]))); // lossInit = lossFn(model(inputs), outputs)
  const { lossLimit, maxSteps } = preset.stop;
  const done = refs.map(() => false);
  const snapshotModels = params[0].length <= SNAPSHOT_PARAMS_LIMIT ? refs.flatMap((ref, m) => (keeps(ref) ? [m] : [])) : [];
  const slot = new Map(snapshotModels.map((m, k) => [m, k]));
  /** The kept models' parameters at the next chunk's first step, where it is a break (step 0's: the initial ones). */
  let atFrom: Float32Array[] | undefined = snapshotModels.map((m) => params[m]);
  let paramsReadAt = performance.now();
  const gpu = await train(
    { group, target: preset.target, gridPoints: preset.validation.points, maxSteps, lossLimit },
    refs.map((_, m) => {
      const { state, index } = rngs[m].snapshot();
      return { params: params[m], mtState: state, mtIndex: index };
    }),
    {
      ...debug,
      marksIn: marksOf(preset),
      ...(snapshotModels.length ? { breaksIn: breaksOf(preset), snapshotModels } : {}),
      shouldStop: () => hooks[0].shouldStop(),
      onChunk: async (chunk, readParams) => {
        trackers.forEach((t, m) => {
          if (done[m]) return; // stopped in an earlier chunk
          const k = slot.get(m);
          const kept = (from: Float32Array[] | undefined) => (k === undefined || !from ? undefined : () => from[k]);
          feedChunk(t, chunk, m, kept(atFrom), kept(chunk.params));
          done[m] = chunk.status[m] !== 'running';
        });
        atFrom = chunk.params;
        const now = performance.now();
        if (!readParams || now - paramsReadAt < Math.max(hooks[0].progressIntervalMs, PARAMS_READ_MS)) return;
        paramsReadAt = now;
        const current = await readParams();
        trackers.forEach((t, m) => {
          if (!done[m]) t.reportIfDue(() => current[m]);
        });
      },
    },
  );
  const results = trackers.map((t, m) => {
    const status: ModelStatus = gpu.status[m] === 'running' ? 'capped' : (gpu.status[m] as ModelStatus);
    return t.finish(status, valLoss(gpu.finalParams[m]), gpu.finalParams[m]); // lossFinl = lossFn(model(inputs), outputs)
  });
  return { results, gpu };
}

/**
 * Replays one model's chunk into its tracker: each segment's first step as recorded, then its min and
 * max at that same step (which only widen the curve point's band and the best loss), and the model's
 * last step of the chunk on its own, so the log prints exactly the steps the CPU loop prints. The
 * parameters, where the chunk has them: `atFrom` at its first step, `after` once it ends (a stopped
 * model's at the step it stopped).
 */
function feedChunk(tracker: ModelTracker, chunk: GpuChunk, m: number, atFrom?: () => Float32Array, after?: () => Float32Array): void {
  const M = chunk.status.length;
  const last = chunk.lastStep[m];
  const lrAt = (step: number) => chunk.lr[step - chunk.from];
  const seg = chunk.segments;
  for (let k = 0; k < chunk.marks.length && chunk.marks[k] < last; k++) {
    const step = chunk.marks[k];
    const o = (k * M + m) * SEGMENT_WORDS;
    tracker.record(step, seg[o], seg[o + 1], lrAt(step), false, k === 0 ? atFrom : undefined);
    tracker.record(step, seg[o + 2], seg[o + 4], lrAt(step), false);
    tracker.record(step, seg[o + 3], seg[o + 5], lrAt(step), false);
  }
  const stopped = chunk.status[m] === 'reached' || chunk.status[m] === 'diverged';
  const params = last === chunk.from ? atFrom : stopped ? after : undefined;
  tracker.record(last, chunk.lastTrain[m], chunk.lastVal[m], lrAt(last), chunk.status[m] === 'reached', params);
}

/** Models of one group on their own streams (streams.ts's trainOwnStreams, on the GPU). */
export async function trainOwnStreamsWebGpu(
  train: GpuTrainer,
  exp: Experiment,
  refs: ModelRef[],
  hooksFor: (ref: ModelRef) => TrainHooks,
  keeps?: (ref: ModelRef) => boolean,
): Promise<TrainedModel[]> {
  const { rngs, params } = ownStreams(exp, refs);
  return (await trainGroupWebGpu(train, exp, refs, params, rngs, hooksFor, {}, keeps)).results;
}
