// `lab export torch` against PyTorch itself: each exported script, run by Debian's PyTorch (/usr/bin/python3
// with python3-torch, which test/ensure-torch.sh installs), prints the .out log `lab run` prints for the same
// preset, every line, the values to PyTorch's float32 rounding: the built-in presets without a sweep, a
// sweep whole and one cell of it, one group of a preset, and generated presets (fast-check) with every
// optimizer, schedule, target, batch kind, activation and initialisation. The scripts run one after another
// in one Python process (torch imported once) under `-X dev -W error`, so a warning fails them too.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CYCLIC_MODES, INITS, type PresetInput } from '../core/preset/preset.ts';
import { parseAndExpand } from '../core/preset/parse.ts';
import type { Expanded } from '../core/preset/sweep.ts';
import type { ModelRef } from '../core/results/events.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { makeTrainer, trainOwnStreams, trainTorchStream } from '../electron/engine/streams.ts';
import { PACKAGE_VERSION, PRESETS, quietHooks, readJson, ROOT } from './helpers.ts';
import { BUNDLED_WORKER, lab, labProcess } from './lab.ts';

const PYTHON = '/usr/bin/python3';
const RUNNER = join(ROOT, 'test/run-torch-scripts.py');
/** Generated presets: all of them in CI, a tenth in a developer's loop. */
const RUNS = process.env.CI ? 200 : 20;
/** Printed values agree within this (relative above 1): PyTorch computes in float32, the lab in float64. */
const TOLERANCE = 2e-4;
/** A model may stop a step apart from the lab's only where its loss at the stop is this close to the loss limit. */
const NEAR_LIMIT = 1e-6;
const SEED = join(PRESETS, 'seed-narrow-vs-wide.json');
const SWEEP = join(PRESETS, 'sweep-width-vs-schedule.json');
const BUILT_IN = ['seed-narrow-vs-wide', 'seed-narrow-sgd', 'seed-wide-cyclic', 'question-linspace-batch'];

/** One model's lines of a .out log: its lossInit, its steps and its lossFinl. */
interface ModelLog {
  group: string;
  index: number;
  lines: string[];
  /** The step it stopped at (lossFinl's epochs). */
  epochs: number;
}

/** A .out log's models in order, each under its group's header; the first line (engine and version) aside. */
function modelsIn(log: string): ModelLog[] {
  let group = '';
  const models: ModelLog[] = [];
  for (const line of log.trimEnd().split('\n').slice(1)) {
    const header = /^(\S+) training \.\.\.$/.exec(line);
    if (header) {
      group = header[1];
      continue;
    }
    const init = /^iMod: (\d+) {2}lossInit: /.exec(line);
    if (init) models.push({ group, index: Number(init[1]), lines: [], epochs: -1 });
    const model = models[models.length - 1];
    model.lines.push(line);
    const epochs = / {2}epochs: (\d+)$/.exec(line);
    if (epochs) model.epochs = Number(epochs[1]);
  }
  return models;
}

const TENSOR = /tensor\(([^)]*)\)/g;
const valueOf = (text: string) => (text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text));
const close = (a: number, b: number) =>
  (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a));

/** Two lines agree: the same text around their tensors, and each tensor's value within TOLERANCE. */
function agree(labLine: string, torchLine: string): boolean {
  if (labLine.replace(TENSOR, 'tensor()') !== torchLine.replace(TENSOR, 'tensor()')) return false;
  const torchValues = [...torchLine.matchAll(TENSOR)].map((m) => valueOf(m[1]));
  return [...labLine.matchAll(TENSOR)].every((m, k) => close(valueOf(m[1]), torchValues[k]));
}

const stepOf = (line: string) => Number(/^i: (\d+) ,/.exec(line)?.[1] ?? -1);

/**
 * Where PyTorch's log departs from the lab's, in one line (null where they agree). A model that stops a
 * step apart, its loss within NEAR_LIMIT of the limit there (`nearLimit`), agrees on the steps before; in
 * torch mode the one stream is then a batch apart for the models after it, which are not compared.
 */
