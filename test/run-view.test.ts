// The run on screen as the renderer's reducer builds it (renderer/src/lib/state/run-view.ts): a run's
// messages in the shapes main sends them — started, log, progress with curve points, modelFinished,
// finished, stored — applied in batches, and a stored run opened from the history.
import { describe, expect, it } from 'vitest';
import { windowEvent, type RunMessage, type RunRecord } from '../core/ipc/contract.ts';
import { emptyCurves, type Curves } from '../core/results/curves.ts';
import { runResultOf, type ModelProgress, type ModelResult, type RunInfo } from '../core/results/events.ts';
import { applyMessages, storedView, viewOf, type RunState, type RunView } from '../renderer/src/lib/state/run-view.ts';
import { presetWith } from './helpers.ts';

const preset = presetWith({ models: 2 });
const record: RunRecord = {
  id: 'run-1',
  name: 'test',
  presetId: null,
  edited: false,
  startedAt: '2025-01-01T00:00:00.000Z',
  backend: 'fused',
  models: 2,
  status: 'running',
  queue: null,
  error: null,
};
const info: RunInfo = {
  backend: 'fused',
  preset,
  sweep: null,
  streams: [7],
  models: [
    { id: 0, group: 'g', groupIndex: 0, index: 0 },
    { id: 1, group: 'g', groupIndex: 0, index: 1 },
  ],
  workers: 1,
  engine: 'minima-lab 1.0.0',
  plateaus: { constant: 0.25, line: 0.1, zero: 0.5 },
};

/** Curve points at these steps, every loss `loss`, the learning rate 0.1. */
function points(steps: number[], loss: number): Curves {
  const at = () => steps.map(() => loss);
  return {
    step: steps,
    lossTrain: at(),
    lossVal: at(),
    lr: steps.map(() => 0.1),
    lossTrainMin: at(),
    lossTrainMax: at(),
    lossValMin: at(),
    lossValMax: at(),
  };
}

function progress(id: number, step: number, lossVal: number, curves: Curves, params?: number[]): ModelProgress {
  return { id, step, lossTrain: lossVal, lossVal, lr: 0.1, curves, ...(params ? { params } : {}) };
}

function finishedModel(id: number, lossFinal: number, steps: number): ModelResult {
  return {
    ...info.models[id],
    lossInit: 0.9,
    lossFinal,
    lossBest: lossFinal,
    steps,
    status: 'reached',
    outcome: 'reached',
    initialParams: [id, 0.5],
    finalParams: [id, 1.5],
    curves: points([0, 1, steps], lossFinal),
  };
}

const event = (e: Extract<RunMessage, { kind: 'event' }>['event'], runId = record.id): RunMessage => ({ kind: 'event', runId, event: e });
const stored = (r: RunRecord): RunMessage => ({ kind: 'stored', runId: r.id, record: r });

/** The reducer's state once `batches` were applied to a live run just started, one after another. */
function follow(...batches: RunMessage[][]): RunState & { stored: boolean; ended: RunRecord | null } {
  let state = {
    view: viewOf(record, preset, true) as RunView | null,
    finishedModels: [] as ModelResult[],
    stored: false,
    ended: null as RunRecord | null,
  };
  for (const batch of batches) state = applyMessages(state, batch);
  return state;
}

const startedBatch = [event({ type: 'started', info }), event({ type: 'log', line: 'minima-lab 1.0.0', model: null })];

