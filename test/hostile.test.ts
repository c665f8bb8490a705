// The handler table as an attacker and a careless user would use it: ids that try to leave the data
// folder, inputs too big or too deep, mutations racing each other, runs that fail, and what a crash
// leaves behind. Each answer is one clear error or a result whose effect is on disk; nothing is lost,
// nothing outside the data folder is read.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PresetEntry, RunRecord, StoredRun } from '../core/ipc/contract.ts';
import { cell } from '../electron/exports/csv.ts';
import { createHandlers } from '../electron/ipc/handlers.ts';
import { slug, writeAtomic, writeJsonStreamed } from '../electron/storage/files.ts';
import { RecordingClipboard, ScriptedDialogs, SentMessages } from './fakes.ts';
import { PRESETS, readJson } from './helpers.ts';
import { lab } from './lab.ts';

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
      await table.dispatch('savePreset', {
        preset: { ...seed(), ...Object.fromEntries(Array.from({ length: 100_000 }, (_, k) => [`f${k}`, k])) },
      }),
      await table.dispatch('savePreset', { preset: seed(), id: 'user:x\u001b[2J\u0007' }),
    ];
    for (const reply of answers) {
      expect(reply.ok).toBe(false);
      if (!reply.ok) {
        expect(reply.error.length).toBeLessThan(300);
        expect(reply.error).not.toMatch(/\p{Cc}/u); // no line break, no ESC for the window's log or a terminal
      }
    }
    expect(answers[6]).toEqual({ ok: false, error: 'preset: unknown fields "f0", "f1", "f2" and 99,997 more' });
    expect(answers[7]).toEqual({ ok: false, error: 'there is no preset user:x\\u001b[2J\\u0007 (it was deleted or renamed)' });
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

/** A small finished run of the seed's two groups (models, modelsB), per-model streams, 50 steps. */
async function finishedRun({ call, messages }: ReturnType<typeof setup>): Promise<RunRecord> {
  const preset = { ...seed(), rng: 'per-model', stop: { maxSteps: 50, lossLimit: 0.005 } };
  const record = await call<RunRecord>('startRun', { preset, backend: 'fused', workers: 1 });
  return messages.stored(record.id);
}

