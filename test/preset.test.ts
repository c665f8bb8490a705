import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPresetFile } from '../electron/storage/preset-file.ts';
import { defaultsOf, kindsOf, type ChoiceField } from '../core/preset/preset.ts';
import { parsePreset, PresetError } from '../core/preset/parse.ts';
import { describePath } from '../core/preset/labels.ts';
import { estimateRun } from '../core/preset/estimate.ts';
import { presetWith, PRESETS, readJson } from './helpers.ts';

const seed = () => readJson<Record<string, unknown>>(join(PRESETS, 'seed-narrow-vs-wide.json'));

function errorOf(run: () => unknown): PresetError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(PresetError);
    return err as PresetError;
  }
  throw new Error('expected a PresetError');
}

describe('presets', () => {
  it('loads every built-in preset', async () => {
    const files = readdirSync(PRESETS).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual([
      'question-linspace-batch.json',
      'seed-narrow-sgd.json',
      'seed-narrow-vs-wide.json',
      'seed-wide-cyclic.json',
      'sweep-slope-vs-width.json',
      'sweep-width-vs-schedule.json',
    ]);
    for (const f of files) await expect(loadPresetFile(join(PRESETS, f))).resolves.toMatchObject({ version: 2 });
  });

  it('expresses the seed script: two groups, seed 2025, torch RNG, 1,000,001 steps, limit 0.005', async () => {
    const p = await loadPresetFile(join(PRESETS, 'seed-narrow-vs-wide.json'));
    expect(p).toMatchObject({ seed: 2025, rng: 'torch', validation: { points: 5001 }, stop: { maxSteps: 1000001, lossLimit: 0.005 } });
    expect(p.groups.map((g) => [g.name, g.models, g.hidden, g.optimizer.kind, g.schedule.kind])).toEqual([
      ['models', 10, [1], 'sgd', 'constant'],
      ['modelsB', 10, [8], 'sgd', 'cyclic'],
    ]);
    // PyTorch defaults fill what the file leaves out
    expect(p.groups[0].optimizer).toEqual({ kind: 'sgd', lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
  });

  it.each([
    [
      'groups[1].optimizer.lr',
      (p: any) => {
        p.groups[1].optimizer.lr = -1;
      },
      /groups\[1\]\.optimizer\.lr: must be greater than 0$/,
    ],
    [
      'groups[0].hidden[0]',
      (p: any) => {
        p.groups[0].hidden = [0];
      },
      /groups\[0\]\.hidden\[0\]/,
    ],
    [
      'groups[0].activation.kind',
      (p: any) => {
        p.groups[0].activation = { kind: 'gelu' };
      },
      /groups\[0\]\.activation\.kind/,
    ],
    [
      'an unknown field',
      (p: any) => {
        p.groups[0].lrr = 1;
      },
      /groups\[0\]: .*lrr/,
    ],
    [
      'seed',
      (p: any) => {
        p.seed = 1.5;
      },
      /seed: must be a whole number$/,
    ],
    [
      'stop.maxSteps',
      (p: any) => {
        delete p.stop.maxSteps;
      },
      /stop\.maxSteps/,
    ],
    [
      'target.points order',
      (p: any) => {
        p.target = {
          kind: 'piecewise-linear',
          points: [
            [0, 0],
            [0.5, 1],
            [0.4, 0],
          ],
        };
      },
      /target\.points: expected points sorted/,
    ],
    [
      'log.models',
      (p: any) => {
        p.log.models = [0, 10];
      },
      /log\.models\[1\]: model 10 does not exist/,
    ],
    [
      'group names',
      (p: any) => {
        p.groups[1].name = 'models';
      },
      /groups: expected distinct group names/,
    ],
    [
      'cycle momentum with adam',
      (p: any) => {
        p.groups[1].optimizer = { kind: 'adam' };
        p.groups[1].schedule.cycleMomentum = true;
      },
      /groups\[1\]\.schedule\.cycleMomentum: cycleMomentum needs the sgd optimizer/,
    ],
  ])('names the bad field: %s', (_label, edit, message) => {
    const p = seed();
    edit(p);
    const err = errorOf(() => parsePreset(p, 'mine.json'));
    expect(err.message).toMatch(/^mine\.json: /);
    expect(err.message).toMatch(message);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('lists every problem of the schema at once, the first being the one its message names', () => {
    const p = seed() as any;
    p.groups[0].hidden = [0];
    p.groups[1].optimizer.lr = -1;
    p.stop.maxSteps = 2.5;
    const err = errorOf(() => parsePreset(p));
    // in the schema's order of fields: the stop before the groups
    expect(err.problems).toEqual([
      { path: 'stop.maxSteps', problem: 'must be a whole number' },
      { path: 'groups[0].hidden[0]', problem: 'must be greater than 0' },
      { path: 'groups[1].optimizer.lr', problem: 'must be greater than 0' },
    ]);
    expect(err.message).toBe('preset: stop.maxSteps: must be a whole number');
    // a problem across fields comes alone, once the fields themselves are right
    const q = seed() as any;
    q.log.models = [99];
    expect(errorOf(() => parsePreset(q)).problems).toEqual([
      { path: 'log.models[0]', problem: 'model 99 does not exist (the largest group has 10)' },
    ]);
  });

  it("says where a problem is in the form's words, quoting at most a short excerpt of a bad value", () => {
    const p = seed() as any;
    p.groups[1].optimizer.lr = -1;
    const err = errorOf(() => parsePreset(p));
    expect(`${describePath(err.path, p)}: ${err.problem}`).toBe('Group 2 (modelsB) › Learning rate: must be greater than 0');
    expect(describePath('stop.maxSteps', p)).toBe('Max steps');
    expect(describePath('groups[0].hidden[1]', p)).toBe('Group 1 (models) › Hidden widths');
    expect(describePath('', p)).toBe('The preset');
    const huge = errorOf(() => parsePreset({ ...seed(), format: 'x'.repeat(10_000_000) })).message;
    expect(huge.length).toBeLessThan(200);
    expect(errorOf(() => parsePreset({ ...seed(), seed: 10n })).message).toBe('preset: seed: must be a number (not a bigint)');
    expect(errorOf(() => parsePreset({ ...seed(), version: 10n })).message).toMatch(/^preset: version: version 10n is not supported/);
  });

  it('refuses an unknown version and a foreign file clearly', () => {
    expect(errorOf(() => parsePreset({ ...seed(), version: 3 }, 'x.json')).message).toBe(
      'x.json: version: version 3 is not supported (this Minima Lab reads versions 1 and 2)',
    );
    expect(errorOf(() => parsePreset({ name: 'hello' }, 'x.json')).message).toMatch(/^x\.json: format: expected "minima-lab-preset"/);
    expect(errorOf(() => parsePreset([1, 2], 'x.json')).message).toBe('x.json: expected a JSON object');
  });

  it("fills a new field of each kind with PyTorch's defaults, from the schema itself", () => {
    // what PyTorch 1.13 itself defaults to (torch.optim, torch.optim.lr_scheduler, nn.LeakyReLU)
    expect(defaultsOf('schedule', 'cyclic')).toMatchObject({
      mode: 'triangular',
      stepSizeUp: 2000,
      gamma: 1,
      cycleMomentum: true,
      baseMomentum: 0.8,
      maxMomentum: 0.9,
    });
    expect(defaultsOf('schedule', 'cyclic')).not.toHaveProperty('stepSizeDown'); // None: as long as step_size_up
    expect(defaultsOf('schedule', 'step')).toMatchObject({ gamma: 0.1 });
    expect(defaultsOf('schedule', 'cosine')).toMatchObject({ etaMin: 0 });
    expect(defaultsOf('optimizer', 'sgd')).toMatchObject({ momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
    expect(defaultsOf('optimizer', 'adam')).toEqual({ kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    expect(defaultsOf('activation', 'leaky_relu')).toEqual({ kind: 'leaky_relu', negativeSlope: 0.01 });
    // every kind of every choice field starts valid, and as the preset loader would read it back
    const seedPreset = seed();
    const fields: ChoiceField[] = ['target', 'activation', 'data', 'optimizer', 'schedule'];
    for (const field of fields) {
      expect(kindsOf(field).length).toBeGreaterThan(1);
      for (const kind of kindsOf(field)) {
        const value = defaultsOf(field, kind);
        expect(value.kind).toBe(kind);
        const p = structuredClone(seedPreset) as { target: unknown; groups: Record<string, unknown>[] };
        if (field === 'target') p.target = value;
        else p.groups[0] = { ...p.groups[0], [field]: value };
        const parsed = parsePreset(p);
        expect(field === 'target' ? parsed.target : parsed.groups[0][field]).toEqual(value);
      }
    }
  });

  it('reports a missing or unreadable file with its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-preset-'));
    await expect(loadPresetFile(join(dir, 'none.json'))).rejects.toThrow(
      /none\.json: cannot read the file: no such file or folder \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    await expect(loadPresetFile(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: not valid JSON/);
  });

  it('reads a file an editor saved with a byte-order mark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-preset-'));
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${JSON.stringify(seed())}`);
    expect((await loadPresetFile(join(dir, 'bom.json'))).name).toBe(seed().name);
  });

  it('says where a file is not JSON, never quoting its bytes (raw ESC, or another file through a link)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-preset-'));
    const cases: [string, string][] = [
      ['root:x:0:0:root:/root:/bin/bash\n', 'an unexpected character at line 1, column 1'],
      ['{\n  "name": \u001b[2J\u0007\n}', 'an unexpected character at line 2, column 11'],
      ['{\n  "name": "a\u001b[31mb"\n}', 'a mistake at line 2, column 13'],
      ['{"name": "cut', 'cut off at line 1, column 14'],
      ['{\n  "groups": [\n', 'cut off at line 3, column 1'],
    ];
    for (const [text, where] of cases) {
      writeFileSync(join(dir, 'bad.json'), text);
      const err = await loadPresetFile(join(dir, 'bad.json')).catch((e: Error) => e);
      expect((err as Error).message).toBe(`${join(dir, 'bad.json')}: not valid JSON: ${where}`);
    }
  });
});

describe('what a preset may be called, and how its problems are said', () => {
  it("refuses control characters in a new preset's names (its own, a group's, a sweep label), quoting them escaped", () => {
    const named = (edit: (p: any) => void) => {
      const p = seed() as any;
      edit(p);
      return errorOf(() => parsePreset(p, 'mine.json')).message;
    };
    expect(named((p) => (p.groups[1].name = 'modelsB\u001b[31m'))).toBe(
      'mine.json: groups[1].name: "modelsB\\u001b[31m" holds a control character: names reach terminals, logs and spreadsheets',
    );
    expect(named((p) => (p.name = 'Seed\u0007\u0000'))).toMatch(/^mine\.json: name: "Seed\\u0007\\u0000" holds a control character/);
    expect(named((p) => (p.name = 'C1 \u009b31m'))).toMatch(/^mine\.json: name: "C1 \\u009b31m" holds/);
    const sweep = readJson<any>(join(PRESETS, 'sweep-width-vs-schedule.json'));
    sweep.sweep.axes[0].labels = sweep.sweep.axes[0].values.map((_: unknown, k: number) => (k === 1 ? 'w\u001b]0;x\u0007' : `w${k}`));
    expect(errorOf(() => parsePreset(sweep)).path).toBe('sweep.axes[0].labels[1]');
    // a file saved before still opens, with its names as they are
    const saved = seed() as any;
    saved.groups[1].name = 'modelsB\u001b[31m';
    expect(parsePreset(saved, 'old.json', { saved: true }).groups[1].name).toBe('modelsB\u001b[31m');
  });

  it('names a hundred thousand unknown fields by their first few, in one short line', () => {
    const extra = Object.fromEntries(Array.from({ length: 100_000 }, (_, k) => [`field${k}`, k]));
    const err = errorOf(() => parsePreset({ ...seed(), ...extra }));
    expect(err.message).toBe('preset: unknown fields "field0", "field1", "field2" and 99,997 more');
    expect(errorOf(() => parsePreset({ ...seed(), lrr: 1, momentm: 2 })).message).toBe('preset: unknown fields "lrr" and "momentm"');
  });

  it('says a number out of range by the field’s own limit, and one that is not finite as such', () => {
    const p = { ...seed(), validation: { points: 1e300 } };
    expect(errorOf(() => parsePreset(p)).message).toBe('preset: validation.points: must be at most 1000000');
    // JSON's 1e999 reads as Infinity
    const infinite = JSON.parse(JSON.stringify(seed()).replace('"lossLimit":0.005', '"lossLimit":1e999'));
    expect(errorOf(() => parsePreset(infinite)).message).toBe('preset: stop.lossLimit: must be finite (not Infinity)');
    expect(errorOf(() => parsePreset({ ...seed(), seed: -Infinity })).message).toBe('preset: seed: must be finite (not -Infinity)');
  });
});

describe('docs/presets.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '../docs/presets.md'), 'utf8');
  const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
  /** A table row's cells, the first without its backquotes. */
  const cells = (row: string) => row.split(' | ').map((c, k) => (k === 0 ? c.replace(/^\| `|`$/g, '') : c));
  /** The rows of the targets' and schedules' tables are kinds, not fields. */
  const kinds = new Set<string>([...kindsOf('target'), ...kindsOf('schedule')]);
  const jsonOrNull = (text: string) => {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      return null; // "(= up)": said in words, not a value
    }
  };

  it('states the schema’s own defaults: every “default `…`” of a field', () => {
    const preset = presetWith({}, { version: 2, sweep: { axes: [{ field: 'optimizer.lr', values: [0.1, 0.2] }] } });
    const at = (path: string): unknown =>
      path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], path in preset.groups[0] ? preset.groups[0] : preset);
    const stated = rows.flatMap((row) => {
      const [field, type] = cells(row);
      const match = /default `([^`]+)`/.exec(type);
      return match && !kinds.has(field) ? [[field, match[1]] as const] : [];
    });
    expect(stated.map(([field]) => field)).toEqual(['description', 'log.models', 'log.steps', 'init', 'schedule', 'sweep.curvesPerCell']);
    for (const [field, value] of stated) expect([field, at(field)]).toEqual([field, JSON.parse(value)]);
  });

  it('states each kind’s defaults, “`field` (value)”, as the schema fills them in', () => {
    const checked: string[] = [];
    for (const [choice, table] of [
      ['target', '## Targets'],
      ['schedule', '### LR schedules'],
    ] as const) {
      const section = doc.slice(doc.indexOf(table), doc.indexOf('\n#', doc.indexOf(table) + table.length));
      for (const row of section.split('\n').filter((line) => line.startsWith('| `'))) {
        const [kind, fields] = cells(row);
        const defaults = defaultsOf(choice, kind as never) as Record<string, unknown>;
        for (const [, name, text] of fields.matchAll(/`(\w+)` \(([^)]+)\)/g)) {
          const stated = jsonOrNull(text);
          if (!stated) continue;
          expect([kind, name, defaults[name]]).toEqual([kind, name, stated.value]);
          checked.push(`${kind}.${name}`);
        }
        const mode = /default `(\w+)`/.exec(fields);
        if (mode) expect(defaultsOf('schedule', 'cyclic').mode).toBe(mode[1]);
      }
    }
    // the optimizers' defaults are written as their JSON: `"momentum": 0`
    const optimizer = cells(rows.find((r) => r.startsWith('| `optimizer`'))!)[2];
    for (const [object] of optimizer.matchAll(/\{ "kind": "\w+"[^}]*\}/g)) {
      const kind = /"kind": "(\w+)"/.exec(object)![1];
      const defaults = defaultsOf('optimizer', kind as never) as Record<string, unknown>;
      for (const [, name, text] of object.matchAll(/"(\w+)": ([^,}\s]+)/g)) {
        if (name === 'kind') continue;
        expect([kind, name, defaults[name]]).toEqual([kind, name, JSON.parse(text)]);
        checked.push(`${kind}.${name}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(20);
  });
});

describe('the estimate before Start', () => {
  const builtIn = (file: string) => parsePreset(readJson(join(PRESETS, `${file}.json`)));

  it('counts every model to its step cap, at 100,000 model-steps a second a thread on the fused kernel', () => {
    // 20 models × 1,000,001 steps on torch's one stream: one thread, whatever the workers
    const seedRun = estimateRun(builtIn('seed-narrow-vs-wide'), 'auto', 2);
    expect(seedRun.modelSteps).toBe(20_000_020);
    expect(seedRun.seconds).toBeCloseTo(200.0002, 6);
    const perModel = { ...builtIn('seed-narrow-vs-wide'), rng: 'per-model' as const };
    expect(estimateRun(perModel, 'fused', 2).seconds).toBeCloseTo(100.0001, 6);
    // the direct kernel (and tfjs, WebGPU) at 50 a second; tfjs on one thread
    expect(estimateRun(perModel, 'direct', 2).seconds).toBeCloseTo(200_000.2, 6);
    expect(estimateRun(perModel, 'tfjs-wasm', 2).seconds).toBeCloseTo(400_000.4, 6);
  });

  it("counts a sweep's cells: 12 cells of 100 models, 200,000 steps each, on 2 threads", () => {
    expect(estimateRun(builtIn('sweep-width-vs-schedule'), 'auto', 2)).toEqual({ modelSteps: 240_000_000, seconds: 1200 });
  });
});
