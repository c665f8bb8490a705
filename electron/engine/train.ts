// Trains one model: the seed's loop, step for step.
import { CurveRecorder } from './curves.ts';
import { TrainingData } from './data.ts';
import type { Backend, ModelProgress, ModelRef, ModelResult } from './events.ts';
import type { Experiment } from './experiment.ts';
import { DirectKernel } from './kernels/direct.ts';
import { FusedKernel, fusedSupports } from './kernels/fused.ts';
import type { Kernel } from './kernels/kernel.ts';
import { logLine, nextSeedPrint } from './log-format.ts';
import { makeOptimizer } from './optim.ts';
import { classify } from './plateaus.ts';
import type { Group, Preset } from './preset.ts';
import type { TorchGenerator } from './rng.ts';
import { makeSchedule } from './schedule.ts';

export interface TrainHooks {
  log(line: string): void;
  progress(p: ModelProgress): void;
  shouldStop(): boolean;
  /** How often (in ms) to report progress. */
  progressIntervalMs: number;
}

/** Steps between looks at the clock and the stop flag. */
const CHECK_EVERY = 4096;

export function makeKernel(backend: Backend, group: Group, params: Float32Array, exp: Experiment): Kernel {
  return backend === 'fused' && fusedSupports(group)
    ? new FusedKernel(group, params, exp.gridPoints)
    : new DirectKernel(group, params, exp.gridPoints);
}

/** The log's print schedule, as "the first print step at or after i". */
function printSchedule(preset: Preset): (i: number) => number {
  const steps = preset.log.steps;
  if (steps === 'seed') return nextSeedPrint;
  if (steps === 'none') return () => Infinity;
  return (i) => Math.ceil(i / steps.every) * steps.every;
}

/**
 * Trains `params` in place. `rng` supplies the batches: the shared torch stream or the model's own.
 * `skipWhenEndedEarly` keeps a shared stream in step with PyTorch when a model stops before the
 * cap without reaching the limit (diverged): PyTorch would have drawn its remaining batches.
 */
export function trainModel(exp: Experiment, ref: ModelRef, params: Float32Array, rng: TorchGenerator,
  backend: Backend, hooks: TrainHooks, skipWhenEndedEarly: boolean): ModelResult {
  const { preset } = exp;
  const group = preset.groups[ref.groupIndex];
  const initialParams = Array.from(params);
  const kernel = makeKernel(backend, group, params, exp);
  const optimizer = makeOptimizer(group.optimizer, params.length);
  const schedule = makeSchedule(group.schedule, group.optimizer); // CyclicLR sets lr = base_lr here
  const data = new TrainingData(group, rng, exp.target, exp.grid, exp.gridPoints);
  const { maxSteps, lossLimit } = preset.stop;
  const nextPrint = printSchedule(preset);
  const printing = preset.log.models.includes(ref.index);
  let printAt = nextPrint(0);
  const curves = new CurveRecorder();
  let reported = 0;
  let lastReport = performance.now();

  const lossInit = kernel.valLoss();
  hooks.log(logLine.lossInit(ref.index, lossInit));
  let status: ModelResult['status'] = 'capped';
  let i = 0;
  let lossTrain = NaN;
  let lossVal = lossInit;
  for (; i < maxSteps; i++) {
    const batch = data.next(); //                   inp = torch.rand(B, 1); out = fGoal(inp)
    lossTrain = kernel.trainLoss(batch); //         pred = model(inp); lossTrain = lossFn(pred, out)
    lossVal = kernel.valLoss(); //                  with torch.no_grad(): lossVal = lossFn(model(inputs), outputs)
    curves.record(i, lossTrain, lossVal, schedule.lr);
    const reached = lossVal <= lossLimit;
    if (printing && (i === printAt || i === maxSteps - 1 || reached)) hooks.log(logLine.step(i, lossTrain, lossVal));
    if (i === printAt) printAt = nextPrint(i + 1);
    if (reached) { status = 'reached'; break; } //  if lossVal <= lossLim: break
    if (!Number.isFinite(lossTrain) || !Number.isFinite(lossVal)) { status = 'diverged'; break; }
    kernel.backward(); //                           opt.zero_grad(); lossTrain.backward()
    optimizer.step(params, kernel.grad, schedule.lr, schedule.momentum); // opt.step()
    schedule.step(); //                             sched.step()
    if ((i & (CHECK_EVERY - 1)) === CHECK_EVERY - 1) {
      if (hooks.shouldStop()) { status = 'stopped'; break; }
      const now = performance.now();
      if (now - lastReport >= hooks.progressIntervalMs) {
        lastReport = now;
        hooks.progress({ id: ref.id, step: i, lossTrain, lossVal, lr: schedule.lr, params: Array.from(params), curves: curves.since(reported) });
        reported = curves.curves.step.length;
      }
    }
  }
  const steps = Math.min(i, maxSteps - 1);
  if (status === 'diverged' && skipWhenEndedEarly) rng.skip((maxSteps - 1 - i) * data.drawsPerStep);
  const lossFinal = kernel.valLoss(); //              lossFinl = lossFn(model(inputs), outputs)
  hooks.log(logLine.lossFinal(ref.index, lossFinal, steps));
  curves.finish();
  hooks.progress({ id: ref.id, step: steps, lossTrain, lossVal, lr: schedule.lr, params: Array.from(params), curves: curves.since(reported) });
  return {
    ...ref,
    lossInit,
    lossFinal: Number.isFinite(lossFinal) ? lossFinal : null,
    steps,
    status,
    outcome: classify(status, lossFinal, exp.plateaus),
    initialParams,
    finalParams: Array.from(params),
    curves: curves.curves,
  };
}
