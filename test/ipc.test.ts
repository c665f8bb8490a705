// The IPC handler table, called directly as the main process calls it: real files in a temporary
// data directory, real training worker threads.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { GifWriter, paletteOf } from '../core/charts/gif.ts';
import { METHODS } from '../core/ipc/api.ts';
import { ARGS, type PresetEntry, type RunRecord, type RunSnapshots, type StoredRun } from '../core/ipc/contract.ts';
import { parsePreset } from '../core/preset/parse.ts';
import { handlerTable as setup } from './fakes.ts';
import { npyNumbers, PACKAGE_VERSION, PRESETS, readJson, ROOT } from './helpers.ts';
import type { Landscape } from '../core/results/landscape.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { DirectKernel } from '../electron/engine/kernels/direct.ts';

const seed = () => readJson<Record<string, unknown>>(join(PRESETS, 'seed-narrow-vs-wide.json'));

describe('IPC handlers', () => {
  it('has one argument schema per bridged method', () => {
    expect(Object.keys(ARGS).sort()).toEqual([...METHODS].sort());
  });

  it('validates every argument and answers one clear error, never a crash', async () => {
    const { table } = setup();
    expect(await table.dispatch('startRun', { preset: {}, backend: 'warp', workers: 1 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^startRun: backend: /),
    });
    expect(await table.dispatch('renamePreset', { id: 'user:x' })).toEqual({
      ok: false,
      error: expect.stringMatching(/^renamePreset: name: /),
    });
    expect(await table.dispatch('deleteRun', { id: 'x', extra: 1 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^deleteRun: argument: .*extra/),
    });
    expect(await table.dispatch('openDevTools', undefined)).toEqual({ ok: false, error: 'unknown method openDevTools' });
    expect(await table.dispatch('savePreset', { preset: { ...seed(), seed: -1 } })).toEqual({
      ok: false,
      error: 'preset: seed: must be at least 0',
    });
    expect(await table.dispatch('deletePreset', { id: 'builtin:seed-narrow-sgd' })).toEqual({
      ok: false,
      error: expect.stringMatching(/built in and cannot be deleted/),
    });
  });

  it("limits an export's pixels as lab chart does: a PNG at its density, an SVG at its size", () => {
    const chart = { id: 'run-1', kind: 'loss', width: 3840, height: 2160, pixelRatio: 3, theme: 'light', legend: true, to: 'file' };
    expect(ARGS.exportChart.safeParse({ ...chart, format: 'svg' }).success).toBe(true);
    const png = ARGS.exportChart.safeParse({ ...chart, format: 'png' });
    expect(png.error?.issues.map((i) => i.message)).toEqual(['at most 33,177,600 pixels (3840 × 2160 at 2×): a smaller size or density']);
  });

  it('keeps the user library: save, save over, rename, duplicate, delete — atomically', async () => {
    const { dataDir, call } = setup();
    const saved = await call<PresetEntry>('savePreset', { preset: { ...seed(), name: 'Mine' } });
    expect(saved).toMatchObject({ id: 'user:mine', builtIn: false, title: 'Mine', error: null });
    const again = await call<PresetEntry>('savePreset', { preset: { ...seed(), name: 'Mine' } });
    expect(again.id).toBe('user:mine-2'); // a new save never replaces another file
    await call('savePreset', { preset: { ...seed(), name: 'Mine', seed: 7 }, id: 'user:mine' });
    expect(readJson<{ seed: number }>(join(dataDir, 'presets/mine.json')).seed).toBe(7);
    const renamed = await call<PresetEntry>('renamePreset', { id: 'user:mine', name: 'Seed seven' });
    expect(renamed.id).toBe('user:seed-seven');
    const copy = await call<PresetEntry>('duplicatePreset', { id: 'user:seed-seven' });
    expect(copy.title).toBe('Seed seven (copy)');
    await call('deletePreset', { id: 'user:mine-2' });
    const list = await call<PresetEntry[]>('listPresets');
    expect(
      list
        .filter((p) => !p.builtIn)
        .map((p) => p.id)
        .sort(),
    ).toEqual(['user:seed-seven', 'user:seed-seven-copy']);
    expect(list.filter((p) => p.builtIn)).toHaveLength(6);
    expect(readdirSync(join(dataDir, 'presets')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('lists a corrupt or foreign preset file with its error and never overwrites it', async () => {
    const { dataDir, call, table } = setup();
    mkdirSync(join(dataDir, 'presets'), { recursive: true });
    writeFileSync(join(dataDir, 'presets/broken.json'), '{ "format": "minima-lab-preset", ');
    writeFileSync(join(dataDir, 'presets/other.json'), '{ "hello": "world" }');
    const list = await call<PresetEntry[]>('listPresets');
    expect(list.find((p) => p.id === 'user:broken')).toMatchObject({ preset: null, error: expect.stringMatching(/^not valid JSON/) });
    expect(list.find((p) => p.id === 'user:other')).toMatchObject({
      preset: null,
      error: expect.stringMatching(/format: expected "minima-lab-preset"/),
    });
    const reply = await table.dispatch('savePreset', { preset: seed(), id: 'user:other' });
    expect(reply).toEqual({ ok: false, error: expect.stringMatching(/other\.json is not a valid preset/) });
    expect(readFileSync(join(dataDir, 'presets/other.json'), 'utf8')).toBe('{ "hello": "world" }');
  });

  it('imports and exports presets through the dialogs', async () => {
    const { dataDir, dialogs, call, table } = setup();
    dialogs.nextOpen = join(PRESETS, 'question-linspace-batch.json');
    expect(await call<PresetEntry>('importPreset')).toMatchObject({ id: 'user:question-the-grid-as-the-only-batch-adam' });
    dialogs.nextOpen = null;
    expect(await call('importPreset')).toBeNull();
    const bad = join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...seed(), groups: [] }));
    dialogs.nextOpen = bad;
    expect(await table.dispatch('importPreset', undefined)).toEqual({
      ok: false,
      error: `${bad}: groups: needs at least 1 item`,
    });
    dialogs.nextSave = join(dataDir, 'out.json');
    expect(await call('exportPreset', { preset: seed(), suggestedName: 'seed.json' })).toBe(dialogs.nextSave);
    expect(readJson<{ name: string }>(dialogs.nextSave).name).toBe(seed().name);
  });

  it('copies or saves a preset as its PyTorch script, the one lab export torch writes; refuses one PyTorch cannot train as the lab does', async () => {
    const { dataDir, dialogs, clipboard, call, table } = setup();
    const script = readFileSync(join(ROOT, 'docs/seed-run/seed-narrow-vs-wide.py'), 'utf8');
    expect(await call('exportTorchScript', { preset: seed(), to: 'clipboard' })).toBe('clipboard');
    expect(clipboard.text).toBe(script);
    dialogs.nextSave = join(dataDir, 'seed.py');
    expect(await call('exportTorchScript', { preset: seed(), to: 'file' })).toBe(dialogs.nextSave);
    expect(readFileSync(dialogs.nextSave, 'utf8')).toBe(script);
    dialogs.nextSave = null;
    expect(await call('exportTorchScript', { preset: seed(), to: 'file' })).toBeNull();
    const tiny = { ...seed(), stop: { maxSteps: 10, lossLimit: 1e-40 } };
    expect(await table.dispatch('exportTorchScript', { preset: tiny, to: 'clipboard' })).toEqual({
      ok: false,
      error:
        'stop.lossLimit: 1e-40 is too small for float32 (its normal numbers start at 1.2e-38), in which PyTorch holds it: rounded there, it trains another network than the lab, which holds it in float64',
    });
  });

  it('runs a preset in worker threads, relays its events (a finished run without its models again), stores log and result, and keeps history', async () => {
    const { table, dataDir, dialogs, messages, call, stored } = setup();
    const preset = { ...seed(), rng: 'per-model', stop: { maxSteps: 150001, lossLimit: 0.005 } };
    const record = await call<RunRecord>('startRun', { preset, backend: 'auto', workers: 2 });
    expect(record.status).toBe('running');
    const done = await stored(record.id);
    expect(done.status).toBe('finished');
    const events = messages.events(record.id);
    expect(events[0].type).toBe('started');
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'modelFinished')).toHaveLength(20);
    const finished = events[events.length - 1];
    expect(finished.type).toBe('finished');
    // the models came one by one: the window is not sent them again, only the run's summary
    expect(finished.type === 'finished' && 'models' in finished.result).toBe(false);
    expect(finished.type === 'finished' && finished.result.summary.map((s) => s.models)).toEqual([10, 10]);
    const run = await call<StoredRun>('getRun', { id: record.id });
    expect(run.result?.models).toHaveLength(20);
    // each model's snapshots beside the result (NumPy's .npz): its parameters and their steps
    const npz = unzipSync(readFileSync(join(dataDir, 'runs', record.id, 'snapshots.npz')));
    expect(Object.keys(npz).sort()).toEqual(
      run.result!.models.flatMap((m) => [`${m.group}#${m.index}.npy`, `${m.group}#${m.index}.steps.npy`]).sort(),
    );
    // no model event carried them to the window
    expect(events.some((e) => e.type === 'modelFinished' && 'snapshots' in e.result)).toBe(false);
    expect(run.log.split('\n')[0]).toBe(`Minima Lab ${PACKAGE_VERSION}, backend fused-simd`);
    expect(run.log).toContain('modelsB training ...');
    expect((await call<RunRecord[]>('listRuns')).map((r) => r.id)).toEqual([record.id]);
    dialogs.nextSave = join(dataDir, 'exported.out');
    expect(await call('exportLog', { id: record.id })).toBe(dialogs.nextSave);
    expect(readFileSync(dialogs.nextSave, 'utf8')).toBe(run.log);
    // a damaged result.json keeps the run from opening, not its log from being exported
    writeFileSync(join(dataDir, 'runs', record.id, 'result.json'), '{"format"');
    expect(await table.dispatch('getRun', { id: record.id })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^run .*: result\.json: /),
    });
    dialogs.nextSave = join(dataDir, 'kept.out');
    expect(await call('exportLog', { id: record.id })).toBe(dialogs.nextSave);
    expect(readFileSync(dialogs.nextSave, 'utf8')).toBe(run.log);
    // a run that ended before it logged a line: one plain error, and nothing written
    rmSync(join(dataDir, 'runs', record.id, 'run.out'));
    dialogs.nextSave = join(dataDir, 'never.out');
    expect(await table.dispatch('exportLog', { id: record.id })).toEqual({
      ok: false,
      error: `run “${record.name}” wrote no .out log: it ended before its first line`,
    });
    expect(existsSync(dialogs.nextSave)).toBe(false);
    await call('deleteRun', { id: record.id });
    expect(existsSync(join(dataDir, 'runs', record.id))).toBe(false);
  }, 60_000);

  it("reads the snapshots of the models asked for from a run's folder, and says why a run has none", async () => {
    const { dataDir, call, table, stored, dialogs } = setup();
    const preset = { ...seed(), rng: 'per-model', stop: { maxSteps: 3000, lossLimit: 0.005 } };
    const record = await call<RunRecord>('startRun', { preset, backend: 'auto', workers: 2 });
    expect((await stored(record.id)).status).toBe('finished');
    const file = join(dataDir, 'runs', record.id, 'snapshots.npz');
    const npz = unzipSync(readFileSync(file));
    const got = await call<RunSnapshots>('getSnapshots', { id: record.id, models: ['models#2', 'modelsB#7', 'modelsB#99'] });
    expect(got.none).toBeNull();
    expect(Object.keys(got.models).sort()).toEqual(['models#2', 'modelsB#7']); // no model 99: absent
    for (const name of ['models#2', 'modelsB#7']) {
      const steps = npyNumbers(npz, `${name}.steps`);
      const params = npyNumbers(npz, name);
      const { step, params: rows } = got.models[name];
      expect(step).toEqual(steps);
      expect(step[0]).toBe(0);
      expect(rows).toHaveLength(steps.length);
      expect(rows.flat()).toEqual(params);
    }
    // models is 1→1→1 (4 parameters), modelsB 1→8→1 (25)
    expect(got.models['models#2'].params[0]).toHaveLength(4);
    expect(got.models['modelsB#7'].params[0]).toHaveLength(25);
    // the app's chart exports read them too: the kink paths, and the fit and the loss at the cursor's step
    const exported = async (name: string, chart: object) => {
      dialogs.nextSave = join(dataDir, name);
      const picture = { format: 'svg', width: 960, height: 540, pixelRatio: 1, theme: 'light', legend: true, to: 'file' };
      expect(await call('exportChart', { id: record.id, ...picture, ...chart })).toBe(dialogs.nextSave);
      return readFileSync(dialogs.nextSave, 'utf8').replace(/cl_[0-9a-f]+/g, 'cl'); // clip ids count up per drawing
    };
    const kinks = await exported('kinks.svg', { kind: 'kinks', fitModels: [7] });
    expect(kinks).toContain('kinks of models #7');
    expect(kinks).not.toContain('no snapshots');
    const fitAt = (step?: number) => exported(`fit-${step}.svg`, { kind: 'fit', fitModels: [7], title: 'T', step });
    const [start, later, end] = [await fitAt(0), await fitAt(40), await fitAt()];
    expect(new Set([start, later, end]).size).toBe(3);
    expect(await fitAt(40)).toBe(later);
    expect(await exported('loss.svg', { kind: 'loss', step: 57 })).toContain('step 57');
    expect(await exported('loss-end.svg', { kind: 'loss' })).not.toContain('step 57');
    // a damaged file: one line naming it
    writeFileSync(file, 'not a zip');
    expect(await table.dispatch('getSnapshots', { id: record.id, models: ['models#2'] })).toEqual({
      ok: false,
      error: `run ${record.id}: snapshots.npz: not a .npz file (not a zip archive)`,
    });
    // a run that kept none says why
    rmSync(file);
    expect(await call<RunSnapshots>('getSnapshots', { id: record.id, models: ['models#2'] })).toEqual({
      models: {},
      none: 'this run kept no snapshots (they are kept for networks of at most 256 parameters)',
    });
    expect(await table.dispatch('getSnapshots', { id: record.id, models: [''] })).toEqual({
      ok: false,
      error: expect.stringMatching(/^getSnapshots: models\[0\]: /),
    });
  }, 60_000);

  it("computes a model's loss landscape from its run folder in a worker thread, as built, with one clear error for what it cannot", async () => {
    const bundled = pathToFileURL(join(ROOT, 'out/lab/landscape-worker.mjs')); // the build's own, as the app ships it
    const { table, dataDir, dialogs, call, stored } = setup({ landscapeWorkerUrl: bundled });
    const preset = { ...seed(), rng: 'per-model', stop: { maxSteps: 2001, lossLimit: 0 } };
    const record = await call<RunRecord>('startRun', { preset, backend: 'fused', workers: 2 });
    expect((await stored(record.id)).status).toBe('finished');
    const run = await call<StoredRun>('getRun', { id: record.id });
    const model = run.result!.models.find((m) => m.group === 'modelsB' && m.index === 3)!;
    const plane = await call<Landscape>('landscape', { id: record.id, model: 'modelsB#3', directions: 'pca', grid: 5 });
    expect([plane.model, plane.step, plane.directions, plane.seed, plane.alpha.length]).toEqual(['modelsB#3', 2000, 'pca', 0, 5]);
    expect(plane.loss[2][2]).toBe(model.curves.lossVal.at(-1)); // its own validation loss at its last step, exactly
    expect(plane.trajectory!.step[0]).toBe(0);
    // a point off the centre from the plane's own numbers, on the direct kernel (the oracle)
    const exp = experimentOf(run.result!.preset);
    const params = Float32Array.from(plane.params, (v, p) => v + plane.alpha[0] * plane.d1[p] + plane.beta[3] * plane.d2[p]);
    const direct = new DirectKernel(run.result!.preset.groups[model.groupIndex], params, exp.gridPoints).valLoss();
    expect(Math.abs(direct / plane.loss[3][0] - 1)).toBeLessThan(1e-6);
    const early = await call<Landscape>('landscape', {
      id: record.id,
      model: 'modelsB#3',
      step: 57,
      directions: 'random',
      grid: 3,
      seed: 4,
    });
    expect([early.step, early.seed, early.trajectory, early.loss[1][1]]).toEqual([
      57,
      4,
      null,
      model.curves.lossVal[model.curves.step.indexOf(57)],
    ]);
    const refused = async (arg: Record<string, unknown>) => table.dispatch('landscape', { id: record.id, directions: 'random', ...arg });
    expect(await refused({ model: 'modelsB#30' })).toEqual({ ok: false, error: `run “${record.name}” has no model modelsB#30` });
    expect(await refused({ model: 'modelsB#3', step: 101 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^modelsB#3: it has no snapshot at step 101 \(it has 0, 1, 2, …, \d+, 2000\)$/),
    });
    expect(await refused({ model: 'modelsB#3', grid: 4 })).toEqual({
      ok: false,
      error: "landscape: grid: expected an odd number (the model's point is the centre one)",
    });
    expect(await refused({ model: 'modelsB' })).toEqual({ ok: false, error: 'landscape: model: expected GROUP#INDEX (e.g. modelsB#3)' });
    // exported like every chart: the same plane, drawn at the asked size and theme
    dialogs.nextSave = join(dataDir, 'plane.svg');
    const exported = { id: record.id, format: 'svg', width: 1280, height: 720, pixelRatio: 1, theme: 'dark', legend: true, to: 'file' };
    const asked = { model: 'modelsB#3', directions: 'pca', grid: 5 };
    expect(await call('exportChart', { ...exported, kind: 'landscape', landscape: asked })).toBe(dialogs.nextSave);
    const svg = readFileSync(dialogs.nextSave, 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*width="1280" height="720"/);
    expect(svg).toContain('Loss landscape around modelsB#3 at step 2,000');
    expect(svg).toContain('α: first principal direction of its trajectory');
    expect(await table.dispatch('exportChart', { ...exported, kind: 'slice' })).toEqual({
      ok: false,
      error: 'exportChart: landscape: the landscape and slice charts, and only they, take a landscape (which model, which directions)',
    });
    // from a source checkout, the TypeScript worker: the same plane
    const fromSource = setup({ dataDir });
    expect(await fromSource.call('landscape', { id: record.id, model: 'modelsB#3', directions: 'pca', grid: 5 })).toEqual(plane);
    rmSync(join(dataDir, 'runs', record.id, 'snapshots.npz'));
    expect(await refused({ model: 'modelsB#3' })).toEqual({
      ok: false,
      error: 'modelsB#3: this run kept no snapshots (they are kept for networks of at most 256 parameters)',
    });
    // it is the worker that computes: one that cannot start says so, plainly
    const broken = setup({ landscapeWorkerUrl: new URL('./fixtures/failing-worker.mjs', import.meta.url) });
    const other = await broken.call<RunRecord>('startRun', { preset, backend: 'fused', workers: 2 });
    await broken.stored(other.id);
    expect(await broken.table.dispatch('landscape', { id: other.id, model: 'modelsB#3', directions: 'random' })).toEqual({
      ok: false,
      error: 'landscape worker failed: Error: the worker could not start: failing-worker.mjs is broken',
    });
  }, 60_000);

  it("saves an animation's bytes where the user picks, only as the format it is named", async () => {
    const { dataDir, call, table, stored, dialogs } = setup();
    const preset = { ...seed(), name: 'Escape', stop: { maxSteps: 200, lossLimit: 0.005 } };
    const record = await call<RunRecord>('startRun', { preset, backend: 'auto', workers: 2 });
    await stored(record.id);
    // a one-pixel GIF from the app's own writer
    const writer = new GifWriter(1, 1, paletteOf([new Uint8Array([255, 0, 0, 255])]));
    writer.add(new Uint8Array([255, 0, 0, 255]), 10);
    const gif = writer.bytes();
    dialogs.nextSave = join(dataDir, 'escape.gif');
    expect(await call('saveAnimation', { id: record.id, format: 'gif', bytes: gif })).toBe(dialogs.nextSave);
    expect(new Uint8Array(readFileSync(dialogs.nextSave))).toEqual(gif);
    // an MP4's first box is ftyp, after its 4-byte size
    const mp4 = new Uint8Array([0, 0, 0, 16, ...new TextEncoder().encode('ftypisom'), 0, 0, 2, 0]);
    dialogs.nextSave = join(dataDir, 'escape.mp4');
    expect(await call('saveAnimation', { id: record.id, format: 'mp4', bytes: mp4 })).toBe(dialogs.nextSave);
    expect(new Uint8Array(readFileSync(dialogs.nextSave))).toEqual(mp4);
    // bytes of another format, or not bytes at all: one line, and nothing written
    dialogs.nextSave = join(dataDir, 'never.webm');
    expect(await table.dispatch('saveAnimation', { id: record.id, format: 'webm', bytes: gif })).toEqual({
      ok: false,
      error: 'saveAnimation: bytes: are not a WebM file (starting with EBML’s 1A 45 DF A3)',
    });
    expect(await table.dispatch('saveAnimation', { id: record.id, format: 'gif', bytes: [...gif] })).toEqual({
      ok: false,
      error: 'saveAnimation: bytes: must be the file’s bytes (a Uint8Array)',
    });
    expect(existsSync(dialogs.nextSave)).toBe(false);
    // the save dialog cancelled
    dialogs.nextSave = null;
    expect(await call('saveAnimation', { id: record.id, format: 'gif', bytes: gif })).toBeNull();
  }, 60_000);

  it('stops a run on request and stores it as stopped: the models it interrupted as such, kept of the 20 planned', async () => {
    const { call, stored, messages, dataDir, dialogs } = setup();
    const record = await call<RunRecord>('startRun', { preset: { ...seed(), rng: 'per-model' }, backend: 'fused', workers: 2 });
    await messages.next((m) => m.kind === 'event' && m.event.type === 'progress');
    await call('stopRun', { runId: record.id });
    const ended = await stored(record.id);
    expect(ended.status).toBe('stopped');
    const { result } = await call<StoredRun>('getRun', { id: record.id });
    expect(result?.stopped).toBe(true);
    // the history counts the models it kept against the 20 it was to train
    expect(ended.models).toBe(20);
    expect(ended.modelsKept).toBe(result?.models.length);
    expect(ended.modelsKept).toBeLessThan(20);
    expect((await call<RunRecord[]>('listRuns'))[0].modelsKept).toBe(ended.modelsKept);

    // the models training when Stop came (a million steps each: at least the one that reported progress)
    // are stopped, not classed by where they stood; their curves and last losses are kept
    const models = result!.models;
    const interrupted = models.filter((m) => m.status === 'stopped');
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    expect(models.filter((m) => m.outcome === 'stopped')).toEqual(interrupted);
    for (const m of interrupted) {
      expect(m.steps).toBeLessThan(1_000_000);
      expect(m.curves.step.at(-1)).toBe(m.steps);
      expect(m.lossFinal).toBeGreaterThan(0);
    }
    // its record: how many reached, of the models not stopped; each group's models kept of its 10
    const reached = models.filter((m) => m.status === 'reached').length;
    expect(ended.reached).toEqual({ k: reached, n: models.length - interrupted.length });
    expect(result!.summary.map((s) => [s.group, s.planned])).toEqual([
      ['models', 10],
      ['modelsB', 10],
    ]);
    dialogs.nextSave = join(dataDir, 'table.csv');
    await call('exportData', { id: record.id, format: 'table' });
    const [head, ...rows] = readFileSync(dialogs.nextSave, 'utf8').trimEnd().split('\n');
    const column = (name: string) => rows.map((row) => Number(row.split(',')[head.split(',').indexOf(name)]));
    expect(column('modelsPlanned')).toEqual([10, 10]);
    expect(column('models').reduce((n, k) => n + k, 0)).toBe(models.length);
    expect(column('stopped').reduce((n, k) => n + k, 0)).toBe(interrupted.length);
    // the preset as the user ran it, for the runs table to set against another's
    expect(await call('getRunPreset', { id: record.id })).toEqual(parsePreset({ ...seed(), rng: 'per-model' }));
  }, 60_000);

  it('renames a run and gives it a note, in its record, atomically; bad input changes nothing', async () => {
    const { dataDir, call, stored, table } = setup();
    const record = await call<RunRecord>('startRun', {
      preset: { ...seed(), rng: 'per-model', stop: { maxSteps: 300, lossLimit: 0.005 } },
      backend: 'fused',
      workers: 2,
    });
    // renamed while it trains: its ending keeps the name
    await call('updateRun', { id: record.id, name: '  Seed, lr 0.1  ' });
    const ended = await stored(record.id);
    expect(ended).toMatchObject({ name: 'Seed, lr 0.1', status: 'finished' });
    const meta = join(dataDir, 'runs', record.id, 'meta.json');
    const noted = await call<RunRecord>('updateRun', { id: record.id, note: 'the baseline for Tuesday' });
    expect(noted).toMatchObject({ name: 'Seed, lr 0.1', note: 'the baseline for Tuesday', status: 'finished', models: 20 });
    expect(readJson(meta)).toEqual(noted);
    expect((await call<RunRecord[]>('listRuns'))[0]).toEqual(noted);
    expect((await call<StoredRun>('getRun', { id: record.id })).record.note).toBe('the baseline for Tuesday');

    const refused = async (change: object) => {
      const reply = await table.dispatch('updateRun', { id: record.id, ...change });
      return reply.ok ? 'accepted' : reply.error;
    };
    expect(await refused({ name: '   ' })).toBe('updateRun: name: must not be empty');
    expect(await refused({ name: 'x'.repeat(201) })).toBe('updateRun: name: has at most 200 characters');
    expect(await refused({ note: 'x'.repeat(2001) })).toBe('updateRun: note: has at most 2000 characters');
    expect(await refused({})).toMatch(/^updateRun: .*expected a name or a note to change/);
    expect(await table.dispatch('updateRun', { id: 'no-such-run', name: 'x' })).toEqual({
      ok: false,
      error: expect.stringMatching(/no-such-run/),
    });
    expect(readJson(meta)).toEqual(noted);
    expect(readdirSync(join(dataDir, 'runs'))).toEqual([record.id]); // no folder made for the run that is not there

    // an empty note clears it
    expect(await call<RunRecord>('updateRun', { id: record.id, note: '' })).not.toHaveProperty('note');
    expect(readJson(meta)).not.toHaveProperty('note');
  }, 60_000);
});
