// The handler table as an attacker and a careless user would use it: ids that try to leave the data
// folder, inputs too big or too deep, mutations racing each other, runs that fail, and what a crash
// leaves behind. Each answer is one clear error or a result whose effect is on disk; nothing is lost,
// nothing outside the data folder is read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PresetEntry, RunRecord, StoredRun } from '../core/ipc/contract.ts';
import { cell } from '../electron/exports/csv.ts';
import { createHandlers } from '../electron/ipc/handlers.ts';
import { slug, writeAtomic, writeJsonStreamed } from '../electron/storage/files.ts';
import { RecordingClipboard, ScriptedDialogs, SentMessages } from './fakes.ts';
import { PRESETS, readJson } from './helpers.ts';

const seed = () => readJson<Record<string, any>>(join(PRESETS, 'seed-narrow-vs-wide.json'));

function setup(dataDir = mkdtempSync(join(tmpdir(), 'minima-hostile-')), workerUrl?: URL) {
  const messages = new SentMessages();
  const dialogs = new ScriptedDialogs();
  const table = createHandlers({
    dataDir,
    builtInPresets: PRESETS,
    dialogs,
    clipboard: new RecordingClipboard(),
    send: messages.send,
    workerUrl,
  });
  const call = async <T>(method: string, arg?: unknown): Promise<T> => {
    const reply = await table.dispatch(method, arg);
    if (!reply.ok) throw new Error(reply.error);
    return reply.value as T;
  };
  return { dataDir, dialogs, messages, table, call };
}