describe('names a terminal and a spreadsheet can trust', () => {
  it("refuses control characters in a new preset's or run's names; one saved before opens, and its exports show them escaped", async () => {
    const app = setup();
    const { call, table, dataDir, dialogs } = app;
    const red = (p: Record<string, any>) => ({ ...p, groups: [p.groups[0], { ...p.groups[1], name: 'modelsB\u001b[31m' }] });
    const refused = 'groups[1].name: "modelsB\\u001b[31m" holds a control character: names reach terminals, logs and spreadsheets';
    expect(await table.dispatch('savePreset', { preset: red(seed()) })).toEqual({ ok: false, error: `preset: ${refused}` });
    expect(await table.dispatch('startRun', { preset: red(seed()), backend: 'fused', workers: 1 })).toEqual({
      ok: false,
      error: `preset: ${refused}`,
    });
    // a preset saved before the rule opens as it is; a copy of it is a new preset, refused
    mkdirSync(join(dataDir, 'presets'), { recursive: true });
    writeFileSync(join(dataDir, 'presets/old.json'), JSON.stringify(red(seed())));
    const old = (await call<PresetEntry[]>('listPresets')).find((p) => p.id === 'user:old');
    expect(old).toMatchObject({ error: null, preset: { groups: [{ name: 'models' }, { name: 'modelsB\u001b[31m' }] } });
    expect(await table.dispatch('duplicatePreset', { id: 'user:old' })).toEqual({ ok: false, error: `old.json: ${refused}` });
    // a run's new name
    const record = await finishedRun(app);
    expect(await table.dispatch('updateRun', { id: record.id, name: 'Mine\u0007' })).toEqual({
      ok: false,
      error: 'updateRun: name: "Mine\\u0007" holds a control character: names reach terminals, logs and spreadsheets',
    });
    // a run from before the rule: its group named with ESC (and a C1 CSI) in its stored result
    const resultFile = join(dataDir, 'runs', record.id, 'result.json');
    writeFileSync(resultFile, readFileSync(resultFile, 'utf8').replaceAll('"modelsB"', '"modelsB\\u001b[31m\\u009b2J"'));
    const exported: Record<string, string> = {};
    for (const format of ['csv', 'table']) {
      dialogs.nextSave = join(dataDir, `export.${format}.csv`);
      await call('exportData', { id: record.id, format });
      exported[format] = readFileSync(dialogs.nextSave, 'utf8');
    }
    for (const text of Object.values(exported)) {
      expect(text.replaceAll('\n', '')).not.toMatch(/\p{Cc}/u); // line breaks only
      expect(text).toContain('modelsB\\u001b[31m\\u009b2J');
    }
  }, 60_000);

  it('never shows the content of a file that a link planted in a run folder points at', async () => {
    const app = setup();
    const record = await finishedRun(app);
    const folder = join(app.dataDir, 'runs', record.id);
    const secret = join(mkdtempSync(join(tmpdir(), 'minima-secret-')), 'passwd');
    writeFileSync(secret, 'root:x:0:0:root:/root:/bin/bash\n');
    rmSync(join(folder, 'result.json'));
    symlinkSync(secret, join(folder, 'result.json'));
    const link = 'it is a link, which Minima Lab does not follow in a folder it wrote itself';
    expect(await app.table.dispatch('getRun', { id: record.id })).toEqual({
      ok: false,
      error: `run ${record.id}: result.json: cannot read the file: ${link}`,
    });
    const charted = await lab(['chart', folder, '--chart', 'loss', '--out', join(folder, 'loss.png')]);
    expect(charted.stderr).toBe(`lab: ${join(folder, 'result.json')}: cannot read the file: ${link}\n`);
    // a file named on the command line is read where it points, but its bytes are never quoted
    const named = await lab(['chart', join(folder, 'result.json'), '--chart', 'loss', '--out', join(folder, 'loss.png')]);
    expect(named.stderr).toBe(`lab: ${join(folder, 'result.json')}: not valid JSON: an unexpected character at line 1, column 1\n`);
    // the log too: a planted run.out shows nothing of what it points at
    rmSync(join(folder, 'result.json'));
    rmSync(join(folder, 'run.out'));
    symlinkSync(secret, join(folder, 'run.out'));
    const opened = await app.call<StoredRun>('getRun', { id: record.id });
    expect(opened.log).toBe('');
  }, 60_000);
});

describe('file names and cells from user text', () => {
  it('makes names that are files on every system, letters folded to ASCII', () => {
    expect(slug('Seed: narrow vs wide')).toBe('seed-narrow-vs-wide');
    expect(slug('CON')).toBe('con-preset');
    expect(slug('ＣＯＮ')).toBe('con-preset'); // full-width letters fold to ASCII first
    expect(slug('lpt1', 'run')).toBe('lpt1-run');
    expect(slug('../../etc/passwd')).toBe('etc-passwd');
    expect(slug('★')).toBe('preset');
    const names = ['Résumé', 'Ørsted', 'Æsir', 'Straße', 'Łódź', 'naïve café', 'Þór', 'œuvre', 'İstanbul', 'Москва', 'Ｆｕｌｌ ｗｉｄｔｈ'];
    expect(names.map((n) => slug(n))).toEqual([
      'resume',
      'orsted',
      'aesir',
      'strasse',
      'lodz',
      'naive-cafe',
      'thor',
      'oeuvre',
      'istanbul',
      'moskva',
      'full-width',
    ]);
  });

  it('keeps spreadsheet formulas out of CSV cells, look-alikes of their first character too, and control characters', () => {
    expect(['=HYPERLINK("x")', '+1', '-1+2', '@SUM(A1)', 'plain', 'a,b'].map(cell)).toEqual([
      `"'=HYPERLINK(""x"")"`,
      "'+1",
      "'-1+2",
      "'@SUM(A1)",
      'plain',
      '"a,b"',
    ]);
    expect(cell(-0.5)).toBe('-0.5'); // numbers are numbers
    // full-width and small forms, and a character that NFKC makes two equals signs
    expect(['＝1+1', '﹦1+1', '＋1', '－1', '﹣1', '＠SUM(A1)', '⩵1'].map(cell)).toEqual([
      "'＝1+1",
      "'﹦1+1",
      "'＋1",
      "'－1",
      "'﹣1",
      "'＠SUM(A1)",
      "'⩵1",
    ]);
    expect(['a\u001b[31mb', '\tx', 'two\nlines'].map(cell)).toEqual(['a\\u001b[31mb', "'\\u0009x", 'two\\u000alines']);
  });
});

