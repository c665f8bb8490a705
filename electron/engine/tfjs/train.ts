// Trains models of one group together on TensorFlow.js: the seed's loop, with every step batched
// across the models. The batches come from the engine's own generators (never tf.random), so the
// tfjs backend changes speed, not results.
import { TrainingData } from '../data.ts';
import type { ModelRef, TrainedModel, ModelStatus } from '../../../core/results/events.ts';
import type { Experiment } from '../experiment.ts';
import type { TorchGenerator } from '../rng.ts';
import { makeSchedule } from '../../../core/model/schedule.ts';
import { diverged, ModelTracker, type TrainHooks } from '../tracker.ts';
import { TfGroup } from './group.ts';
import type { TfRuntime } from './runtime.ts';

/** Steps between looks at the clock and the stop flag (a tfjs step costs far more than a fused one). */
const CHECK_EVERY = 64;

/**
 * Trains `params[m]` of `refs[m]` (all of one group) with batches from `rngs[m]`. With one shared torch
 * stream, pass one model at a time; `skipWhenEndedEarly` then keeps the stream where PyTorch would have it.
 */
export function trainGroupTf(
  rt: TfRuntime,
  exp: Experiment,
  refs: ModelRef[],
  params: Float32Array[],
  rngs: TorchGenerator[],
  hooksFor: (ref: ModelRef) => TrainHooks,
  skipWhenEndedEarly: boolean,
): TrainedModel[] {
  const group = exp.preset.groups[refs[0].groupIndex];
  const { maxSteps, lossLimit } = exp.preset.stop;
  const size = refs.length;
  const hooks = refs.map(hooksFor);
  const trackers = refs.map((ref, m) => new ModelTracker(exp, ref, hooks[m], params[m]));
  const models = new TfGroup(rt.tf, group, params, exp.grid);
  const schedule = makeSchedule(group.schedule, group.optimizer); // every model steps in lockstep
  const data = rngs.map((rng) => new TrainingData(group, rng, exp.target, exp.grid, exp.gridPoints));
  const batch = data[0].batch.x.length;
  const x = new Float32Array(size * batch);
  const y = new Float32Array(size * batch);
  /** Each model's status: 'capped' unless it stops before the cap; `active` masks the stopped ones out of the update. */
  const status: ModelStatus[] = refs.map(() => 'capped');
  const active = new Float32Array(size).fill(1);
  const stop = (m: number, why: ModelStatus) => {
    status[m] = why;
    active[m] = 0;
  };
  try {
    const lossInit = models.validation(); //           lossInit = lossFn(model(inputs), outputs)
    trackers.forEach((t, m) => t.begin(lossInit[m]));
    // prettier-ignore
    for (let i = 0; i < maxSteps; i++) {
      for (let m = 0; m < size; m++) {
        if (!active[m]) continue;
        const b = data[m].next(); //                   inp = torch.rand(B, 1); out = fGoal(inp)
        x.set(b.x, m * batch);
        y.set(b.y, m * batch);
      }
      const { lossTrain, lossVal } = models.evaluate(x, y, batch); // pred, lossTrain; lossVal (no grad); lossTrain.backward()
      let before: Float32Array[] | null = null; // the parameters before this step's update, read back only for a snapshot
      const paramsOf = (m: number) => () => (before ??= models.params())[m];
      for (let m = 0; m < size; m++) {
        if (!active[m]) continue;
        const reached = lossVal[m] <= lossLimit;
        trackers[m].record(i, lossTrain[m], lossVal[m], schedule.lr, reached, paramsOf(m)); // print(...)
        if (reached) stop(m, 'reached'); //            if lossVal <= lossLim: break
        else if (diverged(lossTrain[m], lossVal[m])) stop(m, 'diverged');
      }
      if (!active.some(Boolean)) break;
      models.update(schedule.lr, schedule.momentum, active); // opt.step() for the models still training
      schedule.step(); //                              sched.step()
      if (i % CHECK_EVERY === CHECK_EVERY - 1) {
        if (hooks[0].shouldStop()) { for (let m = 0; m < size; m++) if (active[m]) stop(m, 'stopped'); break; }
        let current: Float32Array[] | null = null;
        for (let m = 0; m < size; m++) if (active[m]) trackers[m].reportIfDue(() => (current ??= models.params())[m]);
      }
    }
    trackers.forEach((t, m) => {
      if (status[m] === 'diverged' && skipWhenEndedEarly) data[m].discardRemaining(t.step, maxSteps);
    });
    const lossFinal = models.validation(); //          lossFinl = lossFn(model(inputs), outputs)
    const finalParams = models.params();
    return trackers.map((t, m) => t.finish(status[m], lossFinal[m], finalParams[m]));
  } finally {
    models.dispose();
  }
}