describe('the run on screen', () => {
  it('starts live with no models, the preset as run', () => {
    const view = viewOf(record, preset, true);
    expect(view).toMatchObject({
      runId: 'run-1',
      name: 'test',
      live: true,
      status: 'running',
      info: null,
      sweep: null,
      models: [],
      result: null,
      log: [],
    });
    expect(view).toMatchObject({ stepsPerSecond: 0, etaSeconds: null, modelsDone: 0, version: 0 });
    expect(view.preset.groups.map((g) => g.name)).toEqual(['g']);
  });

  it('lists every planned model as waiting once the run has started, and keeps its log', () => {
    const { view } = follow(startedBatch);
    expect(view!.info).toBe(info);
    expect(view!.models.map((m) => [m.id, m.group, m.index, m.status, m.step, m.params, m.lossFinal])).toEqual([
      [0, 'g', 0, 'waiting', 0, [], null],
      [1, 'g', 1, 'waiting', 0, [], null],
    ]);
    expect(view!.models[0].lossVal).toBeNaN();
    expect(view!.models[0].curves).toEqual(emptyCurves());
    expect(view!.log).toEqual(['minima-lab 1.0.0']);
    expect(view!.version).toBe(1);
  });

  it('appends each progress report’s points to its model’s curves and shows the latest step, loss and speed', () => {
    const first = event({
      type: 'progress',
      models: [progress(0, 2, 0.5, points([0, 1, 2], 0.5), [1, 2])],
      modelsDone: 0,
      stepsPerSecond: 150,
      etaSeconds: 3,
    });
    const second = event({
      type: 'progress',
      models: [progress(0, 4, 0.25, points([3, 4], 0.25)), progress(1, 1, 0.75, points([0, 1], 0.75))],
      modelsDone: 0,
      stepsPerSecond: 200,
      etaSeconds: 1,
    });
    const { view } = follow(startedBatch, [first], [second]);
    const [m0, m1] = view!.models;
    expect(m0).toMatchObject({ status: 'training', step: 4, lossVal: 0.25, params: [1, 2] }); // no new weights: the last ones stay
    expect(m0.curves.step).toEqual([0, 1, 2, 3, 4]);
    expect(m0.curves.lossVal).toEqual([0.5, 0.5, 0.5, 0.25, 0.25]);
    expect(m1).toMatchObject({ status: 'training', step: 1, lossVal: 0.75, params: [] });
    expect(m1.curves.step).toEqual([0, 1]);
    expect(view).toMatchObject({ stepsPerSecond: 200, etaSeconds: 1, modelsDone: 0, version: 3 });
  });

  it('applies a batch in order as one change', () => {
    const batch = [
      ...startedBatch,
      event({ type: 'log', line: 'group g', model: null }),
      event({
        type: 'progress',
        models: [progress(1, 1, 0.75, points([0, 1], 0.75))],
        modelsDone: 0,
        stepsPerSecond: 10,
        etaSeconds: null,
      }),
      event({ type: 'log', line: 'iMod: 1  lossInit 0.9', model: 1 }),
    ];
    const { view } = follow(batch);
    expect(view!.version).toBe(1);
    expect(view!.log).toEqual(['minima-lab 1.0.0', 'group g', 'iMod: 1  lossInit 0.9']);
    expect(view!.models.map((m) => m.status)).toEqual(['waiting', 'training']);
  });

  it('shows a finished model’s result, and later progress does not change it', () => {
    const done = finishedModel(0, 0.004, 40);
    const late = event({
      type: 'progress',
      models: [progress(0, 41, 0.9, points([41], 0.9))],
      modelsDone: 1,
      stepsPerSecond: 100,
      etaSeconds: 2,
    });
    const { view } = follow(startedBatch, [event({ type: 'modelFinished', result: done })], [late]);
    const row = view!.models[0];
    expect(row).toMatchObject({ status: 'reached', outcome: 'reached', step: 40, lossVal: 0.004, lossFinal: 0.004, params: [0, 1.5] });
    expect(row.curves.step).toEqual([0, 1, 40]);
    expect(view!.modelsDone).toBe(1);
  });

  it('puts the models finished one by one into the result that `finished` sends without them, in id order', () => {
    const m0 = finishedModel(0, 0.004, 40);
    const m1 = finishedModel(1, 0.003, 30);
    const finished = windowEvent({ type: 'finished', result: runResultOf(info, [m0, m1], false) });
    expect('models' in (finished.type === 'finished' ? finished.result : {})).toBe(false);
    const state = follow(
      startedBatch,
      [event({ type: 'modelFinished', result: m1 })],
      [event({ type: 'modelFinished', result: m0 }), event(finished)],
    );
    expect(state.view!.result!.models).toEqual([m0, m1]);
    expect(state.view!.result!.stopped).toBe(false);
    expect(state.view!.modelsDone).toBe(2);
    expect(state.view!.live).toBe(true); // until its files are stored
  });

  it('shows what a queue run says while it waits until training goes on, and another run’s notice nowhere', () => {
    const notice = (text: string, runId = record.id): RunMessage => ({ kind: 'notice', runId, text });
    const lost = follow(startedBatch, [
      notice('lost Redis at redis://q:6379: waiting up to 300 s for it to come back'),
      notice('elsewhere', 'run-2'),
    ]);
    expect(lost.view!.notice).toBe('lost Redis at redis://q:6379: waiting up to 300 s for it to come back');
    const going = event({
      type: 'progress',
      models: [progress(0, 2, 0.5, points([0, 1, 2], 0.5))],
      modelsDone: 0,
      stepsPerSecond: 10,
      etaSeconds: 5,
    });
    expect(follow(startedBatch, [notice('no worker has taken a job in 30 s')], [going]).view!.notice).toBeNull();
    expect(
      follow(startedBatch, [notice('no worker has taken a job in 30 s')], [stored({ ...record, status: 'stopped' })]).view!.notice,
    ).toBeNull();
  });

  it('ends live once the run is stored, with its record', () => {
    const done = { ...record, status: 'finished' as const };
    const state = follow(startedBatch, [stored(done)]);
    expect(state.view).toMatchObject({ live: false, status: 'finished', record: done });
    expect(state).toMatchObject({ stored: true, ended: done });
  });

  it('tells of a failed run by its record’s error', () => {
    const failed = { ...record, status: 'failed' as const, error: 'out of memory' };
    expect(follow(startedBatch, [stored(failed)]).ended).toEqual(failed);
  });

  it('leaves the view alone for another run’s messages, but says another run was stored', () => {
    const before = follow(startedBatch);
    const other = { ...record, id: 'run-2', status: 'finished' as const };
    const after = applyMessages(before, [event({ type: 'log', line: 'elsewhere', model: null }, 'run-2'), stored(other)]);
    expect(after.view).toBe(before.view);
    expect(after).toMatchObject({ stored: true, ended: null });
  });

  it('does not change the state it was given', () => {
    const before = follow(startedBatch);
    const m0 = finishedModel(0, 0.004, 40);
    const after = applyMessages(before, [event({ type: 'modelFinished', result: m0 })]);
    expect(before.finishedModels).toEqual([]);
    expect(before.view!.models[0].status).toBe('waiting');
    expect(after.finishedModels).toEqual([m0]);
  });

  it('opens a stored run from its result, or with no models when it kept none', () => {
    const m0 = finishedModel(0, 0.004, 40);
    const m1 = finishedModel(1, 0.003, 30);
    const result = runResultOf(info, [m1, m0], true);
    const done = { ...record, status: 'stopped' as const };
    const view = storedView({ record: done, preset, result, log: 'minima-lab 1.0.0\n\ngroup g\n' });
    expect(view).toMatchObject({ live: false, status: 'stopped', modelsDone: 2, version: 1, log: ['minima-lab 1.0.0', 'group g'] });
    expect(view.models.map((m) => [m.id, m.step, m.lossVal, m.params])).toEqual([
      [0, 40, 0.004, [0, 1.5]],
      [1, 30, 0.003, [1, 1.5]],
    ]);
    const empty = storedView({ record: { ...record, status: 'failed', error: 'boom' }, preset, result: null, log: 'minima-lab 1.0.0\n' });
    expect(empty).toMatchObject({ result: null, models: [], modelsDone: 0, version: 1, log: ['minima-lab 1.0.0'], status: 'failed' });
  });
});