describe('"Export all"', () => {
  it('writes only inside the folder chosen: a link planted there is replaced, or refused, never followed', async () => {
    const app = setup();
    const record = await finishedRun(app);
    const chosen = mkdtempSync(join(tmpdir(), 'minima-chosen-'));
    const outside = mkdtempSync(join(tmpdir(), 'minima-outside-'));
    app.dialogs.nextFolder = chosen;
    const folder = await app.call<string>('exportAllCharts', { id: record.id });
    const files = readdirSync(folder).sort();
    expect(files).toContain('curves.csv');
    // the run's folder itself a link to another folder: refused, nothing written there
    rmSync(folder, { recursive: true });
    symlinkSync(outside, folder);
    expect(await app.table.dispatch('exportAllCharts', { id: record.id })).toEqual({
      ok: false,
      error: `${folder} is a link, not a folder: nothing was written`,
    });
    expect(readdirSync(outside)).toEqual([]);
    // each file in the folder a link to a file outside: each replaced by the file, the file outside as it was
    rmSync(folder);
    mkdirSync(folder);
    for (const name of files) {
      writeFileSync(join(outside, name), 'kept');
      symlinkSync(join(outside, name), join(folder, name));
    }
    await app.call('exportAllCharts', { id: record.id });
    expect(readdirSync(folder).sort()).toEqual(files);
    for (const name of files) {
      expect(lstatSync(join(folder, name)).isFile(), name).toBe(true);
      expect(readFileSync(join(outside, name), 'utf8'), name).toBe('kept');
    }
  }, 120_000);
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

  it('removes the temporary of a writer killed mid-write at the next write of that file, and leaves a live writer’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-killed-writer-'));
    const file = join(dir, 'result.json');
    const writer = async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/stalled-writer.ts', import.meta.url).pathname, file]);
      child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('writing') && resolve());
        child.on('exit', (code) => reject(new Error(`the writer exited (${code}) before it stalled`)));
      });
      return child;
    };
    const live = await writer(); // first: a writer removes the temporaries of dead writers before it starts
    const killed = await writer();
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.on('close', resolve));
    try {
      const temporaries = () => readdirSync(dir).filter((name) => name.endsWith('.tmp'));
      expect(temporaries()).toHaveLength(2);
      await writeAtomic(file, 'whole\n');
      expect(readFileSync(file, 'utf8')).toBe('whole\n');
      expect(temporaries()).toHaveLength(1); // the live writer's
      expect(existsSync(join(dir, temporaries()[0]))).toBe(true);
    } finally {
      live.kill('SIGKILL');
    }
  }, 60_000);
});

describe('a run whose process id the system gave to another process', () => {
  it('is interrupted, though a process by that id runs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'minima-reused-'));
    const record = await finishedRun(setup(dataDir));
    const meta = join(dataDir, 'runs', record.id, 'meta.json');
    // another live process, given the run's process id as the system could have
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      writeFileSync(meta, JSON.stringify({ ...readJson<object>(meta), status: 'running', pid: other.pid }));
      const [run] = await setup(dataDir).call<RunRecord[]>('listRuns');
      expect(run).toMatchObject({ id: record.id, status: 'interrupted' });
    } finally {
      other.kill();
    }
  }, 60_000);
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
