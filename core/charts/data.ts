// What every chart is drawn from: a run's preset, its reference levels, its models (live, or finished)
// and its sweep. One function makes it from a stored result or from the app's view of a run, so the
// exports and the screens draw the same data.
import type { Curves } from '../results/curves.ts';
import type { Landscape } from '../results/landscape.ts';
import { modelName, snapshotIndexAt, type Snapshots } from '../results/snapshots.ts';
import { typicalOfEachGroup } from './fit.ts';
import type { ChartKind } from './kinds.ts';
import type { ChartOptions } from './request.ts';
import { MODEL_STATUSES, type ModelRef, type ModelResult, type ModelStatus } from '../results/events.ts';
import type { Outcome, Plateaus } from '../model/plateaus.ts';
import type { Preset } from '../preset/preset.ts';
import type { SweepInfo } from '../preset/sweep.ts';

/** One model as the charts see it: live (curves so far, current weights) or finished. */
export interface ChartModel extends ModelRef {
  curves: Curves;
  params: number[];
  lossFinal: number | null;
  /** 'waiting' or 'training' while it runs; a ModelStatus once finished. */
  status: string;
  /** Once finished: its last step, where it ended, and the lowest validation loss it saw. */
  steps?: number;
  outcome?: Outcome;
  lossBest?: number | null;
  /** Its parameters along the way, where they were read (the kink paths draw them). */
  snapshots?: Snapshots;
}

export interface ChartData {
  /** As run: a sweep's cells are its groups. */
  preset: Preset;
  plateaus: Plateaus;
  models: ChartModel[];
  /** A sweep's axes and cells (the heatmap needs them). */
  sweep?: SweepInfo | null;
  /** Draw the loss limit and plateau lines (false where combined runs have different ones). */
  references?: boolean;
  /** The loss landscape around one of its models (the landscape and slice charts draw it; computed on request). */
  landscape?: Landscape;
  /** Runs compared (combine.ts): where each group came from, by group index. */
  origins?: GroupOrigin[];
}

/** Where a compared group came from: its run, as runLabels names it, and that run's own step cap. */
export interface GroupOrigin {
  run: string;
  maxSteps: number;
}

/** A group's step cap: its own run's where runs are compared (the preset's is then the largest), else the preset's. */
export function capOf(data: Pick<ChartData, 'preset' | 'origins'>, groupIndex: number): number {
  return data.origins?.[groupIndex]?.maxSteps ?? data.preset.stop.maxSteps;
}

/** A model that has finished, with what its statistics need. */
export type FinishedModel = ChartModel & { status: ModelStatus; steps: number; outcome: Outcome; lossBest: number | null };
export const finished = (m: ChartModel): m is FinishedModel =>
  (MODEL_STATUSES as readonly string[]).includes(m.status) && m.outcome !== undefined && m.steps !== undefined;

/**
 * A run as the charts take it: a stored result (its models with their final weights), or the app's view
 * of a run (its models as charted so far) with the reference levels it has learnt.
 */
export interface ChartedRun {
  preset: Preset;
  plateaus: Plateaus;
  sweep?: SweepInfo | null;
  models: readonly (ChartModel | ModelResult)[];
}

/** A model the app already holds as the charts see it (a stored one has its final weights instead). */
const charted = (m: ChartModel | ModelResult): m is ChartModel => 'params' in m;

/**
 * The charts' data of a run: every model with its weights (a stored model's final ones) and, where they were
 * read from beside the result, its snapshots (by model id).
 */
export function chartDataOf(run: ChartedRun, snapshots?: ReadonlyMap<number, Snapshots>): ChartData {
  const models = run.models.map((m) => {
    const model = charted(m) ? m : { ...m, params: m.finalParams };
    const kept = snapshots?.get(m.id);
    return kept ? { ...model, snapshots: kept } : model;
  });
  return { preset: run.preset, plateaus: run.plateaus, models, sweep: run.sweep };
}

/**
 * The charts' data replayed at `step` (the timeline's cursor): each model that kept snapshots as it was
 * then, its weights its snapshot at or before the step (a model that stopped earlier stays as it ended).
 * Models without snapshots keep their final weights.
 */
export function atStep(data: ChartData, step: number): ChartData {
  const models = data.models.map((m) =>
    m.snapshots?.step.length ? { ...m, params: m.snapshots.params[snapshotIndexAt(m.snapshots, step)] } : m,
  );
  return { ...data, models };
}

/**
 * The models a chart draws from their snapshots, which are stored beside a result and read for these only:
 * the kink paths', and the fit's at a step (by default each group's typical model). None for other charts.
 */
export function replayedModels(kind: ChartKind, o: Pick<ChartOptions, 'fitModels' | 'step'>, models: readonly ChartModel[]): number[] {
  if (kind !== 'kinks' && !(kind === 'fit' && o.step !== undefined)) return [];
  return o.fitModels ?? typicalOfEachGroup(models);
}

/** The snapshots read by model name (GROUP#INDEX), by model id as chartDataOf takes them. */
export function snapshotsById(models: readonly ModelRef[], byName: ReadonlyMap<string, Snapshots>): Map<number, Snapshots> {
  return new Map(models.flatMap((m) => (byName.has(modelName(m)) ? [[m.id, byName.get(modelName(m))!] as const] : [])));
}
