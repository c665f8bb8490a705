// The bookkeeping of one model as it trains, whatever computes its steps: the seed's log lines,
// the decimated curves, progress reports, the stop rule, and the final result.
import { CurveRecorder } from './curves.ts';
import type { ModelProgress, ModelRef, ModelResult } from './events.ts';
import type { Experiment } from './experiment.ts';
import { logLine, nextSeedPrint } from './log-format.ts';
import { classify } from './plateaus.ts';
import type { Preset } from './preset.ts';

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
function printSchedule(preset: Preset): (i: number) => number {
  const steps = preset.log.steps;
  if (steps === 'seed') return nextSeedPrint;
  if (steps === 'none') return () => Infinity;
  return (i) => Math.ceil(i / steps.every) * steps.every;
}

export class ModelTracker {
  status: ModelResult['status'] = 'capped';
  /** The last step index seen (the seed's `i`). */
  step = -1;
  private readonly curves = new CurveRecorder();
  private readonly printing: boolean;
  private readonly nextPrint: (i: number) => number;
  private printAt: number;
  private readonly maxSteps: number;
  private readonly lossLimit: number;
  private readonly initialParams: number[];
  private lossInit = NaN;
  private lossTrain = NaN;
  private lossVal = NaN;
  private lr = NaN;
  private reported = 0;
  private lastReport = performance.now();

  constructor(private readonly exp: Experiment, private readonly ref: ModelRef, private readonly hooks: TrainHooks, params: Float32Array) {
    const { preset } = exp;
    this.printing = preset.log.models.includes(ref.index);
    this.nextPrint = printSchedule(preset);
    this.printAt = this.nextPrint(0);
    this.maxSteps = preset.stop.maxSteps;
    this.lossLimit = preset.stop.lossLimit;
    this.initialParams = Array.from(params);
  }

  /** lossInit = lossFn(model(inputs), outputs), before any step. */
  begin(lossInit: number): void {
    this.lossInit = lossInit;
    this.hooks.log(logLine.lossInit(this.ref.index, lossInit));
  }

  /**
   * One step's losses, before the update. Returns true when the model stops here: the validation
   * loss reached the limit (`if lossVal <= lossLim: break`) or a loss is NaN or infinite.
   */
  observe(i: number, lossTrain: number, lossVal: number, lr: number): boolean {
    this.step = i;
    this.lossTrain = lossTrain;
    this.lossVal = lossVal;
    this.lr = lr;
    this.curves.record(i, lossTrain, lossVal, lr);
    this.hooks.trace?.(i, lossTrain, lossVal, lr);
    const reached = lossVal <= this.lossLimit;
    if (this.printing && (i === this.printAt || i === this.maxSteps - 1 || reached)) this.hooks.log(logLine.step(i, lossTrain, lossVal));
    if (i === this.printAt) this.printAt = this.nextPrint(i + 1);
    if (reached) { this.status = 'reached'; return true; }
    if (!Number.isFinite(lossTrain) || !Number.isFinite(lossVal)) { this.status = 'diverged'; return true; }
    return false;
  }

  /** Between steps: reports progress when due (reading the parameters only then); true when the run asks to stop. */
  checkpoint(params: () => Float32Array): boolean {
    if (this.hooks.shouldStop()) { this.status = 'stopped'; return true; }
    const now = performance.now();
    if (now - this.lastReport >= this.hooks.progressIntervalMs) {
      this.lastReport = now;
      this.report(params());
    }
    return false;
  }

  /** lossFinl = lossFn(model(inputs), outputs), after the loop; logs it and builds the result. */
  finish(lossFinal: number, params: Float32Array): ModelResult {
    const steps = Math.max(0, this.step);
    this.hooks.log(logLine.lossFinal(this.ref.index, lossFinal, steps));
    this.curves.finish();
    this.report(params);
    return {
      ...this.ref,
      lossInit: this.lossInit,
      lossFinal: Number.isFinite(lossFinal) ? lossFinal : null,
      steps,
      status: this.status,
      outcome: classify(this.status, lossFinal, this.exp.plateaus),
      initialParams: this.initialParams,
      finalParams: Array.from(params),
      curves: this.curves.curves,
    };
  }

  private report(params: Float32Array): void {
    this.hooks.progress({
      id: this.ref.id, step: Math.max(0, this.step), lossTrain: this.lossTrain, lossVal: this.lossVal, lr: this.lr,
      params: Array.from(params), curves: this.curves.since(this.reported),
    });
    this.reported = this.curves.curves.step.length;
  }
}
