// `lab animate` as a user runs it: a real run's result and snapshots in a temporary folder, the GIF read
// back with gifuct-js as a viewer shows it (each frame whole), and its one-line refusals.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { shownFrames } from './gif-frames.ts';
import { PRESETS } from './helpers.ts';
import { lab } from './lab.ts';

const dir = mkdtempSync(join(tmpdir(), 'minima-animate-'));
const [json, npz] = [join(dir, 'run.json'), join(dir, 'run.npz')];

beforeAll(async () => {
  const run = await lab([
    'run',
    join(PRESETS, 'seed-narrow-vs-wide.json'),
    '--rng',
    'per-model',
    '--max-steps',
    '2001',
    '--json',
    json,
    '--snapshots',
    npz,
  ]);
  expect(run.status, run.stderr).toBe(0);
});

const differ = (a: Uint8ClampedArray, b: Uint8ClampedArray) => !Buffer.from(a).equals(Buffer.from(b));

describe('lab animate', () => {
  it('writes fps × seconds frames at the size asked, each moving on, with their delays', async () => {
    const out = join(dir, 'escape.gif');
    const r = await lab([
      'animate',
      json,
      '--model',
      'models#0',
      '--model',
      'modelsB#3',
      '--out',
      out,
      '--size',
      '320x180',
      '--fps',
      '10',
      '--seconds',
      '2',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`wrote ${out} (20 frames, 320x180, 10 fps)\n`);
    const gif = shownFrames(readFileSync(out));
    expect([gif.width, gif.height, gif.frames.length]).toEqual([320, 180, 20]);
    expect(gif.frames.map((f) => f.centiseconds)).toEqual(Array(20).fill(10));
    for (let k = 1; k < gif.frames.length; k++)
      expect(differ(gif.frames[k - 1].rgba, gif.frames[k].rgba), `frames ${k - 1} and ${k}`).toBe(true);
    const white = [255, 255, 255, 255];
    expect([...gif.frames[0].rgba.subarray(0, 4)]).toEqual(white); // the light theme's background, top left
  });

  it('reads a run folder; where 100 / fps is not whole, the delays alternate so the whole lasts what was asked', async () => {
    const folder = join(dir, 'run-folder');
    mkdirSync(folder);
    copyFileSync(json, join(folder, 'result.json'));
    copyFileSync(npz, join(folder, 'snapshots.npz'));
    const out = join(dir, 'dark.gif');
    const r = await lab([
      'animate',
      folder,
      '--model',
      'modelsB#3',
      '--out',
      out,
      '--size',
      '160x90',
      '--fps',
      '30',
      '--seconds',
      '1',
      '--theme',
      'dark',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`wrote ${out} (30 frames, 160x90, 30 fps on average (delays of 3 and 4 cs))\n`);
    const gif = shownFrames(readFileSync(out));
    expect(gif.frames).toHaveLength(30);
    expect(gif.frames.every((f) => f.centiseconds === 3 || f.centiseconds === 4)).toBe(true);
    expect(gif.frames.reduce((sum, f) => sum + f.centiseconds, 0)).toBe(100);
    expect([...gif.frames[0].rgba.subarray(0, 3)]).toEqual([0x11, 0x18, 0x27]); // the dark theme's #111827
  });

  it('refuses, in one line, what it cannot animate, and writes nothing', async () => {
    // a snapshots file without modelsB#3's (as a sweep keeps some models' only)
    const partial = join(dir, 'partial.npz');
    const entries = unzipSync(readFileSync(npz));
    writeFileSync(partial, zipSync(Object.fromEntries(Object.entries(entries).filter(([name]) => !name.startsWith('modelsB#3')))));
    const partialJson = join(dir, 'partial.json');
    writeFileSync(partialJson, JSON.stringify({ ...JSON.parse(readFileSync(json, 'utf8')), snapshotsFile: 'partial.npz' }));
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, JSON.stringify({ ...JSON.parse(readFileSync(json, 'utf8')), snapshotsFile: undefined }));
    const out = join(dir, 'refused.gif');
    const refusals: [string[], string][] = [
      [
        [partialJson, '--model', 'models#0', '--model', 'modelsB#3'],
        'lab: modelsB#3: kept no snapshots, so nothing to animate (a sweep keeps them for its curvesPerCell models of each cell)',
      ],
      [[bare, '--model', 'models#0'], `lab: ${bare}: names no snapshots (lab run --json … --snapshots FILE.npz writes both)`],
      [[json, '--model', 'modelsC#0'], `lab: ${json}: no model modelsC#0 (its models are models#0, models#1, models#2, models#3, …)`],
      [[json], 'lab: --model: required (GROUP#INDEX, e.g. modelsB#3; once per model to animate)'],
      [[json, '--model', 'modelsB'], "lab: --model: expected GROUP#INDEX (e.g. modelsB#3), got 'modelsB'"],
      [[json, '--model', 'models#0', '--model', 'models#0'], 'lab: --model models#0: given twice'],
      [[json, '--model', 'models#0', '--fps', '51'], "lab: --fps: expected an integer from 1 to 50, got '51'"],
      [[json, '--model', 'models#0', '--fps', '0'], "lab: --fps: expected an integer from 1 to 50, got '0'"],
      [[json, '--model', 'models#0', '--seconds', '0'], "lab: --seconds: expected a number above 0 and at most 120, got '0'"],
      [[json, '--model', 'models#0', '--seconds', 'long'], "lab: --seconds: expected a number above 0 and at most 120, got 'long'"],
      [
        [json, '--model', 'models#0', '--seconds', '0.01'],
        'lab: --seconds 0.01 at --fps 30: 0.3 frames; fps × seconds must be a whole number',
      ],
      [[json, '--model', 'models#0', '--fps', '50', '--seconds', '61'], 'lab: --fps 50 × --seconds 61: 3,050 frames, at most 3,000'],
      [
        [json, '--model', 'models#0', '--size', '4000x4000'],
        'lab: --size 4000x4000: 16,000,000 pixels a frame, at most 8,294,400 (3840x2160)',
      ],
      [
        [json, '--model', 'models#0', '--size', '10x10'],
        "lab: --size: expected WIDTHxHEIGHT such as 1920x1080, each from 64 to 8192, got '10x10'",
      ],
      [[json, '--model', 'models#0', '--theme', 'transparent'], "lab: --theme: expected one of light, dark, got 'transparent'"],
    ];
    for (const [args, message] of refusals) {
      const refused = await lab(['animate', ...args, '--out', out]);
      expect(refused.status, args.join(' ')).toBe(2);
      expect(refused.stderr.split('\n')[0]).toBe(message);
    }
    const png = await lab(['animate', json, '--model', 'models#0', '--out', join(dir, 'escape.png')]);
    expect(png.stderr.split('\n')[0]).toBe(`lab: --out ${join(dir, 'escape.png')}: expected a file name ending in .gif`);
    expect(existsSync(out)).toBe(false);
  });
});
