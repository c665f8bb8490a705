// The bookkeeping of one model as it trains, whatever computes its steps: the seed's log lines, the
// decimated curves, the snapshots of its parameters (where the backend has them at every step), progress
// reports and the final result. The stop rule stays in the training loops.
import { CurveRecorder } from '../../core/results/curves.ts';
import { SNAPSHOT_PARAMS_LIMIT, SnapshotRecorder } from '../../core/results/snapshots.ts';
import { LIVE_WEIGHTS_LIMIT, type ModelProgress, type ModelRef, type ModelStatus, type TrainedModel } from '../../core/results/events.ts';
import { classify } from '../../core/model/plateaus.ts';
import type { Preset } from '../../core/preset/preset.ts';
import type { Experiment } from './experiment.ts';
import { logLine, nextSeedPrint } from './log-format.ts';

export interface TrainHooks {
  log(line: string): void;
  progress(p: ModelProgress): void;
  shouldStop(): boolean;
  /** How often (in ms) to report progress. */
  progressIntervalMs: number;
  /** Every step's values, unrounded and undecimated (fidelity checks against PyTorch and between backends). */
  trace?: (step: number, lossTrain: number, lossVal: number, lr: number) => void;
}

/** The log's print schedule, as "the first print step at or after i". */
export function printSchedule(preset: Preset): (i: number) => number {
  const steps = preset.log.steps;
  if (steps === 'seed') return nextSeedPrint;
  if (steps === 'none') return () => Infinity;
  return (i) => Math.ceil(i / steps.every) * steps.every;
}

/** NaN or infinite losses: such a model never reaches the limit, so its loop stops at once. */
export function diverged(lossTrain: number, lossVal: number): boolean {
  return !Number.isFinite(lossTrain) || !Number.isFinite(lossVal);
}

export class ModelTracker {
  /** The last step index recorded (the seed's `i`). */
  step = -1;
  private readonly curves = new CurveRecorder();
  private readonly snapshots: SnapshotRecorder;
  private readonly printing: boolean;
  private readonly nextPrint: (i: number) => number;
  private printAt: number;
  private readonly lastStep: number;
  private readonly initialParams: number[];
  private lossInit = NaN;
  private lossTrain = NaN;
  private lossVal = NaN;
  /** The lowest validation loss so far (NaN compares false, so a diverged step never lowers it). */
  private lossBest = Infinity;
  private lr = NaN;
  private reported = 0;
  private lastReport = performance.now();

  constructor(
    private readonly exp: Experiment,
    private readonly ref: ModelRef,
    private readonly hooks: TrainHooks,
    params: Float32Array,
  ) {
    const { preset } = exp;
    this.printing = preset.log.models.includes(ref.index);
    this.nextPrint = printSchedule(preset);
    this.printAt = this.nextPrint(0);
    this.lastStep = preset.stop.maxSteps - 1;
    this.initialParams = Array.from(params);
    this.snapshots = new SnapshotRecorder(exp.plateaus);
  }

  /** lossInit = lossFn(model(inputs), outputs), before any step. */
  begin(lossInit: number): void {
    this.lossInit = lossInit;
    this.hooks.log(logLine.lossInit(this.ref.index, lossInit));
  }

  /**
   * One step's losses, before the update: recorded, and printed as the seed prints them
   * (`if iMod == 0 and (doPrint(i) or i == nEpoch - 1 or lossVal <= lossLim)`). `params` gives the
   * parameters those losses were measured at, where the backend has them at every step: snapshots are kept
   * from them, read only at the steps kept.
   */
  record(i: number, lossTrain: number, lossVal: number, lr: number, reached: boolean, params?: () => Float32Array): void {
    this.step = i;
    this.lossTrain = lossTrain;
    this.lossVal = lossVal;
    if (lossVal < this.lossBest) this.lossBest = lossVal;
    this.lr = lr;
    const point = this.curves.record(i, lossTrain, lossVal, lr);
    if (params && this.initialParams.length <= SNAPSHOT_PARAMS_LIMIT) {
      const last = reached || i === this.lastStep || diverged(lossTrain, lossVal); // the loop ends after this step
      this.snapshots.record(i, lossVal, reached, point || last, params);
    }
    this.hooks.trace?.(i, lossTrain, lossVal, lr);
    if (this.printing && (i === this.printAt || i === this.lastStep || reached)) this.hooks.log(logLine.step(i, lossTrain, lossVal));
    if (i === this.printAt) this.printAt = this.nextPrint(i + 1);
  }

  /** Between steps: reports progress when it is due (reading the parameters only then). */
  reportIfDue(params: () => Float32Array): void {
    const now = performance.now();
    if (now - this.lastReport < this.hooks.progressIntervalMs) return;
    this.lastReport = now;
    this.report(params());
  }

  /** lossFinl = lossFn(model(inputs), outputs), after the loop; logs it and builds the result. */
  finish(status: ModelStatus, lossFinal: number, params: Float32Array): TrainedModel {
    const steps = Math.max(0, this.step);
    const best = Math.min(this.lossBest, Number.isFinite(lossFinal) ? lossFinal : Infinity);
    this.hooks.log(logLine.lossFinal(this.ref.index, lossFinal, steps));
    this.curves.finish();
    this.report(params);
    return {
      ...this.ref,
      lossInit: this.lossInit,
      lossFinal: Number.isFinite(lossFinal) ? lossFinal : null,
      lossBest: Number.isFinite(best) ? best : null,
      steps,
      status,
      outcome: classify(status, lossFinal, this.exp.plateaus),
      initialParams: this.initialParams,
      finalParams: Array.from(params),
      curves: this.curves.curves,
      snapshots: this.snapshots.snapshots,
    };
  }

  private report(params: Float32Array): void {
    this.hooks.progress({
      id: this.ref.id,
      step: Math.max(0, this.step),
      lossTrain: this.lossTrain,
      lossVal: this.lossVal,
      lr: this.lr,
      ...(params.length <= LIVE_WEIGHTS_LIMIT ? { params: Array.from(params) } : {}),
      curves: this.curves.since(this.reported),
    });
    this.reported = this.curves.curves.step.length;
  }
}