function departure(
  labModels: ModelLog[],
  torchModels: ModelLog[],
  nearLimit: (model: ModelLog, step: number) => boolean,
  sharedStream: boolean,
): string | null {
  for (let k = 0; k < Math.max(labModels.length, torchModels.length); k++) {
    const [a, b] = [labModels[k], torchModels[k]];
    const name = (m: ModelLog | undefined) => (m ? `${m.group}#${m.index}` : 'nothing');
    if (!a || !b || a.group !== b.group || a.index !== b.index) return `the lab logs ${name(a)}, PyTorch ${name(b)}`;
    const apart = a.epochs !== b.epochs;
    const stop = Math.min(a.epochs, b.epochs);
    if (apart && (Math.abs(a.epochs - b.epochs) !== 1 || !nearLimit(a, stop)))
      return `${name(a)}: the lab stops at step ${a.epochs}, PyTorch at ${b.epochs}`;
    // a step apart: the lossInit and the steps before the first stop
    const compared = (lines: string[]) => (apart ? lines.filter((l, n) => n === 0 || (stepOf(l) >= 0 && stepOf(l) < stop)) : lines);
    const [la, lb] = [compared(a.lines), compared(b.lines)];
    const n = la.findIndex((line, i) => lb[i] === undefined || !agree(line, lb[i]));
    if (n >= 0 || la.length !== lb.length)
      return `${name(a)}: the lab prints "${la[n] ?? 'nothing'}", PyTorch "${lb[n < 0 ? la.length : n] ?? 'nothing'}"`;
    if (apart && sharedStream) return null;
  }
  return null;
}

/** The lab's validation loss of one model at one step, unrounded, from its own training loop (no log has it). */
function labLossAt({ preset, streams }: Expanded, model: ModelLog, step: number): number {
  const exp = experimentOf(preset, streams);
  const ref = exp.models.find((m) => m.group === model.group && m.index === model.index)!;
  let loss = NaN;
  const hooks = (r: ModelRef) => ({
    ...quietHooks,
    trace: r.id === ref.id ? (i: number, _t: number, v: number) => i === step && (loss = v) : undefined,
  });
  const train = makeTrainer(exp, 'fused', hooks, null);
  if (preset.rng === 'per-model') trainOwnStreams(exp, [ref], train);
  else {
    let done = false;
    trainTorchStream(
      exp,
      train,
      () => done,
      (r) => (done = r.id === ref.id),
    );
  }
  return loss;
}

/** A number a person would write, min to max in a thousand steps: none of float32's subnormals, where PyTorch and the lab part. */
const real = (min: number, max: number) => fc.integer({ min: 0, max: 1000 }).map((n) => min + ((max - min) * n) / 1000);
/** A rate from min to max, evenly on a log scale. */
const rate = (min: number, max: number) => fc.integer({ min: 0, max: 100 }).map((n) => min * (max / min) ** (n / 100));
const int = (min: number, max: number) => fc.integer({ min, max });
/** Zero (PyTorch's default, left out of the script) or a rate up to max. */
const zeroOr = (max: number) => fc.oneof(fc.constant(0), rate(1e-4, max));

// Rates where training is stable: where it is chaotic (Adam with β1 near 0 at its largest steps, say), float32's
// and float64's roundings grow into different trajectories, which no script could help.
const sgd = fc
  .record({
    kind: fc.constant('sgd' as const),
    lr: rate(1e-3, 0.05),
    momentum: zeroOr(0.5),
    dampening: zeroOr(0.5),
    nesterov: fc.boolean(),
  })
  .chain((o) =>
    fc.record({ weightDecay: zeroOr(0.01) }).map((w) => ({ ...o, ...w, nesterov: o.nesterov && o.momentum > 0 && o.dampening === 0 })),
  );
