// Sweeps: the format (expansion, names, errors that name axis and value, version 1 still reads), the
// engine (a cell's models do not depend on the other cells; detail kept for curvesPerCell models only)
// and the result's tables.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunResultSchema } from '../core/results/events.ts';
import { parseAndExpand, parsePreset, PresetError } from '../core/preset/parse.ts';
import type { Preset } from '../core/preset/preset.ts';
import { expandSweep } from '../core/preset/sweep.ts';
import { planLocalRun } from '../electron/engine/plan.ts';
import { Run } from '../electron/engine/run.ts';
import { loadPresetFile } from '../electron/storage/preset-file.ts';
import { modelsJsonl, summaryCsv, summaryTable } from '../electron/exports/tables.ts';
import { FIXTURES, PRESETS, readJson } from './helpers.ts';

type Data = Record<string, any>;
const builtIn = () => readJson<Data>(join(PRESETS, 'sweep-width-vs-schedule.json'));

/** A small sweep: the built-in's group with `models` seeds, the given axes, a short cap. */
function small(axes: Data[], models = 3, maxSteps = 400, extra: Data = {}): Data {
  const p = builtIn();
  p.groups[0].models = models;
  p.stop.maxSteps = maxSteps;
  p.sweep = { axes, ...extra };
  return p;
}

function problem(data: unknown): PresetError {
  try {
    parsePreset(data, 'sweep.json');
  } catch (err) {
    if (err instanceof PresetError) return err;
    throw err;
  }
  throw new Error('expected a PresetError');
}