/** Every file below `dir`. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('hostile input to the handler table', () => {
  it('never lets a run id or a preset id reach outside its folder', async () => {
    const { dataDir, table } = setup();
    // a folder beside the runs that looks like a run: it must stay unreachable
    const outside = join(dataDir, 'elsewhere');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'meta.json'), '{}');
    for (const id of ['../elsewhere', '../../etc', '..', '.', '/etc/passwd', 'a/b', 'a\\b', 'x y', '', 'C:\\x', '%2e%2e']) {
      for (const method of ['getRun', 'exportLog', 'exportAllCharts', 'deleteRun']) {
        const reply = await table.dispatch(method, { id });
        expect(reply, `${method} ${JSON.stringify(id)}`).toEqual({ ok: false, error: expect.stringMatching(/^\w+: id: /) });
      }
      expect(await table.dispatch('exportData', { id, format: 'csv' })).toMatchObject({ ok: false });
      expect(await table.dispatch('saveAnimation', { id, format: 'gif', bytes: new TextEncoder().encode('GIF89a') })).toEqual({
        ok: false,
        error: expect.stringMatching(/^saveAnimation: id: /),
      });
      expect(await table.dispatch('stopRun', { runId: id })).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^stopRun: runId: /),
      });
    }
    for (const id of ['user:../../x', 'user:a/b', 'user:a\\b', 'system:x', 'user:', '../x']) {
      for (const method of ['renamePreset', 'duplicatePreset', 'deletePreset']) {
        expect(await table.dispatch(method, { id, name: 'x' }), `${method} ${id}`).toMatchObject({ ok: false });
      }
      expect(await table.dispatch('savePreset', { preset: seed(), id })).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^savePreset: id: /),
      });
    }
    expect(readFileSync(join(outside, 'meta.json'), 'utf8')).toBe('{}');
  });

  it('bounds what a preset may ask for by what one machine can run, saying the limit', async () => {
    const { call, table, dataDir } = setup();
    const wide = (edit: (p: Record<string, any>) => void) => {
      const p = seed();
      edit(p);
      return table.dispatch('savePreset', { preset: p });
    };
    expect(await wide((p) => (p.groups[0].data.batchSize = 2 ** 31))).toEqual({
      ok: false,
      error: 'preset: groups[0].data.batchSize: must be at most 1000000',
    });
    expect(await wide((p) => (p.validation.points = 10_000_000))).toEqual({
      ok: false,
      error: 'preset: validation.points: must be at most 1000000',
    });
    expect(await wide((p) => (p.groups[1].hidden = [4096, 4096]))).toEqual({
      ok: false,
      error: 'preset: groups[1].hidden: the network has too many parameters: at most 1,000,000 a model',
    });
    expect(await wide((p) => (p.groups[0].hidden = [8, 8, 8, 8, 8, 8, 8, 8, 8]))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/hidden: has at most 8 items/),
    });
    expect(await wide((p) => (p.groups = Array.from({ length: 1001 }, (_, k) => ({ ...p.groups[0], name: `g${k}` }))))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/groups: has at most 1000 items/),
    });
    expect(await wide((p) => (p.target = { kind: 'step', high: 1e200 }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/target\.high: must be at most 1000000/),
    });
    // a run too big for this machine is refused before anything is written
    const huge = {
      ...seed(),
      groups: Array.from({ length: 10 }, (_, k) => ({ ...seed().groups[1], name: `w${k}`, models: 10_000, hidden: [4096] })),
    };
    const refused = await table.dispatch('startRun', { preset: huge, backend: 'auto', workers: 2 });
    expect(refused).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^this run's results would need about [\d.]+ GB of memory in one process, more than the [\d.]+ GB/),
    });
    expect(readdirSync(dataDir)).not.toContain('runs');
    expect(await table.dispatch('startRun', { preset: seed(), backend: 'auto', workers: 1000 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/workers/),
    });
    const chart = { id: 'some-run', kind: 'loss', format: 'png', theme: 'light', legend: true, to: 'file' };
    expect(await table.dispatch('exportChart', { ...chart, width: 8192, height: 8192, pixelRatio: 2 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^exportChart: width: at most 33,177,600 pixels/),
    });
    await call('listPresets'); // still answering
  });

  it('answers deep, huge and strange values with one short error', async () => {
    const { table } = setup();
    let deep: unknown = 'x';
    for (let k = 0; k < 100_000; k++) deep = [deep];
    const answers = [
      await table.dispatch('savePreset', { preset: { ...seed(), description: deep } }),
      await table.dispatch('savePreset', { preset: { ...seed(), name: 'n'.repeat(10_000_000) } }),
      await table.dispatch('savePreset', { preset: { ...seed(), seed: 10n } }),
      await table.dispatch('savePreset', { preset: { ...seed(), format: { toString: () => 'x' } } }),
      await table.dispatch('savePreset', { preset: deep }),
      await table.dispatch('renamePreset', { id: 'user:x', name: 'n'.repeat(10_000) }),
    ];
    for (const reply of answers) {
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.error.length).toBeLessThan(300);
        expect(reply.error).not.toMatch(/\n/);
      }
    }
    expect(answers[2]).toEqual({ ok: false, error: 'preset: seed: must be a number (not a bigint)' });
  });

  it('loses no save when saves race: 50 of one name give 50 presets, 20 duplicates at once give 20', async () => {
    const { call, dataDir } = setup();
    const saves = await Promise.all(
      Array.from({ length: 50 }, () => call<PresetEntry>('savePreset', { preset: { ...seed(), name: 'Same' } })),
    );
    expect(new Set(saves.map((s) => s.id)).size).toBe(50);
    expect(readdirSync(join(dataDir, 'presets')).filter((f) => f.endsWith('.json'))).toHaveLength(50);
    const copies = await Promise.all(Array.from({ length: 20 }, () => call<PresetEntry>('duplicatePreset', { id: 'user:same' })));
    expect(new Set(copies.map((s) => s.id)).size).toBe(20);
    expect(readdirSync(join(dataDir, 'presets')).filter((f) => f.endsWith('.json'))).toHaveLength(70);
    expect(readdirSync(join(dataDir, 'presets')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('orders a rename or a delete racing a save-over: whatever answered ok is on disk, the rest answered an error', async () => {
    const { table, dataDir } = setup();
    const dir = join(dataDir, 'presets');
    await table.dispatch('savePreset', { preset: { ...seed(), name: 'Racer' } });
    const [renamed, saved] = await Promise.all([
      table.dispatch('renamePreset', { id: 'user:racer', name: 'Renamed' }),
      table.dispatch('savePreset', { preset: { ...seed(), name: 'Racer', seed: 7 }, id: 'user:racer' }),
    ]);
    expect(renamed.ok).toBe(true);
    expect(saved).toEqual({ ok: false, error: 'there is no preset user:racer (it was deleted or renamed)' });
    expect(readdirSync(dir).sort()).toEqual(['renamed.json']);
    const [deleted, savedOver] = await Promise.all([
      table.dispatch('deletePreset', { id: 'user:renamed' }),
      table.dispatch('savePreset', { preset: { ...seed(), name: 'Renamed', seed: 9 }, id: 'user:renamed' }),
    ]);
    expect(deleted.ok).toBe(true);
    expect(savedOver).toMatchObject({ ok: false });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes the preset it validated (defaults filled in), and sees a file changed on disk', async () => {
    const { call, dataDir } = setup();
    const { groups, ...rest } = seed();
    const bare = { ...rest, groups: groups.map(({ init: _, ...g }: Record<string, unknown>) => g) };
    const saved = await call<PresetEntry>('savePreset', { preset: { ...bare, name: 'Bare' } });
    const file = join(dataDir, 'presets/bare.json');
    expect(readJson<{ groups: { init: string }[] }>(file).groups[0].init).toBe('torch-default');
    writeFileSync(file, JSON.stringify({ ...seed(), name: 'Edited outside', seed: 31 }));
    const listed = (await call<PresetEntry[]>('listPresets')).find((p) => p.id === saved.id);
    expect(listed?.preset?.seed).toBe(31);
  });

  it('lists a run whose meta.json is malformed with its error', async () => {
    const { call, dataDir } = setup();
    const bad = ['null', '{}', '[]', '"x"', '{"startedAt": 5}', '{ not json'];
    bad.forEach((text, k) => {
      mkdirSync(join(dataDir, `runs/bad-${k}`), { recursive: true });
      writeFileSync(join(dataDir, `runs/bad-${k}/meta.json`), text);
    });
    const runs = await call<RunRecord[]>('listRuns');
    expect(runs).toHaveLength(bad.length);
    for (const r of runs) expect(r).toMatchObject({ status: 'failed', error: expect.stringMatching(/^meta\.json: /) });
    await call('deleteRun', { id: 'bad-0' });
    expect(await call<RunRecord[]>('listRuns')).toHaveLength(bad.length - 1);
  });

  it('marks a failing run failed, with a plain error (no stack, no folders), and lets it be deleted', async () => {
    const { call, messages } = setup(undefined, new URL('./fixtures/failing-worker.mjs', import.meta.url));
    const record = await call<RunRecord>('startRun', { preset: { ...seed(), rng: 'per-model' }, backend: 'fused', workers: 1 });
    const stored = await messages.stored(record.id);
    expect(stored.status).toBe('failed');
    expect(stored.error).toMatch(/^training worker failed: /);
    expect(stored.error).not.toMatch(/\/|\\|\n| at /);
    await call('deleteRun', { id: record.id });
    expect(await call<RunRecord[]>('listRuns')).toEqual([]);
  });

  it('marks runs a dead process left "running" as interrupted, keeps their finished models, and removes half-written files', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'minima-crashed-'));
    // a run as a killed app leaves it: running, by a process that is gone, two models finished, one cut off
    const first = setup(dataDir);
    const record = await first.call<RunRecord>('startRun', {
      preset: { ...seed(), rng: 'per-model', stop: { maxSteps: 300, lossLimit: 0.005 } },
      backend: 'fused',
      workers: 2,
    });
    await first.messages.stored(record.id);
    const folder = join(dataDir, 'runs', record.id);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(
      join(folder, 'meta.json'),
      JSON.stringify({ ...readJson<object>(join(folder, 'meta.json')), status: 'running', pid: dead }),
    );
    const lines = readFileSync(join(folder, 'models.jsonl'), 'utf8').split('\n');
    writeFileSync(join(folder, 'models.jsonl'), `${lines[0]}\n${lines[1]}\n${lines[2].slice(0, 40)}`);
    writeFileSync(join(folder, 'result.json'), '{'); // the end never came
    writeFileSync(join(folder, 'meta.json.abc123.tmp'), '{"half');
    writeFileSync(join(dataDir, 'presets.json.x.tmp'), '');
    mkdirSync(join(dataDir, 'presets'), { recursive: true });
    writeFileSync(join(dataDir, 'presets/mine.json.0f0f.tmp'), '{');
    const after = setup(dataDir);
    const [run] = await after.call<RunRecord[]>('listRuns');
    expect(run).toMatchObject({
      id: record.id,
      status: 'interrupted',
      models: 20,
      modelsKept: 2, // its finished models, not the 20 of the first ending the test rewound
      reached: { k: expect.any(Number), n: 2 }, // likewise
      error: expect.stringMatching(/the 2 models that finished are kept/),
    });
    const opened = await after.call<StoredRun>('getRun', { id: record.id });
    expect(opened.result?.models.map((m) => m.id)).toHaveLength(2);
    expect(opened.result?.stopped).toBe(true);
    expect(opened.log).toContain('lossInit');
    expect(filesBelow(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await after.call('deleteRun', { id: record.id });
  }, 60_000);
});

describe('file names and cells from user text', () => {
  it('makes names that are files on every system', () => {
    expect(slug('Seed: narrow vs wide')).toBe('seed-narrow-vs-wide');
    expect(slug('CON')).toBe('con-preset');
    expect(slug('ＣＯＮ')).toBe('con-preset'); // full-width letters fold to ASCII first
    expect(slug('lpt1', 'run')).toBe('lpt1-run');
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('★')).toBe('preset');
  });

  it('keeps spreadsheet formulas out of CSV cells', () => {
    expect(['=HYPERLINK("x")', '+1', '-1+2', '@SUM(A1)', 'plain', 'a,b'].map(cell)).toEqual([
      `"'=HYPERLINK(""x"")"`,
      "'+1",
      "'-1+2",
      "'@SUM(A1)",
      'plain',
      '"a,b"',
    ]);
    expect(cell(-0.5)).toBe('-0.5'); // numbers are numbers
  });
});

describe('writing a file whole or not at all', () => {
  it('leaves the target as it was and no temporary beside it when the write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-atomic-'));
    mkdirSync(join(dir, 'taken')); // a folder where the file would go: the rename fails
    await expect(writeAtomic(join(dir, 'taken'), 'text')).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(writeJsonStreamed(join(dir, 'taken'), { models: [1, 2] }, 'models')).rejects.toMatchObject({ code: 'EISDIR' });
    expect(readdirSync(dir)).toEqual(['taken']);
    await writeJsonStreamed(join(dir, 'whole.json'), { format: 'x', models: [1, 2] }, 'models');
    expect(readJson(join(dir, 'whole.json'))).toEqual({ format: 'x', models: [1, 2] });
  });
});

describe('kill -9', () => {
  it('leaves no run "running" and no half-written file after a restart, and loses nothing saved', async () => {
    const { spawn } = await import('node:child_process');
    const dataDir = mkdtempSync(join(tmpdir(), 'minima-kill-'));
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/crash-child.ts', import.meta.url).pathname, dataDir]);
    let out = '';
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('training') && out.includes('saving')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before it was killed`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    const { call } = setup(dataDir);
    const runs = await call<RunRecord[]>('listRuns');
    expect(
      runs.map((r) => [r.status, r.error]),
      JSON.stringify(runs),
    ).toEqual([['interrupted', expect.stringMatching(/^Minima Lab stopped while/)]]);
    expect(filesBelow(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const presets = (await call<PresetEntry[]>('listPresets')).filter((p) => !p.builtIn);
    expect(presets.length).toBeGreaterThan(0);
    for (const p of presets) expect(p.error, p.file).toBeNull(); // every file whole: written atomically
    const opened = await call<StoredRun>('getRun', { id: runs[0].id });
    expect(opened.log.split('\n')[0]).toMatch(/^Minima Lab /);
    // it opens with every model whose result was written whole before the kill
    const whole = (line: string) => {
      try {
        return JSON.parse(line) !== null;
      } catch {
        return false; // cut off by the kill
      }
    };
    const kept = readFileSync(join(dataDir, 'runs', runs[0].id, 'models.jsonl'), 'utf8')
      .split('\n')
      .filter(whole);
    expect(opened.result?.models).toHaveLength(kept.length);
    expect(opened.result?.stopped).toBe(true);
    await call('deleteRun', { id: runs[0].id });
  }, 120_000);
});
