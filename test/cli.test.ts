// The headless CLI as a user runs it: mostly in this process through main, the executable itself where a
// process matters (exit codes, Ctrl-C), real files in a temporary directory. Past 350 lines: one command's
// behaviours, kept together.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunResultSchema, type RunResult } from '../core/results/events.ts';
import { EXPORT_SIDE, MAX_EXPORT_PIXELS, MAX_PIXEL_RATIO } from '../core/charts/request.ts';
import { MAX_WORKERS } from '../core/preset/preset.ts';
import { parseCommand } from '../electron/cli/args.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { DirectKernel } from '../electron/engine/kernels/direct.ts';
import type { Landscape } from '../core/results/landscape.ts';
import { NpzError, readNpz } from '../electron/storage/npz.ts';
import { LAB, PACKAGE_VERSION, PRESETS, readJson, ROOT } from './helpers.ts';
import { lab, labProcess } from './lab.ts';

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const tmp = () => mkdtempSync(join(tmpdir(), 'minima-cli-'));
const SEED = join(PRESETS, 'seed-narrow-vs-wide.json');

describe('lab run', () => {
  it("reproduces the seed document's 20 lossInit values", async () => {
    const r = await lab(['run', SEED, '--max-steps', '1']);
    expect(r.status).toBe(0);
    const inits = [...r.stdout.matchAll(/lossInit: tensor\(([\d.]+)\)/g)].map((m) => m[1]);
    // From the seed document's own output (its initial weights come from PyTorch's CPU generator).
    expect(inits).toEqual([
      '0.9010',
      '0.1979',
      '0.7612',
      '0.9003',
      '0.9020',
      '0.1526',
      '0.0940',
      '0.8540',
      '0.9013',
      '0.4250',
      '0.8999',
      '0.8238',
      '0.2943',
      '0.3555',
      '0.4646',
      '0.9003',
      '0.7196',
      '0.8966',
      '0.8642',
      '0.3980',
    ]);
  });

  it('writes the .out log, the JSON result and a summary table; --max-steps 2001 ends at epochs 2000', async () => {
    const dir = tmp();
    const r = await lab([
      'run',
      SEED,
      '--max-steps',
      '2001',
      '--rng',
      'per-model',
      '--workers',
      '2',
      '--out',
      join(dir, 'run.out'),
      '--json',
      join(dir, 'run.json'),
    ]);
    expect(r.status).toBe(0);
    const out = readFileSync(join(dir, 'run.out'), 'utf8');
    expect(r.stdout.startsWith(out)).toBe(true);
    expect(out.split('\n')[0]).toBe(`Minima Lab ${PACKAGE_VERSION}, backend fused-simd`);
    expect(out).toMatch(/i: 2000 , lossTrain: tensor\(.+\) , lossVal: tensor\(.+\)\niMod: 0  lossFinl: tensor\(.+\)  epochs: 2000\n/);
    const result = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunResult;
    expect(readdirSync(dir).sort()).toEqual(['run.json', 'run.out']); // written whole: no temporary file left
    expect(result.preset.stop.maxSteps).toBe(2001);
    expect(result.preset.rng).toBe('per-model');
    expect(result.models).toHaveLength(20);
    for (const m of result.models) {
      expect(['reached', 'capped']).toContain(m.status);
      expect(m.curves.step.length).toBeLessThan(400);
      expect(m.curves.step[0]).toBe(0);
      expect(m.curves.step[m.curves.step.length - 1]).toBe(m.steps);
    }
    expect(r.stdout).toContain(
      '\nloss limit 0.005; plateaus: best line 0.0658, best constant 0.0901, zero output 0.8998; steps capped at 2,001; intervals 95 % (Wilson; Kaplan–Meier)\n',
    );
    expect(r.stdout).toMatch(
      /\ngroup +models +reached +reach rate \[95 % CI\] +median steps to reach \[95 % CI\] +below line +elsewhere +final losses\n/,
    );
    expect(r.stdout).toMatch(/\nmodels +10 /);
  });

  it.each([
    [['run'], /^lab: expected one preset file, got 0\n/],
    [['run', SEED, '--max-steps', 'lots'], /^lab: --max-steps: expected an integer >= 1, got 'lots'\n/],
    [
      ['run', SEED, '--backend', 'gpu'],
      /^lab: --backend: expected one of auto, fused, fused-simd, direct, tfjs, tfjs-wasm, tfjs-cpu, webgpu, got 'gpu'\n/,
    ],
    [
      ['run', SEED, '--frobnicate'],
      `lab: unknown option --frobnicate; lab run takes --out, --json, --table, --models, --csv, --snapshots, --max-steps, --seed, --rng, --workers, --backend, --shard\n`,
    ],
    [['run', SEED, '--max-step', '10'], 'lab: unknown option --max-step (did you mean --max-steps?)\n'],
    [
      ['run', SEED, '--json', '--csv', 'x.csv'],
      "lab: --json: expected a value, got '--csv', which reads as an option (a value that starts with - goes as --json=--csv)\n",
    ],
    [['run', SEED, '--json', ''], 'lab: --json: expected a value\n'], // an unset $VAR: not a run that writes nothing
    [['run', SEED, '-workers', '2'], /^lab: unknown option -workers: lab's options start with -- \(--out, /],
    [
      ['run', SEED, '--seed', '99999999999999999999'],
      "lab: --seed: expected an integer from 0 to 9,007,199,254,740,991, got '99999999999999999999'\n",
    ],
    [['rn', SEED], /^lab: unknown command 'rn' \(did you mean run\?\)\nusage: lab run .*\n +lab merge /s],
    [['chart', 'result.json', '--chart', 'loss', '--out', 'x.pdf'], 'lab: --out x.pdf: expected a file name ending in .png or .svg\n'],
    [
      ['chart', 'result.json', '--chart', 'loss', '--format', 'svg', '--out', 'x.png'],
      'lab: --format svg with --out x.png: a .png file; name it .svg, or leave out --format\n',
    ],
    [
      ['chart', 'result.json', '--chart', 'loss', '--statistic', 'escape', '--out', 'x.png'],
      'lab: --statistic: only for --chart heatmap (this is --chart loss)\n',
    ],
    [
      ['chart', 'result.json', '--chart', 'finals', '--step', '5', '--out', 'x.png'],
      'lab: --step: only for --chart fit, loss, bands, lr, kinks (this is --chart finals)\n',
    ],
    [
      ['chart', 'result.json', '--chart', 'loss', '--units', '--out', 'x.png'],
      'lab: --units: only for --chart fit (this is --chart loss)\n',
    ],
    [
      ['chart', 'result.json', '--chart', 'fit', '--units', '--no-units', '--out', 'x.png'],
      'lab: --units and --no-units: give one or the other\n',
    ],
    [
      ['chart', 'result.json', '--chart', 'reach', '--linear-steps', '--out', 'x.png'],
      'lab: --linear-steps: only for --chart loss, bands, lr (this is --chart reach)\n',
    ],
    // several results: compared in the bands, reach and finals charts only
    [
      ['chart', 'a.json', 'b.json', '--chart', 'lr', '--out', 'x.png'],
      'lab: --chart lr draws one result, not 2: several are compared in --chart bands, reach, finals\n',
    ],
    [
      ['chart', 'a.json', 'b.json', '--chart', 'bands', '--step', '5', '--out', 'x.png'],
      'lab: --step: only with one result (this compares 2)\n',
    ],
    [
      ['chart', ...Array.from({ length: 9 }, (_, k) => `${k}.json`), '--chart', 'bands', '--out', 'x.png'],
      'lab: expected at most 8 results to compare, got 9\n',
    ],
    [['fly'], /^lab: unknown command 'fly'\n/],
    // the app's limits (the IPC contract's): a run's workers, a chart's size, density and pixels
    [
      ['run', SEED, '--workers', `${MAX_WORKERS + 1}`],
      `lab: --workers: expected an integer from 1 to ${MAX_WORKERS}, got '${MAX_WORKERS + 1}'\n`,
    ],
    ...[`${EXPORT_SIDE.max + 1}x1080`, `1920x${EXPORT_SIDE.min - 1}`].map((size) => [
      ['chart', 'result.json', '--chart', 'loss', '--out', 'x.png', '--size', size],
      `lab: --size: expected WIDTHxHEIGHT such as 1920x1080, each from ${EXPORT_SIDE.min} to ${EXPORT_SIDE.max}, got '${size}'\n`,
    ]),
    [
      ['chart', 'result.json', '--chart', 'loss', '--out', 'x.png', '--pixel-ratio', `${MAX_PIXEL_RATIO + 1}`],
      `lab: --pixel-ratio: expected an integer from 1 to ${MAX_PIXEL_RATIO}, got '${MAX_PIXEL_RATIO + 1}'\n`,
    ],
    [
      ['chart', 'result.json', '--chart', 'loss', '--out', 'x.png', '--size', '3840x2160', '--pixel-ratio', '3'],
      `lab: --size 3840x2160 at --pixel-ratio 3: 74,649,600 pixels, at most ${MAX_EXPORT_PIXELS.toLocaleString('en-US')}: a smaller --size or --pixel-ratio\n`,
    ],
  ] as [string[], RegExp | string][])('rejects bad usage with one line and exit code 2: %j', async (args, message) => {
    const r = await lab(args);
    expect(r.status).toBe(2);
    // the one line, then the usage of that command only
    if (typeof message === 'string')
      expect(r.stderr).toMatch(
        new RegExp(
          `^${escaped(message)}usage: lab ${args[0]} [^\\n]*\\n( {14}[^\\n]*\\n)*\\(lab --help: every command and what it does\\)\\n$`,
        ),
      );
    else expect(r.stderr).toMatch(message);
  });

  it('is an executable whose exit code and output are what main returns and writes', async () => {
    const help = labProcess(['--help']);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toBe((await lab(['--help'])).stdout);
    const typo = labProcess(['rn']);
    expect(typo.status).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe((await lab(['rn'])).stderr);
    expect(typo.stderr).toMatch(/^lab: .*'rn' \(did you mean run\?\)\n/);
  });

  it('prints what each command does with --help, exit code 0', async () => {
    const all = await lab(['--help']);
    expect(all.status).toBe(0);
    for (const command of ['run', 'merge', 'worker', 'submit', 'chart']) expect(all.stdout).toContain(`\nlab ${command}: `);
    const run = await lab(['run', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^lab run: trains a preset .*\n\nusage: lab run <preset\.json> .*--max-steps N/s);
    expect(run.stdout).not.toContain('lab chart');
    expect((await lab(['help', 'run'])).stdout).toBe(run.stdout);
  });

  it('takes every lab command line shown in the README and docs as it is written there', () => {
    const files = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => join('docs', f)),
    ];
    const shown = files.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap(
        // a shell comment starts a word: modelsB#3 is one argument
        ([, block]) =>
          [...block.matchAll(/^(?:npm run lab -- |npx lab |lab )(.*?)(?:\s#.*)?$/gm)].map(([, line]) => ({ file, line: line.trim() })),
      ),
    );
    expect(shown.length).toBeGreaterThanOrEqual(10);
    for (const { file, line } of shown) {
      const args = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((t) => t[1] ?? t[2]);
      expect(() => parseCommand(args), `${file}: lab ${line}`).not.toThrow();
    }
    // main.ts only defines the commands: a script that runs it does nothing (lab.ts, or out/lab/lab.mjs, is lab)
    for (const file of files) expect(readFileSync(join(ROOT, file), 'utf8'), file).not.toMatch(/(tsx|node)[^\n`]* electron\/cli\/main\.ts/);
  });

  it("writes each model's snapshots as .npz that NumPy loads in one line, and the result names the file", async () => {
    const dir = tmp();
    const [json, npz] = [join(dir, 'run.json'), join(dir, 'snapshots', 'run.npz')];
    const r = await lab(['run', SEED, '--rng', 'per-model', '--max-steps', '301', '--json', json, '--snapshots', npz]);
    expect(r.status, r.stderr).toBe(0);
    const result = RunResultSchema.parse(JSON.parse(readFileSync(json, 'utf8')));
    expect(result.snapshotsFile).toBe(join('snapshots', 'run.npz'));
    // NumPy, the reader the format is for: every array's name, dtype, shape and values
    const python = `import json, sys, numpy as np
s = np.load(sys.argv[1])
print(json.dumps({k: [str(s[k].dtype), list(s[k].shape), s[k].tolist()] for k in s.files}))`;
    // a run whose models keep none (a network of 301 parameters) is told so before it trains, not given an empty file
    const seed = JSON.parse(readFileSync(SEED, 'utf8'));
    const wide = join(dir, 'wide.json');
    writeFileSync(wide, JSON.stringify({ ...seed, groups: [{ ...seed.groups[1], hidden: [100], models: 1 }] }));
    const none = await lab(['run', wide, '--backend', 'tfjs-cpu', '--max-steps', '2', '--snapshots', join(dir, 'none.npz')]);
    expect([none.status, none.stdout, existsSync(join(dir, 'none.npz'))]).toEqual([2, '', false]);
    expect(none.stderr).toBe(
      'lab: --snapshots: no model of this run keeps snapshots (they are kept for networks of at most 256 parameters, in a sweep for its curvesPerCell models of each cell)\n',
    );
    const loaded = spawnSync('/usr/bin/python3', ['-c', python, npz], { encoding: 'utf8' });
    expect(loaded.status, loaded.stderr).toBe(0);
    const arrays = JSON.parse(loaded.stdout) as Record<string, [string, number[], number[][] | number[]]>;
    expect(Object.keys(arrays)).toHaveLength(2 * result.models.length);
    for (const m of result.models) {
      const name = `${m.group}#${m.index}`;
      const [dtype, shape, rows] = arrays[name] as [string, number[], number[][]];
      const [stepsType, stepsShape, steps] = arrays[`${name}.steps`] as [string, number[], number[]];
      expect([dtype, stepsType, shape[1], stepsShape[0]]).toEqual(['float32', 'int64', m.initialParams.length, shape[0]]);
      // every step to 100, every step the curve keeps, the last; the first row the initial weights
      expect(steps.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      for (const step of m.curves.step) expect(steps).toContain(step);
      expect(steps.at(-1)).toBe(300);
      expect(rows[0]).toEqual(m.initialParams);
      expect(rows).toHaveLength(steps.length);
    }
  });

  it("lab landscape writes the plane around a model from its run's snapshots, with every number to recompute it", async () => {
    const dir = tmp();
    const [json, npz, out] = [join(dir, 'run.json'), join(dir, 'run.npz'), join(dir, 'plane.json')];
    expect((await lab(['run', SEED, '--rng', 'per-model', '--max-steps', '2001', '--json', json, '--snapshots', npz])).status).toBe(0);
    const r = await lab(['landscape', json, '--model', 'modelsB#3', '--directions', 'pca', '--grid', '5', '--json', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`wrote ${out} (5x5 points around modelsB#3 at step 2000, pca directions)\n`);
    const plane = readJson<Landscape>(out);
    const result = readJson<RunResult>(json);
    const model = result.models.find((m) => m.group === 'modelsB' && m.index === 3)!;
    expect([plane.model, plane.step, plane.alpha.length, plane.loss.length]).toEqual(['modelsB#3', 2000, 5, 5]);
    expect(plane.loss[2][2]).toBe(model.curves.lossVal.at(-1)); // its own validation loss at its last step
    // any point again, from the file's numbers alone, on the direct kernel
    const exp = experimentOf(result.preset);
    const group = result.preset.groups[model.groupIndex];
    for (const [i, j] of [
      [0, 4],
      [3, 1],
    ]) {
      const params = Float32Array.from(plane.params, (v, p) => v + plane.alpha[i] * plane.d1[p] + plane.beta[j] * plane.d2[p]);
      expect(Math.abs(new DirectKernel(group, params, exp.gridPoints).valLoss() / plane.loss[j][i] - 1)).toBeLessThan(1e-6);
    }
    // one line for what it cannot do
    const refusals: [string[], string][] = [
      [['--model', 'modelsB#30'], `lab: ${json}: no model modelsB#30 (its models are models#0, models#1, models#2, models#3, …)\n`],
      [['--model', 'modelsB'], "lab: --model: expected GROUP#INDEX (e.g. modelsB#3), got 'modelsB'\n"],
      [['--model', 'modelsB#3', '--grid', '4'], "lab: --grid: expected an odd number (the model's point is the centre one), got 4\n"],
      [
        ['--model', 'modelsB#3', '--step', '101'],
        /^lab: modelsB#3: it has no snapshot at step 101 \(it has 0, 1, 2, …, \d+, 2000\)\n$/ as never,
      ],
    ];
    for (const [args, message] of refusals) {
      const refused = await lab(['landscape', json, ...args, '--json', join(dir, 'x.json')]);
      expect(refused.status).toBe(2);
      if (typeof message === 'string') expect(refused.stderr.split('\n')[0] + '\n').toBe(message);
      else expect(refused.stderr.split('\n')[0] + '\n').toMatch(message);
    }
    const folder = join(dir, 'run-folder'); // a run folder whose run kept none
    mkdirSync(folder);
    copyFileSync(json, join(folder, 'result.json'));
    expect((await lab(['landscape', folder, '--model', 'modelsB#3', '--json', out])).stderr).toBe(
      `lab: ${folder}: this run kept no snapshots (they are kept for networks of at most 256 parameters)\n`,
    );
    const bare = join(dir, 'bare.json'); // a result written without --snapshots
    expect((await lab(['run', SEED, '--max-steps', '3', '--json', bare])).status).toBe(0);
    expect((await lab(['landscape', bare, '--model', 'models#0', '--json', out])).stderr).toBe(
      `lab: ${bare}: names no snapshots (lab run --json … --snapshots FILE.npz writes both)\n`,
    );
    // drawn: the plane at the asked size and density, the slice as SVG, the JSON the same numbers
    const [png, svg, again] = [join(dir, 'plane.png'), join(dir, 'slice.svg'), join(dir, 'again.json')];
    const drawnPlane = await lab([
      'landscape', json, '--model', 'modelsB#3', '--directions', 'pca', '--grid', '5', '--json', again,
      '--out', png, '--slice-out', svg, '--size', '800x450', '--pixel-ratio', '2', '--theme', 'dark',
    ]); // prettier-ignore
    expect(drawnPlane.status, drawnPlane.stderr).toBe(0);
    expect(drawnPlane.stderr.split('\n').slice(1)).toEqual([
      `wrote ${png} (landscape: png, 800x450 at 2x)`,
      `wrote ${svg} (slice: svg, 800x450)`,
      '',
    ]);
    expect(readJson<Landscape>(again)).toEqual(plane);
    const image = readFileSync(png);
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([1600, 900]);
    const slice = readFileSync(svg, 'utf8');
    expect(slice).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*width="800" height="450"/);
    expect(slice).toContain('Loss on the line from the initial to the final parameters of modelsB#3');
    expect(slice).toContain('initial (t = 0) and final (t = 1) parameters');
    const chartOnly = await lab(['landscape', json, '--model', 'modelsB#3', '--grid', '3', '--out', join(dir, 'only.svg')]);
    expect(chartOnly.stderr).toBe(`wrote ${join(dir, 'only.svg')} (landscape: svg, 1920x1080)\n`);
    expect(readFileSync(join(dir, 'only.svg'), 'utf8')).toContain('α: filter-normalised random direction 1 (seed 0)');
    const chartRefusals: [string[], string][] = [
      [[], 'lab: --json, --out or --slice-out: at least one is required (the landscape to write, or its charts)'],
      [['--json', out, '--size', '800x450'], 'lab: --size: only with --out or --slice-out (a chart to draw)'],
      [['--out', join(dir, 'plane.jpg')], `lab: --out ${join(dir, 'plane.jpg')}: expected a file name ending in .png or .svg`],
      [['--slice-out', join(dir, 'slice')], `lab: --slice-out ${join(dir, 'slice')}: expected a file name ending in .png or .svg`],
      [['--out', png, '--size', '10x10'], "lab: --size: expected WIDTHxHEIGHT such as 1920x1080, each from 64 to 8192, got '10x10'"],
      [
        ['--out', png, '--theme', 'pink'],
        "lab: --theme: expected one of light, dark, transparent-light, transparent-dark, transparent, got 'pink'",
      ],
    ];
    for (const [args, message] of chartRefusals) {
      const refused = await lab(['landscape', json, '--model', 'modelsB#3', ...args]);
      expect([refused.status, refused.stderr.split('\n')[0]]).toEqual([2, message]);
    }
    expect((await lab(['chart', json, '--chart', 'landscape', '--out', png])).stderr.split('\n')[0]).toBe(
      'lab: --chart landscape: lab landscape draws it, from the plane it computes (lab landscape RESULT --model GROUP#INDEX --out FILE.png)',
    );
    // the kink paths draw from the same snapshots, and refuse alike without them
    const kinks = await lab(['chart', json, '--chart', 'kinks', '--out', join(dir, 'kinks.svg')]);
    expect(kinks.status, kinks.stderr).toBe(0);
    const drawn = readFileSync(join(dir, 'kinks.svg'), 'utf8');
    expect(drawn).toContain('the target breaks at 0.1');
    expect(drawn).toContain('kinks of models #'); // the caption names the models drawn: their snapshots were read
    expect(drawn).not.toContain('no snapshots');
    expect((await lab(['chart', bare, '--chart', 'kinks', '--out', join(dir, 'x.svg')])).stderr).toBe(
      `lab: ${bare}: names no snapshots (lab run --json … --snapshots FILE.npz writes both)\n`,
    );
    // the fit chart at a step draws each --model as its snapshot there: at step 0, its initial weights
    const fitAt = (source: string, ...more: string[]) =>
      lab(['chart', source, '--chart', 'fit', '--model', 'modelsB#3', '--model', 'models#1', '--title', 'T', ...more]);
    const initial = join(dir, 'initial.json'); // the same result with its final weights made the initial ones
    const whole = readJson<RunResult>(json);
    writeFileSync(initial, JSON.stringify({ ...whole, models: whole.models.map((m) => ({ ...m, finalParams: m.initialParams })) }));
    expect((await fitAt(json, '--step', '0', '--out', join(dir, 'step0.svg'))).status).toBe(0);
    expect((await fitAt(initial, '--out', join(dir, 'initial.svg'))).status).toBe(0);
    const svgOf = (name: string) => readFileSync(join(dir, name), 'utf8').replace(/cl_[0-9a-f]+/g, 'cl'); // clip ids count up per drawing
    expect(svgOf('step0.svg')).toBe(svgOf('initial.svg'));
    expect((await fitAt(json, '--out', join(dir, 'final.svg'))).status).toBe(0);
    expect(svgOf('final.svg')).not.toBe(svgOf('initial.svg')); // and without --step, the final weights
    const titled = await lab(['chart', json, '--chart', 'fit', '--step', '57', '--out', join(dir, 'at57.svg')]);
    expect(titled.status).toBe(0);
    expect(readFileSync(join(dir, 'at57.svg'), 'utf8')).toContain('Fitted function at step 57');
    // one model drawn: its units under it, unless --no-units
    expect(svgOf('final.svg')).not.toContain('units live on [0, 1]'); // two models: none
    const one = (...more: string[]) => lab(['chart', json, '--chart', 'fit', '--model', 'modelsB#3', ...more]);
    expect((await one('--out', join(dir, 'units.svg'))).status).toBe(0);
    expect(svgOf('units.svg')).toMatch(/modelsB · 1→8→1[^#<]* #3: \d of 8 units live on \[0, 1\]/); // named as the legend names its group
    expect((await one('--no-units', '--out', join(dir, 'no-units.svg'))).status).toBe(0);
    expect(svgOf('no-units.svg')).not.toContain('units live on [0, 1]');
    // the charts against step mark it with a line: the kink paths of a run with snapshots, the loss of one without
    for (const [source, kind, step] of [
      [json, 'kinks', '57'],
      [bare, 'loss', '2'],
    ]) {
      const marked = await lab(['chart', source, '--chart', kind, '--step', step, '--out', join(dir, `${kind}-at.svg`)]);
      expect(marked.status, marked.stderr).toBe(0);
      expect(svgOf(`${kind}-at.svg`)).toContain(`>step ${step}<`);
    }
    expect((await lab(['chart', bare, '--chart', 'loss', '--step', '3', '--out', join(dir, 'x.svg')])).stderr).toBe(
      'lab: --step 3: beyond the run, whose last step is 2\n',
    );
    expect((await lab(['chart', bare, '--chart', 'fit', '--step', '1', '--out', join(dir, 'x.svg')])).stderr).toBe(
      `lab: ${bare}: names no snapshots (lab run --json … --snapshots FILE.npz writes both)\n`,
    );
    expect((await lab(['chart', json, '--chart', 'fit', '--model', 'modelsB#30', '--out', join(dir, 'x.svg')])).stderr).toBe(
      `lab: ${json}: no model modelsB#30 (its models are models#0, models#1, models#2, models#3, …)\n`,
    );
  });

  it('reads an .npz as NumPy writes it, and refuses a damaged one in one line', () => {
    const dir = tmp();
    const file = join(dir, 'numpy.npz');
    const python = `import numpy as np; np.savez("${file}", steps=np.array([0, 5, 9], dtype=np.int64), rows=np.arange(6, dtype=np.float32).reshape(2, 3) / 4)`;
    expect(spawnSync('/usr/bin/python3', ['-c', python], { encoding: 'utf8' }).status).toBe(0);
    const arrays = readNpz(readFileSync(file));
    expect(arrays.get('steps')).toEqual({ data: BigInt64Array.of(0n, 5n, 9n), shape: [3] });
    expect(arrays.get('rows')).toEqual({ data: Float32Array.of(0, 0.25, 0.5, 0.75, 1, 1.25), shape: [2, 3] });
    const npy = (header: string, bytes: number) => {
      const text = `{'descr': '<f4', 'fortran_order': ${header}, 'shape': (2, 3), }`.padEnd(117) + '\n';
      return new Uint8Array([0x93, ...Buffer.from('NUMPY'), 1, 0, text.length, 0, ...Buffer.from(text), ...new Uint8Array(bytes)]);
    };
    expect(() => readNpz(zipSync({ 'x.npy': npy('False', 20) }))).toThrow(new NpzError('x.npy: 20 bytes of data for <f4 of shape (2, 3)'));
    expect(() => readNpz(zipSync({ 'x.npy': npy('True', 24) }))).toThrow(/^x\.npy: expected a float32 or int64 array in C order/);
    expect(() => readNpz(Buffer.from('not a zip'))).toThrow(new NpzError('not a .npz file (not a zip archive)'));
    expect(readNpz(zipSync({ 'x.npy': npy('False', 24) })).get('x')?.shape).toEqual([2, 3]);
  });

  it('opens --out only once the run is accepted: a refused run leaves an earlier log as it was', async () => {
    const dir = tmp();
    const outFile = join(dir, 'run.out');
    writeFileSync(outFile, 'the earlier log\n');
    const r = await lab(['run', SEED, '--shard', '1/2', '--out', outFile]); // the seed's rng is torch: a shard is refused
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lab: training part of a run \(a shard, a queue job\) needs per-model random streams .*\n$/);
    expect(readFileSync(outFile, 'utf8')).toBe('the earlier log\n');
  });

  it('makes the folder of --out as --json does, and says in one line when --out cannot be written', async () => {
    const dir = tmp();
    const outFile = join(dir, 'new', 'deeper', 'run.out');
    const r = await lab(['run', SEED, '--max-steps', '1', '--out', outFile, '--json', join(dir, 'other', 'run.json')]);
    expect(r.status).toBe(0);
    expect(readFileSync(outFile, 'utf8').split('\n')[0]).toBe(`Minima Lab ${PACKAGE_VERSION}, backend fused-simd`);
    expect(existsSync(join(dir, 'other', 'run.json'))).toBe(true);
    const folder = await lab(['run', SEED, '--max-steps', '1', '--out', dir]); // a folder, not a file
    expect(folder.status).toBe(2);
    expect(folder.stderr).toBe(`lab: ${dir}: cannot write the file: it is a folder (EISDIR)\n`);
  });

  it('checks every output path before it trains: one line naming the file, nothing trained, no stack', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'seed.csv'), 'a file, not a folder');
    const underFile = join(dir, 'seed.csv', 'result.json');
    const r = await lab(['run', SEED, '--max-steps', '2', '--csv', join(dir, 'curves.csv'), '--json', underFile]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(''); // not one line of the log: it never trained
    expect(r.stderr).toBe(`lab: ${underFile}: cannot write the file: a folder on its path is a file (EEXIST)\n`);
    expect(readdirSync(dir)).toEqual(['seed.csv']); // nor left a probe behind
    const table = await lab(['run', SEED, '--max-steps', '2', '--table', dir]);
    expect(table.stdout).toBe('');
    expect(table.stderr).toBe(`lab: ${dir}: cannot write the file: it is a folder (EISDIR)\n`);
  });

  it('rejects a bad preset with one line naming the file and field, exit code 2', async () => {
    const dir = tmp();
    const file = join(dir, 'bad.json');
    const preset = JSON.parse(readFileSync(SEED, 'utf8'));
    preset.groups[1].schedule.maxLr = 'high';
    writeFileSync(file, JSON.stringify(preset));
    const r = await lab(['run', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`lab: ${file}: groups[1].schedule.maxLr: must be a number (not text)\n`);
    expect((await lab(['run', join(dir, 'missing.json')])).stderr).toBe(
      `lab: ${join(dir, 'missing.json')}: cannot read the file: no such file or folder (ENOENT)\n`,
    );
  });

  it('refuses a group named with control characters, and prints every message with them escaped, never raw to the terminal', async () => {
    const dir = tmp();
    const red = join(dir, 'red.json');
    const preset = JSON.parse(readFileSync(SEED, 'utf8'));
    preset.groups[0].name = 'models\u001b[31m\u0007';
    writeFileSync(red, JSON.stringify(preset));
    const refused = await lab(['run', red]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      `lab: ${red}: groups[0].name: "models\\u001b[31m\\u0007" holds a control character: names reach terminals, logs and spreadsheets\n`,
    );
    // a file's name, and a file's bytes: neither reaches the terminal raw
    const named = join(dir, 'x\u001b]0;title\u0007.json');
    expect((await lab(['run', named])).stderr).toBe(
      `lab: ${dir}/x\\u001b]0;title\\u0007.json: cannot read the file: no such file or folder (ENOENT)\n`,
    );
    writeFileSync(join(dir, 'screen.json'), '\u001b[2J\u001b[H{}');
    expect((await lab(['run', join(dir, 'screen.json')])).stderr).toBe(
      `lab: ${join(dir, 'screen.json')}: not valid JSON: an unexpected character at line 1, column 1\n`,
    );
  });

  it('names the file for a problem in it, and the overrides for one only they make', async () => {
    const sweep = join(PRESETS, 'sweep-width-vs-schedule.json');
    const overridden = await lab(['run', sweep, '--rng', 'torch']);
    expect(overridden.status).toBe(2);
    expect(overridden.stderr).toBe(
      `lab: ${sweep} (with command-line overrides): rng: a sweep needs per-model random streams (rng: per-model): each model’s stream comes from the seed, its cell and its index\n`,
    );
    const dir = tmp();
    const file = join(dir, 'torch-sweep.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(sweep, 'utf8')), rng: 'torch' }));
    const written = await lab(['run', file, '--rng', 'per-model']);
    expect(written.status).toBe(2);
    expect(written.stderr).toMatch(new RegExp(`^lab: ${escaped(file)}: rng: a sweep needs per-model random streams`));
  });

  it('stopped in its first group, names no group it never started: no header in the log, no steps in the summary, the stopped model as such', async () => {
    const child = spawn(process.execPath, [LAB, 'run', SEED], { cwd: ROOT }); // the seed's one stream: models, then modelsB
    let stdout = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('i: 30 ,')) resolve();
      }),
    );
    child.kill('SIGINT');
    expect(await new Promise<number | null>((resolve) => child.on('close', resolve))).toBe(130);
    expect(stdout).toContain('\nmodels training ...\n');
    expect(stdout).not.toContain('modelsB training ...');
    // each group's models kept of those it was to train; the one it stopped in no rate and no steps
    expect(stdout).toMatch(/\nmodels +1 of 10 +0 +– +– +0 +stopped 1 +1 at /);
    expect(stdout).toMatch(/\nmodelsB +0 of 10 +0 +– +– +0 +- +-\n/);
    expect(stdout).toContain('; stopped models: left out of the rates, censored in the steps\n');
  });

  // A terminal's Ctrl-C goes to the whole foreground process group: lab, and npm or npx above it. One press
  // stops the run: every output written, whole, and exit code 130. (`npm run lab` went through tsx, which
  // relays the signal to lab once more: the second Ctrl-C quit before --json was written.)
  it.each([
    ['the executable', [process.execPath, LAB]],
    ['npm run lab', ['npm', 'run', 'lab', '--']],
    ['npx lab', ['npx', 'lab']],
  ])(
    'stops on one Ctrl-C under %s, writing a valid partial log, result and curves',
    async (_, command) => {
      const dir = tmp();
      const files = { out: join(dir, 'partial.out'), json: join(dir, 'partial.json'), csv: join(dir, 'partial.csv') };
      const args = [
        'run',
        SEED,
        '--rng',
        'per-model',
        '--workers',
        '2',
        '--max-steps',
        '200001',
        ...['--out', files.out, '--json', files.json, '--csv', files.csv],
      ];
      const child = spawn(command[0], [...command.slice(1), ...args], { cwd: ROOT, detached: true }); // a process group of its own, as a terminal's job
      let stdout = '';
      child.stdout.setEncoding('utf8');
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          if (stdout.includes('lossFinl')) resolve(); // a model finished, 19 to go
        }),
      );
      process.kill(-child.pid!, 'SIGINT');
      // lab exits 130; npm and npx, once lab has, end by the signal itself, which a shell reports as 130 too
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      expect(code ?? signal).toBe(/npm|npx/.test(command[0]) ? 'SIGINT' : 130);

      const lines = readFileSync(files.out, 'utf8').split('\n');
      expect(lines.pop()).toBe(''); // ends on a whole line
      expect(lines[0]).toBe(`Minima Lab ${PACKAGE_VERSION}, backend fused-simd`);
      const shapes = [
        /^\w+ training \.\.\.$/,
        /^iMod: \d+  lossInit: tensor\(.+\)$/,
        /^i: \d+ , lossTrain: tensor\(.+\) , lossVal: tensor\(.+\)$/,
        /^iMod: \d+  lossFinl: tensor\(.+\)  epochs: \d+$/,
      ];
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines.slice(1))
        expect(
          shapes.some((s) => s.test(line)),
          line,
        ).toBe(true);
      const inits = lines.filter((l) => l.includes('lossInit')).length;
      const finals = lines.filter((l) => l.includes('lossFinl')).length;
      expect(finals).toBeGreaterThanOrEqual(1);
      expect(inits - finals).toBeLessThanOrEqual(1); // at most the model at the cursor is unfinished

      const result = RunResultSchema.parse(JSON.parse(readFileSync(files.json, 'utf8')));
      expect(result.stopped).toBe(true);
      expect(result.models).toHaveLength(finals); // those it stopped too, as the log ends them
      const csv = readFileSync(files.csv, 'utf8').trim().split('\n');
      expect(csv.length).toBeGreaterThan(result.models.length);
      expect(new Set(csv.slice(1).map((row) => row.split(',').length))).toEqual(new Set([csv[0].split(',').length]));
    },
    60_000,
  );
});

describe('lab submit', () => {
  it('refuses a torch-stream preset before it looks for Redis', async () => {
    const r = await lab(['submit', SEED, '--redis', 'redis://127.0.0.1:1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'lab: a run on a queue needs per-model random streams (rng: per-model): in torch mode every model’s batches depend on every model before it\n',
    );
  });
});

describe('lab worker', () => {
  it('never shows the Redis password: not when the URL is mistyped', async () => {
    const r = await lab(['worker', '--redis', 'redis//me:s3cret@127.0.0.1:6379']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--redis: expected a redis:// URL with a host, got 'redis//me:***@127.0.0.1:6379'");
    expect(r.stderr + r.stdout).not.toContain('s3cret');
  });
});
