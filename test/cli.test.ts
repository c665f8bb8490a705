// The headless CLI as a user runs it: a real child process, real files in a temporary directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../core/events.ts';
import { lab, labArgs, PACKAGE_VERSION, PRESETS, ROOT } from './helpers.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'minima-cli-'));
const SEED = join(PRESETS, 'seed-narrow-vs-wide.json');

describe('lab run', () => {
  it("reproduces the seed document's 20 lossInit values", () => {
    const r = lab(['run', SEED, '--max-steps', '1']);
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

  it('writes the .out log, the JSON result and a summary table; --max-steps 2001 ends at epochs 2000', () => {
    const dir = tmp();
    const r = lab([
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
    expect(out.split('\n')[0]).toBe(`Minima Lab ${PACKAGE_VERSION}, backend fused`);
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
      /^lab: --backend: expected one of auto, fused, direct, tfjs, tfjs-wasm, tfjs-cpu, webgpu, got 'gpu'\n/,
    ],
    [['run', SEED, '--frobnicate'], /^lab: Unknown option '--frobnicate'/],
    [['fly'], /^lab: unknown command 'fly'\n/],
  ])('rejects bad usage with one line and exit code 2: %j', (args, message) => {
    const r = lab(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('rejects a bad preset with one line naming the file and field, exit code 2', () => {
    const dir = tmp();
    const file = join(dir, 'bad.json');
    const preset = JSON.parse(readFileSync(SEED, 'utf8'));
    preset.groups[1].schedule.maxLr = 'high';
    writeFileSync(file, JSON.stringify(preset));
    const r = lab(['run', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`lab: ${file}: groups[1].schedule.maxLr: must be a number (not text)\n`);
    expect(lab(['run', join(dir, 'missing.json')]).stderr).toBe(`lab: ${join(dir, 'missing.json')}: cannot read the file (ENOENT)\n`);
  });

  it('stops cleanly on Ctrl-C, leaving a valid partial log', async () => {
    const dir = tmp();
    const outFile = join(dir, 'partial.out');
    const child = spawn(process.execPath, labArgs(['run', SEED, '--rng', 'per-model', '--workers', '2', '--out', outFile]), { cwd: ROOT });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const started = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('i: 30 ,')) resolve();
      }),
    );
    await started;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    const lines = readFileSync(outFile, 'utf8').split('\n');
    expect(lines.pop()).toBe(''); // ends on a whole line
    expect(lines[0]).toBe(`Minima Lab ${PACKAGE_VERSION}, backend fused`);
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
  });
});
