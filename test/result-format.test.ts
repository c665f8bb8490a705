// The result format across its versions, on a result an earlier Minima Lab stored: a version-4 run
// stopped after its first model finished (test/fixtures/README.md, Results), whose interrupted model version 4
// classed by its last loss. It still opens as written, in a run folder too; version 5 classes such a
// model `stopped`, leaves it out of the rates and censors it at its last step.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../core/model/plateaus.ts';
import { RunResultSchema, runResultOf, type ModelResult } from '../core/results/events.ts';
import { keptInRecord } from '../core/results/records.ts';
import { RunStore } from '../electron/storage/runs.ts';
import { FIXTURES, readJson } from './helpers.ts';

const STORED = join(FIXTURES, 'results/stopped-run-version-4.json');
type Stored = { version: number; models: Record<string, unknown>[]; summary: { reach: object; escape: object; counts: object }[] };
const stored = () => readJson<Stored>(STORED);

/** A run folder as version 4 left it: its record (how many models it kept, nothing of what they reached), preset and result. */
function runFolderOfVersion4(): { store: RunStore; id: string; folder: string } {
  const dir = mkdtempSync(join(tmpdir(), 'minima-runs-'));
  const id = '2025-11-28T09-14-03-512Z-v4ab';
  const folder = join(dir, id);
  mkdirSync(folder);
  const record = {
    id,
    name: 'Stopped early',
    presetId: null,
    edited: false,
    startedAt: '2025-11-28T09:14:03.512Z',
    backend: 'fused',
    models: 4,
    modelsKept: 2,
    status: 'stopped',
    queue: null,
    error: null,
  };
  writeFileSync(join(folder, 'meta.json'), JSON.stringify(record));
  writeFileSync(join(folder, 'preset.json'), JSON.stringify(readJson<{ preset: unknown }>(STORED).preset));
  copyFileSync(STORED, join(folder, 'result.json'));
  return { store: new RunStore(dir), id, folder };
}

describe('a version-4 result of a stopped run', () => {
  it('opens as it was written: the interrupted model in the class of its last loss, counted in the rates as then', () => {
    const written = stored();
    expect(written.version).toBe(4);
    const result = RunResultSchema.parse(written);
    expect(result.stopped).toBe(true);
    expect(result.models.map((m) => [m.group, m.status, m.outcome, m.steps])).toEqual([
      ['wide', 'reached', 'reached', 9190],
      ['wide', 'stopped', 'escaped', 8191],
    ]);
    const [narrow, wide] = result.summary;
    // 2 of the 4 models trained: no narrow one had started
    expect([narrow.models, narrow.planned, wide.models, wide.planned]).toEqual([0, 2, 2, 2]);
    // the statistics version 4 wrote, derived again from its models
    expect(wide.counts).toEqual({ ...written.summary[1].counts, stopped: 0 });
    expect(wide.reach).toEqual(written.summary[1].reach);
    expect(wide.escape).toEqual(written.summary[1].escape);
    expect([wide.reach.k, wide.reach.n, wide.escape.k, wide.escape.n]).toEqual([1, 2, 2, 2]);
  });

  it('opens from a run folder version 4 left, listed without what its models reached', async () => {
    const { store, id } = runFolderOfVersion4();
    const [listed] = await store.list();
    expect(listed).toMatchObject({ id, status: 'stopped', models: 4, modelsKept: 2 });
    expect(listed.reached).toBeUndefined();
    expect(listed.lossFinalBest).toBeUndefined();
    const opened = await store.get(id);
    expect(opened.result?.models).toHaveLength(2);
    // what a record of today keeps of the same result
    expect(keptInRecord(opened.result!)).toEqual({ modelsKept: 2, reached: { k: 1, n: 2 }, lossFinalBest: 0.0049640891981414265 });
  });

  it('cannot hold the stopped outcome, which came with version 5: one line naming the model', async () => {
    const { store, id, folder } = runFolderOfVersion4();
    const edited = stored();
    edited.models[1] = { ...edited.models[1], outcome: 'stopped' };
    writeFileSync(join(folder, 'result.json'), JSON.stringify(edited));
    await expect(store.get(id)).rejects.toThrow(
      `run ${id}: result.json: models[1].outcome: the outcome "stopped" is in results from version 5 on, and this one says version 4`,
    );
    expect(RunResultSchema.safeParse({ ...edited, version: 5 }).success).toBe(true);
  });
});

describe('version 5: a model the user stopped', () => {
  const written = () => RunResultSchema.parse(stored());

  it('is classed stopped whatever its last loss, where a model that ran to the cap with that loss escaped', () => {
    const { plateaus } = written();
    expect(classify('stopped', 0.009132709560902065, plateaus)).toBe('stopped');
    expect(classify('capped', 0.009132709560902065, plateaus)).toBe('escaped');
  });

  it('is left out of the rates and censored at its last step in the steps to reach', () => {
    const before = written();
    const models: ModelResult[] = before.models.map((m) => ({ ...m, outcome: classify(m.status, m.lossFinal ?? NaN, before.plateaus) }));
    const after = runResultOf(before, models, true);
    expect(after.version).toBe(5);
    const wide = after.summary[1];
    expect(wide.counts).toEqual({ reached: 1, escaped: 0, line: 0, constant: 0, zero: 0, other: 0, diverged: 0, stopped: 1 });
    expect([wide.models, wide.planned]).toEqual([2, 2]);
    // 1 of the 1 model whose training ended by itself; the stopped one neither reached nor failed to
    expect([wide.reach.k, wide.reach.n, wide.escape.k, wide.escape.n]).toEqual([1, 1, 1, 1]);
    // censored at 8191, it leaves one model at risk at 9190, which reaches: the median is there
    expect(wide.stepsToReach.median).toBe(9190);
    expect(keptInRecord(after).reached).toEqual({ k: 1, n: 1 });
    // written and read again, it stays stopped
    const reread = RunResultSchema.parse(JSON.parse(JSON.stringify(after)));
    expect(reread.models[1].outcome).toBe('stopped');
  });
});
