import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPresetFile } from '../electron/storage/preset-file.ts';
import { defaultsOf, kindsOf, type ChoiceField } from '../core/preset.ts';
import { parsePreset, PresetError } from '../core/preset-parse.ts';
import { describePath } from '../core/preset-labels.ts';
import { PRESETS, readJson } from './helpers.ts';

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
    await expect(loadPresetFile(join(dir, 'none.json'))).rejects.toThrow(/none\.json: cannot read the file \(ENOENT\)/);
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    await expect(loadPresetFile(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: not valid JSON/);
  });
});