describe('sweep format', () => {
  it('crosses the group with every combination of axis values, last axis fastest, cells named from the labels', async () => {
    const preset = await loadPresetFile(join(PRESETS, 'sweep-width-vs-schedule.json'));
    const { preset: asRun, sweep, streams } = expandSweep(preset);
    expect(asRun.sweep).toBeUndefined();
    expect(asRun.groups.map((g) => g.name)).toEqual([
      'net_1_SGD-0.1',
      'net_1_CyclicLR',
      'net_2_SGD-0.1',
      'net_2_CyclicLR',
      'net_3_SGD-0.1',
      'net_3_CyclicLR',
      'net_4_SGD-0.1',
      'net_4_CyclicLR',
      'net_8_SGD-0.1',
      'net_8_CyclicLR',
      'net_16_SGD-0.1',
      'net_16_CyclicLR',
    ]);
    expect(asRun.groups.map((g) => [g.models, g.hidden[0], g.schedule.kind])).toEqual(
      [1, 2, 3, 4, 8, 16].flatMap((w) => [
        [100, w, 'constant'],
        [100, w, 'cyclic'],
      ]),
    );
    // a value as trained: the schema's defaults filled in
    expect(asRun.groups[1].schedule).toMatchObject({ kind: 'cyclic', mode: 'triangular2', gamma: 1, stepSizeDown: 900 });
    expect(sweep!.axes.map((a) => [a.field, a.title, a.labels])).toEqual([
      ['hidden', 'Hidden widths', ['1', '2', '3', '4', '8', '16']],
      ['schedule', 'LR schedule', ['SGD 0.1', 'CyclicLR']],
    ]);
    expect(sweep!.cells[3]).toEqual({ group: 'net_2_CyclicLR', base: 'net', at: [1, 1] });
    expect(sweep!.curvesPerCell).toBe(20);
    expect(new Set(streams).size).toBe(12); // every cell its own streams
  });

  it('names values itself when the axis has no labels, and starts a `.kind` value from that kind’s defaults', () => {
    const p = small([
      { field: 'optimizer.lr', values: [0.05, 0.1] },
      { field: 'data.kind', values: ['fresh', 'grid'] },
    ]);
    p.groups.push({ ...p.groups[0], name: 'wide', hidden: [8] });
    const { preset, sweep } = expandSweep(parsePreset(p));
    expect(preset.groups.map((g) => g.name)).toEqual([
      'net_0.05_fresh',
      'net_0.05_grid',
      'net_0.1_fresh',
      'net_0.1_grid',
      'wide_0.05_fresh',
      'wide_0.05_grid',
      'wide_0.1_fresh',
      'wide_0.1_grid',
    ]);
    expect(preset.groups[1].data).toEqual({ kind: 'grid' });
    expect(preset.groups[0].data).toEqual({ kind: 'fresh', batchSize: 100 });
    expect(sweep!.bases).toEqual(['net', 'wide']);
    expect(sweep!.cells[5]).toEqual({ group: 'wide_0.05_grid', base: 'wide', at: [0, 1] });
  });

  it.each([
    [
      [{ field: 'optimizer.lr', values: [0.1, -1] }],
      'sweep.axes[0].values[1]',
      'sweep axis optimizer.lr, value -1: must be greater than 0',
    ],
    [
      [{ field: 'hidden', values: [[8], [0]] }],
      'sweep.axes[0].values[1]',
      'sweep axis hidden, value an array of 1: hidden.0: must be greater than 0',
    ],
    [
      [{ field: 'activation.negativeSlope', values: [0.01, 'steep'] }],
      'sweep.axes[0].values[1]',
      'sweep axis activation.negativeSlope, value "steep": must be a number (not text)',
    ],
    [
      [{ field: 'optimizer.kind', values: ['sgd', 'rmsprop'] }],
      'sweep.axes[0].values[1]',
      'sweep axis optimizer.kind, value "rmsprop": must be one of the kinds "sgd", "adam"',
    ],
    [[{ field: 'hidden', values: [[4], [4]] }], 'sweep.axes[0].values[1]', 'sweep axis hidden: value an array of 1 appears twice'],
    [
      [{ field: 'name', values: ['a', 'b'] }],
      'sweep.axes[0].field',
      'expected a group field such as hidden, optimizer.lr, schedule or data.batchSize',
    ],
    [
      [{ field: 'models', values: [1, 2] }],
      'sweep.axes[0].field',
      'expected a group field such as hidden, optimizer.lr, schedule or data.batchSize',
    ],
    [[{ field: 'hidden', values: [[1], [2]], labels: ['one'] }], 'sweep.axes[0].labels', 'expected one label per value'],
    [[], 'sweep.axes', 'needs at least 1 item'],
  ])('rejects a bad axis with the axis and the value: %j', (axes, path, message) => {
    const err = problem(small(axes));
    expect(err.path).toBe(path);
    expect(err.problem).toBe(message);
    expect(err.message).toBe(`sweep.json: ${path}: ${message}`);
  });

  it('a problem that spans fields names the axis whose value caused it', () => {
    const p = small([{ field: 'optimizer', values: [{ kind: 'sgd', lr: 0.1 }, { kind: 'adam' }] }]);
    p.groups[0].schedule = { kind: 'cyclic', baseLr: 0.001, maxLr: 0.1 }; // cycles momentum: sgd only
    expect(problem(p).problem).toBe(
      'sweep axis optimizer, value an object: schedule.cycleMomentum: cycleMomentum needs the sgd optimizer (set it to false for adam)',
    );
  });

  it('needs per-model streams, and stays within the limits on cells and models', () => {
    const torch = small([{ field: 'optimizer.lr', values: [0.1, 0.2] }]);
    torch.rng = 'torch';
    expect(problem(torch).path).toBe('rng');
    expect(problem(torch).problem).toMatch(/^a sweep needs per-model random streams \(rng: per-model\)/);
    const lrs = Array.from({ length: 100 }, (_, k) => 0.01 * (k + 1));
    const many = small([
      { field: 'optimizer.lr', values: lrs },
      { field: 'hidden', values: Array.from({ length: 11 }, (_, k) => [k + 1]) },
    ]);
    expect(problem(many).problem).toBe('the sweep makes 1,100 cells (groups × axis values): at most 1,000');
    const models = small([{ field: 'optimizer.lr', values: lrs }], 1001);
    expect(problem(models).problem).toBe('the sweep trains 100,100 models (cells × models): at most 100,000');
  });

  it('applies command-line overrides to the preset as written and as it trains, naming the file or the overrides as the fault', () => {
    const data = small([{ field: 'optimizer.lr', values: [0.1, 0.2] }]);
    const plain = parseAndExpand(data, 'sweep.json');
    expect(plain).toEqual(expandSweep(parsePreset(data)));
    const changed = parseAndExpand(data, 'sweep.json', { seed: 7, maxSteps: 50 });
    expect([changed.source.seed, changed.source.stop, changed.preset.seed, changed.preset.stop]).toEqual([
      7,
      { maxSteps: 50, lossLimit: data.stop.lossLimit },
      7,
      { maxSteps: 50, lossLimit: data.stop.lossLimit },
    ]);
    // the cells and their streams do not depend on the overridden fields
    expect([changed.preset.groups, changed.sweep, changed.streams]).toEqual([plain.preset.groups, plain.sweep, plain.streams]);
    expect(changed.source.sweep).toEqual(plain.source.sweep);
    const overrideError = (run: () => unknown) => {
      try {
        run();
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected a PresetError');
    };
    expect(overrideError(() => parseAndExpand(data, 'sweep.json', { rng: 'torch' }))).toMatch(
      /^sweep\.json \(with command-line overrides\): rng: a sweep needs per-model random streams \(rng: per-model\)/,
    );
    expect(overrideError(() => parseAndExpand(data, 'sweep.json', { seed: -1 }))).toBe(
      'sweep.json (with command-line overrides): seed: must be at least 0',
    );
    // a file that is wrong as written is named, whatever the overrides would make of it
    expect(overrideError(() => parseAndExpand({ ...data, rng: 'torch' }, 'sweep.json', { rng: 'per-model' }))).toMatch(
      /^sweep\.json: rng: a sweep needs per-model random streams/,
    );
  });

  it('reads a version-1 preset unchanged, as a version-2 preset without a sweep; a version-1 sweep is refused', async () => {
    const v1 = await loadPresetFile(join(FIXTURES, 'presets/version-1.json'));
    const v2 = await loadPresetFile(join(PRESETS, 'seed-narrow-vs-wide.json'));
    expect(readJson<Data>(join(FIXTURES, 'presets/version-1.json')).version).toBe(1);
    expect(v1).toEqual(v2);
    expect(v1.version).toBe(2);
    const old = { ...builtIn(), version: 1 };
    expect(problem(old).problem).toBe('a sweep needs format version 2 (this file says 1)');
    expect(problem({ ...builtIn(), version: 3 }).problem).toBe('version 3 is not supported (this Minima Lab reads versions 1 and 2)');
  });
});

async function train(data: Data, workers = 2) {
  return new Run(planLocalRun(expandSweep(parsePreset(data)), { workers, backend: 'fused' })).start();
}
const fingerprint = (m: { steps: number; lossFinal: number | null; finalParams: number[]; status: string }) =>
  JSON.stringify([m.steps, m.lossFinal, m.status, m.finalParams]);

describe('sweep runs', () => {
  it('a cell’s models are the same whether or not other values are on its axes', async () => {
    const lr = (values: number[]) => ({ field: 'optimizer.lr', values });
    const width = (values: number[][]) => ({ field: 'hidden', values });
    const alone = await train(small([lr([0.2]), width([[2]])], 3, 300));
    const among = await train(small([lr([0.05, 0.2, 0.3]), width([[1], [2]])], 3, 300));
    const cell = (r: typeof alone) => r.models.filter((m) => m.group === 'net_0.2_2').map(fingerprint);
    expect(cell(alone)).toHaveLength(3);
    expect(cell(among)).toEqual(cell(alone));
    // and the other cells' models differ from it (their own streams)
    const other = among.models.filter((m) => m.group === 'net_0.3_2').map(fingerprint);
    expect(other).not.toEqual(cell(alone));
  });

  it('keeps curves and weights for curvesPerCell models of each cell; the statistics count every model', async () => {
    const result = await train(small([{ field: 'optimizer.lr', values: [0.1, 0.2] }], 5, 300, { curvesPerCell: 2 }));
    for (const m of result.models) {
      const kept = m.index < 2;
      expect(m.curves.step.length > 0, `${m.group} #${m.index}`).toBe(kept);
      expect(m.finalParams.length > 0).toBe(kept);
      expect(m.initialParams.length > 0).toBe(kept);
      expect(m.lossFinal).not.toBeNull();
      expect(m.lossBest).toBeLessThanOrEqual(m.lossFinal!);
    }
    expect(result.summary.map((s) => [s.group, s.models])).toEqual([
      ['net_0.1', 5],
      ['net_0.2', 5],
    ]);
    expect(result.sweep!.cells.map((c) => c.group)).toEqual(['net_0.1', 'net_0.2']);
    // the JSON result reads back whole
    const read = RunResultSchema.parse(JSON.parse(JSON.stringify(result)));
    expect(read.sweep).toEqual(result.sweep);
    expect(read.summary).toEqual(result.summary);
  });

  it('tables: the per-cell text table and CSV, one JSON line per model', async () => {
    const result = await train(small([{ field: 'hidden', values: [[1], [16]], labels: ['narrow', 'wide'] }], 4, 2000));
    const table = summaryTable(result).split('\n');
    expect(table[0]).toBe(
      'loss limit 0.005; plateaus: best line 0.0658, best constant 0.0901, zero output 0.8998; steps capped at 2,000; intervals 95 % (Wilson; Kaplan–Meier)',
    );
    expect(table[2]).toMatch(
      /^Hidden widths {2}models {2}reached {2}reach rate \[95 % CI\] {2}median steps to reach \[95 % CI\] {2}below line {2}elsewhere/,
    );
    const rows = table.slice(4);
    expect(rows.map((r) => r.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['narrow', '4'],
      ['wide', '4'],
    ]);
    const s = result.summary[1];
    expect(rows[1].split(/\s{2,}/).slice(2, 4)).toEqual([
      String(s.reach.k),
      // in whole percent: of 4 models no interval end lies strictly within 1 % of 0 or 100 %
      `${(s.reach.k / 4) * 100} % [${Math.round(s.reach.low * 100)}–${Math.round(s.reach.high * 100)} %]`,
    ]);

    const csv = summaryCsv(result).trimEnd().split('\n');
    expect(csv[0]).toBe(
      'cell,hidden,models,modelsPlanned,reached,reachRate,reachLow,reachHigh,belowLine,belowLineRate,belowLineLow,belowLineHigh,' +
        'medianSteps,medianStepsLow,medianStepsHigh,medianBestLoss,medianFinalLoss,line,constant,zero,other,diverged,stopped',
    );
    expect(csv).toHaveLength(3);
    const wide = csv[2].split(',');
    expect(wide.slice(0, 5)).toEqual(['net_wide', 'wide', '4', '4', String(s.reach.k)]);
    expect(Number(wide[6])).toBeCloseTo(s.reach.low, 12);

    const lines = modelsJsonl(result)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Data);
    expect(lines).toHaveLength(8);
    const m = result.models[5];
    expect(lines[5]).toEqual({
      group: 'net_wide',
      base: 'net',
      axes: { hidden: [16] },
      model: 1,
      outcome: m.outcome,
      status: m.status,
      steps: m.steps,
      lossFinal: m.lossFinal,
      lossBest: m.lossBest,
      lossInit: m.lossInit,
    });
  });
});

/** The sweep's run through the preset file and the engine's own parse: what the CLI and the app do. */
describe('a sweep preset as the library validates it', () => {
  it('keeps its sweep when saved and reloaded (validated, not expanded)', () => {
    const p = parsePreset(small([{ field: 'optimizer.lr', values: [0.1, 0.2] }]));
    const again: Preset = parsePreset(JSON.parse(JSON.stringify(p)));
    expect(again.sweep).toEqual({ axes: [{ field: 'optimizer.lr', values: [0.1, 0.2] }], curvesPerCell: 20 });
  });
});