const adam = fc.record({
  kind: fc.constant('adam' as const),
  lr: rate(1e-4, 0.005),
  beta1: fc.oneof(fc.constant(0.9), real(0.5, 0.95)),
  beta2: fc.oneof(fc.constant(0.999), real(0.9, 0.9999)),
  eps: fc.oneof(fc.constant(1e-8), rate(1e-8, 1e-4)),
  weightDecay: zeroOr(0.01),
});
const schedule = fc.oneof(
  fc.constant({ kind: 'constant' as const }),
  fc.record(
    {
      kind: fc.constant('cyclic' as const),
      mode: fc.constantFrom(...CYCLIC_MODES),
      baseLr: rate(1e-4, 0.01),
      maxLr: rate(0.01, 0.05),
      stepSizeUp: int(1, 60),
      stepSizeDown: int(1, 60),
      gamma: real(0.99, 1),
      cycleMomentum: fc.boolean(),
      baseMomentum: real(0.5, 0.8),
      maxMomentum: real(0.8, 0.9),
    },
    { requiredKeys: ['kind', 'mode', 'baseLr', 'maxLr', 'stepSizeUp', 'cycleMomentum'] },
  ),
  fc.record({ kind: fc.constant('step' as const), stepSize: int(1, 100), gamma: real(0.1, 1) }),
  fc.record({ kind: fc.constant('cosine' as const), tMax: int(1, 100), etaMin: zeroOr(1e-3) }),
);
/** Names a Python script would trip on: keywords, its own names, one class's capital twin, quotes, digits first, no ASCII. */
const GROUP_NAMES = ['models', 'modelsB', 'Models', 'None', 'inputs', 'net-2', '2wide', "it's", 'ünï'];
const group = fc
  .record({
    models: int(1, 3),
    hidden: fc.array(int(1, 16), { maxLength: 2 }),
    activation: fc.oneof(
      fc.record({ kind: fc.constant('leaky_relu' as const), negativeSlope: real(0, 0.3) }),
      fc.constantFrom({ kind: 'relu' as const }, { kind: 'tanh' as const }, { kind: 'sigmoid' as const }, { kind: 'linear' as const }),
    ),
    outputActivation: fc.boolean(),
    init: fc.constantFrom(...INITS),
    data: fc.oneof(
      fc.record({ kind: fc.constantFrom('fresh' as const, 'fixed' as const), batchSize: int(1, 64) }),
      fc.constant({ kind: 'grid' as const }),
    ),
    optimizer: fc.oneof(sgd, adam),
    schedule,
  })
  .map((g) =>
    g.schedule.kind === 'cyclic' && g.optimizer.kind === 'adam' ? { ...g, schedule: { ...g.schedule, cycleMomentum: false } } : g,
  );
const target = fc.oneof(
  fc.record({ kind: fc.constant('step' as const), threshold: real(0, 1), low: real(-1, 1), high: real(-1, 1) }),
  fc.record({ kind: fc.constant('ramp' as const), from: real(0, 0.49), to: real(0.5, 1), low: real(-1, 1), high: real(-1, 1) }),
  fc.record({ kind: fc.constant('abs' as const), center: real(0, 1) }),
  fc.record({ kind: fc.constant('sine' as const), cycles: real(0.2, 2), amplitude: real(0, 1), offset: real(-0.5, 0.5) }),
  fc
    .uniqueArray(real(-0.2, 1.2), { minLength: 2, maxLength: 5 })
    .chain((xs) => fc.array(real(-1, 1), { minLength: xs.length, maxLength: xs.length }).map((ys) => ({ xs, ys })))
    .map(({ xs, ys }) => ({
      kind: 'piecewise-linear' as const,
      points: [...xs].sort((p, q) => p - q).map((x, k): [number, number] => [x, ys[k]]),
    })),
);
const generated = fc
  .record({
    seed: fc.oneof(fc.nat(), fc.maxSafeNat()),
    rng: fc.constantFrom('torch' as const, 'per-model' as const),
    target,
    points: int(2, 400),
    maxSteps: int(100, 300),
    lossLimit: zeroOr(0.05),
    logged: fc.subarray([0, 1, 2]),
    steps: fc.oneof(fc.constantFrom('seed' as const, 'none' as const), fc.record({ every: int(1, 100) })),
    groups: fc.uniqueArray(fc.tuple(fc.constantFrom(...GROUP_NAMES), group), { minLength: 1, maxLength: 2, selector: ([name]) => name }),
  })
  .map((p): PresetInput => ({
    format: 'minima-lab-preset',
    version: 2,
    name: 'generated',
    seed: p.seed,
    rng: p.rng,
    target: p.target,
    validation: { points: p.points },
    stop: { maxSteps: p.maxSteps, lossLimit: p.lossLimit },
    log: { models: p.logged.filter((m) => p.groups.some(([, g]) => m < g.models)), steps: p.steps },
    groups: p.groups.map(([name, g]) => ({ name, ...g })),
  }));

