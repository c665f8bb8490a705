// Trains one model on a CPU kernel: the seed's loop, step for step.
import type { ModelRef, ModelStatus, TrainedModel } from '../../core/results/events.ts';
import type { Group } from '../../core/preset/preset.ts';
import { TrainingData } from './data.ts';
import type { Experiment } from './experiment.ts';
import { DirectKernel } from './kernels/direct.ts';
import { FusedKernel } from './kernels/fused.ts';
import { piecewiseLinearNet } from '../../core/model/network.ts';
import type { Kernel } from './kernels/kernel.ts';
import { makeOptimizer } from './optim.ts';
import type { TorchGenerator } from './rng.ts';
import { makeSchedule } from '../../core/model/schedule.ts';
import { diverged, ModelTracker, type TrainHooks } from './tracker.ts';

export type { TrainHooks } from './tracker.ts';
export type CpuBackend = 'fused' | 'direct';

/** Steps between looks at the stop flag and the clock. */
const CHECK_EVERY = 4096;

export function makeKernel(backend: CpuBackend, group: Group, params: Float32Array, exp: Experiment): Kernel {
  return backend === 'fused' && piecewiseLinearNet(group)
    ? new FusedKernel(group, params, exp.gridPoints)
    : new DirectKernel(group, params, exp.gridPoints);
}

/**
 * Trains `params` in place. `rng` supplies the batches: the shared torch stream or the model's own.
 * `skipWhenEndedEarly` keeps a shared stream in step with PyTorch when a model stops before the
 * cap without reaching the limit (diverged): PyTorch would have drawn its remaining batches.
 */
export function trainModel(
  exp: Experiment,
  ref: ModelRef,
  params: Float32Array,
  rng: TorchGenerator,
  backend: CpuBackend,
  hooks: TrainHooks,
  skipWhenEndedEarly: boolean,
): TrainedModel {
  const group = exp.preset.groups[ref.groupIndex];
  const { maxSteps, lossLimit } = exp.preset.stop;
  const tracker = new ModelTracker(exp, ref, hooks, params);
  const kernel = makeKernel(backend, group, params, exp);
  const optimizer = makeOptimizer(group.optimizer, params.length);
  const schedule = makeSchedule(group.schedule, group.optimizer); // CyclicLR sets lr = base_lr here
  const data = new TrainingData(group, rng, exp.target, exp.grid, exp.gridPoints);
  let status: ModelStatus = 'capped';
  const current = () => params; // the parameters trained in place: a snapshot copies them as they are

  tracker.begin(kernel.valLoss()); //                 lossInit = lossFn(model(inputs), outputs)
  // prettier-ignore
  for (let i = 0; i < maxSteps; i++) {
    const batch = data.next(); //                     inp = torch.rand(B, 1); out = fGoal(inp)
    const lossTrain = kernel.trainLoss(batch); //     pred = model(inp); lossTrain = lossFn(pred, out)
    const lossVal = kernel.valLoss(); //              with torch.no_grad(): lossVal = lossFn(model(inputs), outputs)
    const reached = lossVal <= lossLimit;
    tracker.record(i, lossTrain, lossVal, schedule.lr, reached, current); // print(...) at doPrint(i), the last step and the limit
    if (reached) { status = 'reached'; break; } //    if lossVal <= lossLim: break
    if (diverged(lossTrain, lossVal)) { status = 'diverged'; break; }
    kernel.backward(); //                             opt.zero_grad(); lossTrain.backward()
    optimizer.step(params, kernel.grad, schedule.lr, schedule.momentum); // opt.step()
    schedule.step(); //                               sched.step()
    if (i % CHECK_EVERY === CHECK_EVERY - 1) {
      if (hooks.shouldStop()) { status = 'stopped'; break; }
      tracker.reportIfDue(() => params);
    }
  }
  if (status === 'diverged' && skipWhenEndedEarly) data.discardRemaining(tracker.step, maxSteps);
  return tracker.finish(status, kernel.valLoss(), params); // lossFinl = lossFn(model(inputs), outputs)
}
