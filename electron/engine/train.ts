// Trains one model on a CPU kernel: the seed's loop, step for step.
import type { ModelRef, ModelStatus, TrainedModel } from '../../core/results/events.ts';
import type { Group } from '../../core/preset/preset.ts';
import { discardRemaining, TrainingData } from './data.ts';
import type { Experiment } from './experiment.ts';
import { DirectKernel } from './kernels/direct.ts';
import { FusedKernel } from './kernels/fused.ts';
import { FusedSimdSteps, fusedSimdRefusal } from './kernels/fused-simd.ts';
import { piecewiseLinearNet } from '../../core/model/network.ts';
import type { Kernel, ModelSteps } from './kernels/kernel.ts';
import { makeOptimizer, type Optimizer } from './optim.ts';
import type { TorchGenerator } from './rng.ts';
import { makeSchedule } from '../../core/model/schedule.ts';
import { diverged, ModelTracker, type TrainHooks } from './tracker.ts';

export type { TrainHooks } from './tracker.ts';
/** The CPU kernels of the Kernel interface. */
export type CpuBackend = 'fused' | 'direct';
/** The CPU backends trainModel runs: those kernels, and the fused kernel in WebAssembly. */
export type StepBackend = CpuBackend | 'fused-simd';

/** Steps between looks at the stop flag and the clock. */
const CHECK_EVERY = 4096;

export function makeKernel(backend: CpuBackend, group: Group, params: Float32Array, exp: Experiment): Kernel {
  return backend === 'fused' && piecewiseLinearNet(group)
    ? new FusedKernel(group, params, exp.gridPoints)
    : new DirectKernel(group, params, exp.gridPoints);
}

/** A Kernel's steps: the batch from TrainingData, the update from the optimizer. */
class KernelSteps implements ModelSteps {
  lossVal = NaN;

  constructor(
    private readonly kernel: Kernel,
    private readonly data: TrainingData,
    private readonly optimizer: Optimizer,
  ) {}

  get params(): Float32Array {
    return this.kernel.params;
  }

  get drawsPerStep(): number {
    return this.data.drawsPerStep;
  }

  measure(): number {
    const lossTrain = this.kernel.trainLoss(this.data.next()); // inp = torch.rand(B, 1); out = fGoal(inp); pred = model(inp); ...
    this.lossVal = this.kernel.valLoss(); // with torch.no_grad(): lossVal = lossFn(model(inputs), outputs)
    return lossTrain;
  }

  update(lr: number, momentum: number | undefined): void {
    this.kernel.backward(); // opt.zero_grad(); lossTrain.backward()
    this.optimizer.step(this.kernel.params, this.kernel.grad, lr, momentum); // opt.step()
  }

  valLoss(): number {
    return this.kernel.valLoss();
  }

  finish(): void {} // it trained the caller's parameters and generator in place
}

/** A model's steps on `backend`; fused-simd's refusals (fusedSimdRefusal) train on the JavaScript fused kernel. */
function makeSteps(backend: StepBackend, exp: Experiment, group: Group, params: Float32Array, rng: TorchGenerator): ModelSteps {
  if (backend === 'fused-simd' && fusedSimdRefusal(group, exp.preset) === null) return new FusedSimdSteps(exp, group, params, rng);
  const kernel = makeKernel(backend === 'direct' ? 'direct' : 'fused', group, params, exp);
  const data = new TrainingData(group, rng, exp.target, exp.grid, exp.gridPoints);
  return new KernelSteps(kernel, data, makeOptimizer(group.optimizer, params.length));
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
  backend: StepBackend,
  hooks: TrainHooks,
  skipWhenEndedEarly: boolean,
): TrainedModel {
  const group = exp.preset.groups[ref.groupIndex];
  const { maxSteps, lossLimit } = exp.preset.stop;
  const tracker = new ModelTracker(exp, ref, hooks, params);
  const steps = makeSteps(backend, exp, group, params, rng);
  const schedule = makeSchedule(group.schedule, group.optimizer); // CyclicLR sets lr = base_lr here
  let status: ModelStatus = 'capped';
  const current = () => steps.params; // the parameters being trained: a snapshot copies them as they are

  tracker.begin(steps.valLoss()); //                  lossInit = lossFn(model(inputs), outputs)
  // prettier-ignore
  for (let i = 0; i < maxSteps; i++) {
    const lossTrain = steps.measure(); //             inp = torch.rand(B, 1); out = fGoal(inp); pred = model(inp); lossTrain = lossFn(pred, out)
    const lossVal = steps.lossVal; //                 with torch.no_grad(): lossVal = lossFn(model(inputs), outputs)
    const reached = lossVal <= lossLimit;
    tracker.record(i, lossTrain, lossVal, schedule.lr, reached, current); // print(...) at doPrint(i), the last step and the limit
    if (reached) { status = 'reached'; break; } //    if lossVal <= lossLim: break
    if (diverged(lossTrain, lossVal)) { status = 'diverged'; break; }
    steps.update(schedule.lr, schedule.momentum); //  opt.zero_grad(); lossTrain.backward(); opt.step()
    schedule.step(); //                               sched.step()
    if (i % CHECK_EVERY === CHECK_EVERY - 1) {
      if (hooks.shouldStop()) { status = 'stopped'; break; }
      tracker.reportIfDue(current);
    }
  }
  const lossFinal = steps.valLoss(); //               lossFinl = lossFn(model(inputs), outputs)
  steps.finish();
  if (status === 'diverged' && skipWhenEndedEarly) discardRemaining(rng, steps.drawsPerStep, tracker.step, maxSteps);
  return tracker.finish(status, lossFinal, params);
}