/** One script to run and the lab's log to hold it to: a preset file, the export's own options, and which models the script trains. */
interface Case {
  name: string;
  preset: string;
  choice: string[];
  labOut: string;
  expanded: Expanded;
  script: string;
  torchOut: string;
  /** The models of the lab's log the script trains (all but for --group and --cell). */
  trains: (m: ModelLog) => boolean;
}

const dir = mkdtempSync(join(tmpdir(), 'minima-torch-'));
const cases: Case[] = [];
let python: { status: number | null; stderr: string };

function addCase(
  name: string,
  preset: string,
  options: { labOut?: string; choice?: string[]; trains?: (m: ModelLog) => boolean } = {},
): Case {
  const c = {
    name,
    preset,
    choice: options.choice ?? [],
    labOut: options.labOut ?? join(dir, `${name}.lab.out`),
    expanded: parseAndExpand(readJson(preset), preset),
    script: join(dir, `${name}.py`),
    torchOut: join(dir, `${name}.torch.out`),
    trains: options.trains ?? (() => true),
  };
  cases.push(c);
  return c;
}

function written(name: string, preset: unknown): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(preset));
  return file;
}

function departureOf(c: Case): string | null {
  const lab = modelsIn(readFileSync(c.labOut, 'utf8')).filter(c.trains);
  const torch = modelsIn(readFileSync(c.torchOut, 'utf8'));
  const { stop, rng } = c.expanded.preset;
  const nearLimit = (m: ModelLog, step: number) => Math.abs(labLossAt(c.expanded, m, step) - stop.lossLimit) <= NEAR_LIMIT;
  const found = departure(lab, torch, nearLimit, rng === 'torch');
  return found && `${c.name}: ${found}`;
}

