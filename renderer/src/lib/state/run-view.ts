// The run on screen as plain data, and how a run's messages change it: its models' rows and curves,
// its progress, its result and its log. No Svelte here, so the fast tests drive it directly;
// run.svelte.ts holds the view reactively and hands it each batch of messages.
import type { ChartModel } from '../../../../core/charts/data.ts';
import type { RunMessage, RunRecord, StoredRun } from '../../../../core/ipc/contract.ts';
import { expandSweep, type SweepInfo } from '../../../../core/preset/sweep.ts';
import type { Preset } from '../../../../core/preset/preset.ts';
import { appendCurves, emptyCurves } from '../../../../core/results/curves.ts';
import type { ModelResult, RunInfo, RunResult } from '../../../../core/results/events.ts';

/** A model as the run screen shows it: waiting for a worker, training, or finished with its result. */
export interface ModelRow extends ChartModel {
  step: number;
  lossVal: number;
}

export interface RunView {
  runId: string;
  /** The run as the history lists it: its preset, when it started, whether from unsaved edits. */
  record: RunRecord;
  name: string;
  live: boolean;
  status: RunRecord['status'];
  info: RunInfo | null;
  /** As run: a sweep's cells are its groups. */
  preset: Preset;
  sweep: SweepInfo | null;
  models: ModelRow[];
  result: RunResult | null;
  log: string[];
  stepsPerSecond: number;
  etaSeconds: number | null;
  modelsDone: number;
  /** What a queue run said last while it waits (no worker yet, Redis lost), until training goes on or it ends. */
  notice: string | null;
  /** Bumped whenever curves change. */
  version: number;
}

/** A run's view before anything has trained: its preset as run (a sweep expanded). */
export function viewOf(record: RunRecord, preset: Preset, live: boolean): RunView {
  const expanded = expandSweep(preset);
  return {
    runId: record.id,
    record,
    name: record.name,
    live,
    status: record.status,
    info: null,
    preset: expanded.preset,
    sweep: expanded.sweep,
    models: [],
    result: null,
    log: [],
    stepsPerSecond: 0,
    etaSeconds: null,
    modelsDone: 0,
    notice: null,
    version: 0,
  };
}

/** A stored run's view: its result's models, or none. */
export function storedView(stored: StoredRun): RunView {
  const { record, result } = stored;
  const view = viewOf(record, stored.preset, false);
  if (!result) return { ...view, log: stored.log.split('\n').filter(Boolean), version: 1 };
  return {
    ...view,
    preset: result.preset,
    sweep: result.sweep,
    models: result.models.map(rowOf),
    result,
    log: stored.log.split('\n').filter(Boolean),
    modelsDone: result.models.length,
    version: 1,
  };
}

function rowOf(result: ModelResult): ModelRow {
  return { ...result, params: result.finalParams, step: result.steps, lossVal: result.lossFinal ?? NaN };
}

/** What the messages are applied to: the view, and the live run's finished models by id (its `finished` event does not carry them again). */
export interface RunState {
  view: RunView | null;
  finishedModels: ModelResult[];
}

/** A batch applied: the state after it, and what the rest of the page hears of. */
export interface AppliedBatch extends RunState {
  /** Whether any run (on screen or not) was stored: the history is out of date. */
  stored: boolean;
  /** The run on screen's record, when this batch stored it: how the run ended. */
  ended: RunRecord | null;
}

/**
 * Applies a batch of messages in order; those of another run than the one on screen change nothing but
 * `stored`. The input is not changed, except that live curves grow in place (thousands of points a
 * second are not copied): a changed row is a new object, and a changed view a new view.
 */
export function applyMessages(state: RunState, batch: readonly RunMessage[]): AppliedBatch {
  let view = state.view;
  let models: ModelRow[] | null = null; // this batch's copy of the rows, made on the first change
  let finished: ModelResult[] | null = null; // likewise the finished models
  const rows = () => (models ??= view!.models.slice());
  const finishedModels = () => (finished ??= state.finishedModels.slice());
  const lines: string[] = [];
  let stored = false;
  let ended: RunRecord | null = null;
  for (const message of batch) {
    if (message.kind === 'stored') {
      stored = true;
      if (view?.runId === message.runId) {
        view = { ...view, record: message.record, live: false, status: message.record.status, notice: null };
        ended = message.record;
      }
      continue;
    }
    if (!view || view.runId !== message.runId) continue;
    if (message.kind === 'notice') {
      view = { ...view, notice: message.text };
      continue;
    }
    const event = message.event;
    switch (event.type) {
      case 'started':
        finished = [];
        models = event.info.models.map((m) => ({
          ...m,
          curves: emptyCurves(),
          params: [],
          lossFinal: null,
          status: 'waiting',
          step: 0,
          lossVal: NaN,
        }));
        view = { ...view, info: event.info, preset: event.info.preset, sweep: event.info.sweep };
        break;
      case 'log':
        lines.push(event.line);
        break;
      case 'progress': {
        const all = rows();
        for (const p of event.models) {
          const row = all[p.id];
          if (!row || row.outcome !== undefined) continue; // finished: its result has the whole curve
          appendCurves(row.curves, p.curves); // the arrays grow in place; the row is new
          all[p.id] = {
            ...row,
            step: p.step,
            lossVal: p.lossVal,
            params: p.params ?? row.params,
            status: row.status === 'waiting' ? 'training' : row.status,
          };
        }
        view = { ...view, stepsPerSecond: event.stepsPerSecond, etaSeconds: event.etaSeconds, modelsDone: event.modelsDone, notice: null };
        break;
      }
      case 'modelFinished':
        rows()[event.result.id] = rowOf(event.result);
        finishedModels()[event.result.id] = event.result;
        break;
      case 'finished': {
        const done = finishedModels().filter((m) => m !== undefined); // in id order, as the result's
        view = { ...view, result: { ...event.result, models: done }, modelsDone: done.length };
        break;
      }
    }
  }
  if (view && models) view = { ...view, models, version: view.version + 1 };
  if (view && lines.length) view = { ...view, log: view.log.concat(lines) };
  return { view, finishedModels: finished ?? state.finishedModels, stored, ended };
}