describe('lab export torch, run by PyTorch', () => {
  beforeAll(async () => {
    const steps = (file: string, maxSteps: number) => {
      const preset = readJson<Record<string, any>>(file);
      return { ...preset, stop: { ...preset.stop, maxSteps } };
    };
    for (const name of BUILT_IN) addCase(name, written(name, steps(join(PRESETS, `${name}.json`), 300)));
    const sweep = written('sweep', { ...steps(SWEEP, 200), groups: [{ ...readJson<any>(SWEEP).groups[0], models: 2 }] });
    const whole = addCase('sweep', sweep);
    addCase('sweep-cell', sweep, {
      labOut: whole.labOut,
      choice: ['--cell', 'net_16_CyclicLR'],
      trains: (m) => m.group === 'net_16_CyclicLR',
    });
    const perModel = written('seed-per-model', { ...steps(SEED, 300), rng: 'per-model' });
    addCase('seed-per-model', perModel);
    addCase('seed-group', perModel, {
      labOut: join(dir, 'seed-per-model.lab.out'),
      choice: ['--group', 'modelsB'],
      trains: (m) => m.group === 'modelsB',
    });
    fc.sample(generated, { numRuns: RUNS, seed: 20261206 }).forEach((p, k) =>
      addCase(`generated-${k}`, written(`generated-${k}`, { ...p, name: `generated ${k}` })),
    );

    for (const c of cases) expect(await lab(['export', 'torch', c.preset, ...c.choice, '--out', c.script])).toMatchObject({ status: 0 });
    const done = new Promise<typeof python>((resolve) => {
      const child = spawn(PYTHON, ['-X', 'dev', '-W', 'error', RUNNER, ...cases.flatMap((c) => [c.script, c.torchOut])]);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    // the lab meanwhile, on the other core
    for (const labOut of new Set(cases.map((c) => c.labOut))) {
      const c = cases.find((x) => x.labOut === labOut)!;
      const run = await lab(['run', c.preset, '--backend', 'fused', '--workers', '1', '--out', labOut], BUNDLED_WORKER);
      expect(run.stderr).toBe('');
    }
    python = await done;
  }, 600_000);

  it('runs every script under python3 -X dev -W error without a warning', () => {
    expect(python).toEqual({ status: 0, stderr: '' });
  });

  it("prints lab run's log for each built-in preset without a sweep, 300 steps", () => {
    expect(cases.filter((c) => BUILT_IN.includes(c.name)).map(departureOf)).toEqual(BUILT_IN.map(() => null));
  });

  it('prints a sweep’s log whole, or one cell’s with --cell; one group’s with --group (per-model streams)', () => {
    const named = ['sweep', 'sweep-cell', 'seed-per-model', 'seed-group'];
    expect(named.map((name) => departureOf(cases.find((c) => c.name === name)!))).toEqual(named.map(() => null));
  });

  it(`prints lab run's log for ${RUNS} generated presets: every optimizer, schedule, target, batch kind, activation and init`, () => {
    const generatedCases = cases.filter((c) => c.name.startsWith('generated-'));
    expect(generatedCases).toHaveLength(RUNS);
    expect(generatedCases.map(departureOf).filter((d) => d !== null)).toEqual([]);
  });
});

describe('a PyTorch log held to the lab’s', () => {
  const log = (...lines: string[]) => ['engine', 'g training ...', ...lines].join('\n');
  const lab = log(
    'iMod: 0  lossInit: tensor(0.9010)',
    'i: 0 , lossTrain: tensor(0.9312) , lossVal: tensor(0.9010)',
    'i: 7 , lossTrain: tensor(0.0051) , lossVal: tensor(0.0050)',
    'iMod: 0  lossFinl: tensor(0.0050)  epochs: 7',
  );
  const held = (torch: string, nearLimit = false) => departure(modelsIn(lab), modelsIn(torch), () => nearLimit, true);

  it('takes values within 2e-4, and a stop a step apart only where the loss there is at the limit', () => {
    expect(held(lab.replace('0.9312', '0.9314'))).toBeNull();
    expect(held(lab.replace('0.9312', '0.9315'))).toBe(
      'g#0: the lab prints "i: 0 , lossTrain: tensor(0.9312) , lossVal: tensor(0.9010)", PyTorch "i: 0 , lossTrain: tensor(0.9315) , lossVal: tensor(0.9010)"',
    );
    const later = log(
      'iMod: 0  lossInit: tensor(0.9010)',
      'i: 0 , lossTrain: tensor(0.9312) , lossVal: tensor(0.9010)',
      'i: 8 , lossTrain: tensor(0.0050) , lossVal: tensor(0.0050)',
      'iMod: 0  lossFinl: tensor(0.0050)  epochs: 8',
    );
    expect(held(later, true)).toBeNull();
    expect(held(later)).toBe('g#0: the lab stops at step 7, PyTorch at 8');
    expect(held(later.replaceAll('8', '9'), true)).toBe('g#0: the lab stops at step 7, PyTorch at 9');
  });

  it("knows the lab's unrounded loss at a step: the seed's first and last models' at step 0 are its document's lossInit", () => {
    const expanded = parseAndExpand({ ...readJson<any>(SEED), stop: { maxSteps: 1, lossLimit: 0.005 } });
    const at = (group: string, index: number) => labLossAt(expanded, { group, index, lines: [], epochs: 0 }, 0);
    expect(at('models', 0)).toBeCloseTo(0.901, 4);
    expect(at('modelsB', 9)).toBeCloseTo(0.398, 4);
  });

  it('takes no line more or less, and no other model', () => {
    expect(held(lab.replace('\ni: 0 , lossTrain: tensor(0.9312) , lossVal: tensor(0.9010)', ''))).toMatch(/^g#0: the lab prints "i: 0 /);
    expect(held(lab.replace('iMod: 0 ', 'iMod: 1 '))).toBe('the lab logs g#0, PyTorch g#1');
    expect(held(log())).toBe('the lab logs g#0, PyTorch nothing');
  });
});

describe('lab export torch', () => {
  it("round trip (README): the seed exported with --max-steps 2001, run by python3, prints lab run's .out line for line", () => {
    const [script, labOut] = [join(dir, 'seed.py'), join(dir, 'seed.lab.out')];
    expect(labProcess(['export', 'torch', SEED, '--max-steps', '2001', '--out', script]).status).toBe(0);
    const ran = spawnSync(PYTHON, [script], { encoding: 'utf8' });
    expect(ran.stderr).toBe('');
    expect(labProcess(['run', SEED, '--max-steps', '2001', '--out', labOut]).status).toBe(0);
    const labLog = readFileSync(labOut, 'utf8');
    expect(ran.stdout.split('\n')[0]).toMatch(
      new RegExp(`^PyTorch 1\\.13\\S*, exported from Minima Lab ${PACKAGE_VERSION.replaceAll('.', '\\.')}$`),
    );
    expect(ran.stdout.split('\n')).toHaveLength(labLog.split('\n').length);
    expect(departure(modelsIn(labLog), modelsIn(ran.stdout), () => false, true)).toBeNull();
  }, 300_000);

  it('gives the same script byte for byte for the same preset: the seed’s is docs/seed-run/seed-narrow-vs-wide.py', () => {
    const [first, second] = [labProcess(['export', 'torch', SEED]), labProcess(['export', 'torch', SEED])];
    expect(first.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).toBe(readFileSync(join(ROOT, 'docs/seed-run/seed-narrow-vs-wide.py'), 'utf8'));
  });

  it('refuses in one line a number float32 cannot hold, a group that cannot train alone, a group or cell the preset does not have', async () => {
    const refusal = async (args: string[]) => {
      const r = await lab(['export', 'torch', ...args]);
      expect([r.status, r.stdout]).toEqual([2, '']);
      return r.stderr;
    };
    expect(await refusal([SEED, '--group', 'modelsB'])).toBe(
      `lab: ${SEED}: --group modelsB: with rng torch every model of every group draws from one stream, so one group cannot train alone: export the whole preset, or give it per-model streams (rng per-model)\n`,
    );
    expect(await refusal([SEED, '--group', 'wide'])).toBe(
      `lab: ${SEED}: --group wide: the preset has no group wide (its groups: models, modelsB)\n`,
    );
    expect(await refusal([SEED, '--cell', 'models_1'])).toBe(
      `lab: ${SEED}: --cell models_1: the preset has no sweep, so no cells (--group picks one of its groups)\n`,
    );
    const slope = written('tiny-slope', {
      ...readJson<any>(SEED),
      groups: readJson<any>(SEED).groups.map((g: any, k: number) =>
        k ? { ...g, activation: { kind: 'leaky_relu', negativeSlope: 1e-50 } } : g,
      ),
    });
    expect(await refusal([slope])).toBe(
      `lab: ${slope}: groups[1].activation.negativeSlope: 1e-50 is too small for float32 (its normal numbers start at 1.2e-38), in which PyTorch holds it: rounded there, it trains another network than the lab, which holds it in float64\n`,
    );
    expect(await refusal([SWEEP, '--cell', 'net_32_CyclicLR'])).toBe(
      `lab: ${SWEEP}: --cell net_32_CyclicLR: the sweep has no cell net_32_CyclicLR (its cells: net_1_SGD-0.1, net_1_CyclicLR, net_2_SGD-0.1, net_2_CyclicLR, net_3_SGD-0.1, net_3_CyclicLR, …)\n`,
    );
  });

  it('names a command line it cannot take, with its usage', async () => {
    const usage = 'usage: lab export torch <preset.json> [--out FILE.py] [--max-steps N] [--group NAME] [--cell NAME]';
    for (const [args, problem] of [
      [[], 'expected what to export: lab export torch <preset.json> writes a preset as a PyTorch script'],
      [['pytorch', SEED], "unknown export 'pytorch': lab export torch <preset.json> writes a preset as a PyTorch script"],
      [['torch'], 'expected one preset file after torch, got 0'],
      [['torch', SEED, '--max-steps', '0'], "--max-steps: expected an integer >= 1, got '0'"],
    ] as const) {
      const r = await lab(['export', ...args]);
      expect([r.status, r.stderr.split('\n').slice(0, 2)]).toEqual([2, [`lab: ${problem}`, usage]]);
    }
  });
});
