// The WebGPU kernel against the fused CPU kernel (the oracle), on SwiftShader: the same models and samples,
// every step's losses within 1e-4 relative for 300 steps (until f32 rounding alone could part them),
// the same stops, curves and log.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuRefusal } from '../core/gpu/wgsl.ts';
import { gpuClient, serveGpu } from '../core/gpu/remote.ts';
import type { GpuTrainer } from '../core/gpu/trainer.ts';
import type { ModelResult } from '../core/results/events.ts';
import type { Preset, PresetInput } from '../core/preset/preset.ts';
import { TrainingData } from '../electron/engine/data.ts';
import { experimentOf, type Experiment } from '../electron/engine/experiment.ts';
import { ownStreams } from '../electron/engine/streams.ts';
import { resolveBackend, WEBGPU_AUTO_MIN_MODELS } from '../electron/engine/backends.ts';
import { trainModel, type TrainHooks } from '../electron/engine/train.ts';
import { gpuForAuto, openNodeGpu, type NodeGpu } from '../electron/engine/webgpu/device.ts';
import { trainGroupWebGpu, type GpuDebug } from '../electron/engine/webgpu/train.ts';
import { LAB, PRESETS, presetWith, quietHooks, readJson, ROOT } from './helpers.ts';
import { lab } from './lab.ts';

const STEPS = 300;
const MODELS = 64;
const TOLERANCE = 1e-4;
/**
 * f32 arithmetic moves a model's weights by a few ulps every step. Where training is chaotic (CyclicLR's
 * peak lr, a unit's kink crossing the data), that is enough to send the trajectory elsewhere, on the CPU
 * as on the GPU. So each model is compared step for step until its onset: the first step where the CPU
 * kernel itself, with every weight nudged by NOISE_ULPS ulps (random sign) after every step, departs from
 * its own unperturbed run by more than ONSET. Past it, the same stop, step and outcome are asserted.
 */
const NOISE_ULPS = 4;
const ONSET = 1e-5;

let gpu: NodeGpu;
beforeAll(async () => {
  gpu = await openNodeGpu(true);
});
afterAll(() => gpu?.device.destroy());

/** The seed's two groups with per-model streams, a short cap, and fields overridden. */
function seedPreset(group: number, change: Partial<PresetInput['groups'][number]> = {}, stop: Partial<PresetInput['stop']> = {}): Preset {
  const seed = readJson<PresetInput>(`${PRESETS}seed-narrow-vs-wide.json`);
  return presetWith(
    { ...seed.groups[group], models: MODELS, ...change },
    { stop: { maxSteps: STEPS, lossLimit: 0.005, ...stop }, log: { models: [0, 1, 2], steps: 'seed' } },
  );
}

interface Run {
  results: ModelResult[];
  /** [model][step] */
  lossTrain: number[][];
  lossVal: number[][];
  logs: string[][];
}

function logged(logs: string[][]) {
  return (ref: { index: number }): TrainHooks => ({ ...quietHooks, log: (line) => logs[ref.index].push(line) });
}

/** The fused kernel's run; with `noiseSeed`, every weight moves NOISE_ULPS ulps up or down after every step. */
function cpuRun(exp: Experiment, noiseSeed?: number): Run {
  const { rngs, params } = ownStreams(exp, exp.models);
  let state = noiseSeed ?? 0;
  const coin = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) < 2 ** 31;
  const run: Run = { results: [], lossTrain: [], lossVal: [], logs: exp.models.map(() => []) };
  const hooksFor = logged(run.logs);
  for (const ref of exp.models) {
    const p = params[ref.index];
    const lossTrain: number[] = [];
    const lossVal: number[] = [];
    const trace = (_: number, t: number, v: number) => {
      lossTrain.push(t);
      lossVal.push(v);
      if (noiseSeed !== undefined) for (let k = 0; k < p.length; k++) p[k] = ulpsAway(p[k], coin() ? NOISE_ULPS : -NOISE_ULPS);
    };
    run.results.push(trainModel(exp, ref, p, rngs[ref.index], 'fused', { ...hooksFor(ref), trace }, false));
    run.lossTrain.push(lossTrain);
    run.lossVal.push(lossVal);
  }
  return run;
}

async function gpuRun(exp: Experiment, debug: GpuDebug = { traceSteps: STEPS }) {
  const { rngs, params } = ownStreams(exp, exp.models);
  const logs = exp.models.map((): string[] => []);
  const { results, gpu: raw } = await trainGroupWebGpu(gpu.train, exp, exp.models, params, rngs, logged(logs), debug);
  const M = exp.models.length;
  const series = (all: Float32Array, m: number) => Array.from({ length: results[m].steps + 1 }, (_, i) => all[i * M + m]);
  const run: Run = {
    results,
    lossTrain: results.map((_, m) => series(raw.trace!.lossTrain, m)),
    lossVal: results.map((_, m) => series(raw.trace!.lossVal, m)),
    logs,
  };
  return { run, samples: raw.samples };
}

/** The float32 `ulps` steps above v (below for negative `ulps`). */
function ulpsAway(v: number, ulps: number): number {
  const f = new Float32Array([v]);
  const bits = new Int32Array(f.buffer);
  bits[0] += v > 0 || (v === 0 && ulps > 0) ? ulps : -ulps;
  return f[0];
}

/** Per model, the first step where `b` differs from `a` by more than `tolerance` (relative), or its step count. */
function departures(a: Run, b: Run, tolerance: number): number[] {
  const apart = (x: number, y: number) => Math.abs(y - x) / Math.abs(x) > tolerance;
  return a.lossTrain.map((steps, m) => {
    const k = steps.findIndex((v, i) => apart(v, b.lossTrain[m][i]) || apart(a.lossVal[m][i], b.lossVal[m][i]));
    return k < 0 ? steps.length : k;
  });
}

const cyclic = readJson<PresetInput>(`${PRESETS}seed-narrow-vs-wide.json`).groups[1].schedule;
/** `compared`: at least this share of the case's model-steps come before their model's onset (measured: 0.85 to 1, 0.5 for the chaotic case). */
const cases: {
  name: string;
  group: number;
  change: Partial<PresetInput['groups'][number]>;
  target?: Preset['target'];
  compared: number;
}[] = [
  { name: 'narrow (1-1-1), SGD', group: 0, change: { schedule: { kind: 'constant' } }, compared: 0.9 },
  { name: 'narrow (1-1-1), SGD + CyclicLR', group: 0, change: { schedule: cyclic }, compared: 0.9 },
  { name: 'wide (1-8-1), SGD', group: 1, change: { schedule: { kind: 'constant' } }, compared: 0.9 },
  // the chaotic one: lr climbs to 0.5 in CyclicLR's first cycle
  { name: 'wide (1-8-1), SGD + CyclicLR', group: 1, change: {}, compared: 0.5 },
  {
    name: 'wide, SGD with momentum, nesterov and weight decay',
    group: 1,
    change: { optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }, schedule: { kind: 'constant' } },
    compared: 0.9,
  },
  {
    name: 'wide, Adam, cosine schedule',
    group: 1,
    change: { optimizer: { kind: 'adam', lr: 0.01 }, schedule: { kind: 'cosine', tMax: 100, etaMin: 0.001 } },
    compared: 0.9,
  },
  {
    name: 'wide ReLU, no output activation, ramp target',
    group: 1,
    change: { activation: { kind: 'relu' }, outputActivation: false, schedule: { kind: 'constant' } },
    target: { kind: 'ramp', from: 0.2, to: 0.7, low: -1, high: 2 },
    compared: 0.8,
  },
];

describe('WebGPU kernel', () => {
  for (const { name, group, change, target, compared } of cases) {
    it(`agrees with the fused kernel step for step until f32 rounding could part them: ${name}`, async () => {
      const preset = seedPreset(group, change);
      const exp = experimentOf(target ? { ...preset, target } : preset);
      const cpu = cpuRun(exp);
      const onset = departures(cpu, cpuRun(exp, 1), ONSET);
      const { run } = await gpuRun(exp);
      const gpuDeparture = departures(cpu, run, TOLERANCE);
      onset.forEach((o, m) => expect(gpuDeparture[m], `model ${m}: first step beyond ${TOLERANCE}, onset ${o}`).toBeGreaterThanOrEqual(o));
      expect(onset.reduce((sum, o) => sum + o, 0) / (MODELS * STEPS)).toBeGreaterThanOrEqual(compared);
      cpu.results.forEach((c, m) => {
        expect(run.lossTrain[m]).toHaveLength(cpu.lossTrain[m].length);
        const g = run.results[m];
        expect({ steps: g.steps, status: g.status, outcome: g.outcome }).toEqual({ steps: c.steps, status: c.status, outcome: c.outcome });
        expect(g.lossInit).toBe(c.lossInit);
        expect(g.initialParams).toEqual(c.initialParams);
        expect(g.curves.step).toEqual(c.curves.step);
        if (onset[m] === STEPS)
          g.finalParams.forEach((p, k) =>
            expect(Math.abs(p - c.finalParams[k])).toBeLessThan(1e-3 * Math.max(1, Math.abs(c.finalParams[k]))),
          );
      });
    });
  }

  it('draws each model the samples the CPU per-model stream gives it', async () => {
    const exp = experimentOf(seedPreset(1));
    const { samples } = await gpuRun(exp, { traceSteps: STEPS, sampleSteps: 3 });
    const { rngs } = ownStreams(exp, exp.models);
    const group = exp.preset.groups[0];
    const batch = group.data.kind === 'fresh' ? group.data.batchSize : 0;
    const M = exp.models.length;
    rngs.forEach((rng, m) => {
      const data = new TrainingData(group, rng, exp.target, exp.grid, exp.gridPoints);
      for (let i = 0; i < 3; i++) {
        const drawn = Array.from({ length: batch }, (_, s) => samples![(i * batch + s) * M + m]);
        expect(drawn).toEqual(Array.from(data.next().x));
      }
    });
  });

  it('stops a model that reaches the limit at the step the CPU stops it, with the same log, curves and best loss', async () => {
    // a limit most wide models cross within the cap, at different steps
    const exp = experimentOf(seedPreset(1, { schedule: { kind: 'constant' } }, { lossLimit: 0.06 }));
    const cpu = cpuRun(exp);
    const { run } = await gpuRun(exp);
    const reached = cpu.results.filter((r) => r.status === 'reached');
    expect(reached.length).toBeGreaterThan(MODELS / 4);
    expect(new Set(reached.map((r) => r.steps)).size).toBeGreaterThan(1);
    expect(run.results.map((r) => [r.status, r.steps])).toEqual(cpu.results.map((r) => [r.status, r.steps]));
    expect(run.logs).toEqual(cpu.logs);
    run.results.forEach((g, m) => {
      const c = cpu.results[m];
      expect(Math.abs(g.lossBest! - c.lossBest!) / c.lossBest!).toBeLessThan(TOLERANCE);
      expect(Math.abs(g.lossFinal! - c.lossFinal!) / c.lossFinal!).toBeLessThan(TOLERANCE);
      expect(
        g.curves.lossValMin.map((v, k) => Math.abs(v - c.curves.lossValMin[k]) / c.curves.lossValMin[k]).every((e) => e < TOLERANCE),
      ).toBe(true);
    });
  });

  it("keeps snapshots at its curve's steps and its last, each bit for bit what retraining to that step on WebGPU gives", async () => {
    // a limit some models cross within the cap: their last snapshot is taken where they stop, mid-chunk
    const exp = (maxSteps: number) =>
      experimentOf(seedPreset(1, { models: 8, schedule: { kind: 'constant' } }, { maxSteps, lossLimit: 0.06 }));
    const train = async (maxSteps: number, trainer: GpuTrainer = gpu.train) => {
      const e = exp(maxSteps);
      const { rngs, params } = ownStreams(e, e.models);
      return (await trainGroupWebGpu(trainer, e, e.models, params, rngs, () => quietHooks)).results;
    };
    const cap = 301;
    const results = await train(cap);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set(['reached', 'capped']));
    for (const r of results) {
      const steps = r.snapshots.step;
      expect(steps.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      for (const step of r.curves.step) expect(steps).toContain(step);
      expect(steps.length).toBeLessThanOrEqual(r.curves.step.length + 1);
      expect(steps.at(-1)).toBe(r.steps);
      expect(r.snapshots.params[0]).toEqual(r.initialParams);
      // a model that reached the limit stopped before that step's update: its last snapshot is where it ended
      if (r.status === 'reached') expect(r.snapshots.params.at(-1)).toEqual(r.finalParams);
    }
    const capped = results.findIndex((r) => r.status === 'capped');
    const { step, params } = results[capped].snapshots;
    for (const s of [1, 57, step[110], cap - 1]) {
      const retrained = (await train(s))[capped]; // `s` updates: steps 0 … s - 1
      expect(retrained.finalParams, `step ${s}`).toEqual(params[step.indexOf(s)]);
    }
    // the app's GPU page: the same kernel behind its messages (served here, in this process), the same snapshots
    const client = gpuClient((message) => serve(message), 'snapshots');
    const serve = serveGpu(gpu.device, client.receive);
    expect((await train(cap, client.train)).map((r) => r.snapshots)).toEqual(results.map((r) => r.snapshots));
  });

  it('refuses what it cannot train, saying what', () => {
    const group = presetWith({ hidden: [8] }).groups[0];
    expect(gpuRefusal({ ...group, hidden: [4, 4] }, { kind: 'step', threshold: 0.1, low: 0, high: 1 })).toMatch(/one hidden layer/);
    expect(gpuRefusal({ ...group, data: { kind: 'fixed', batchSize: 10 } }, { kind: 'step', threshold: 0.1, low: 0, high: 1 })).toMatch(
      /fresh batches only, not fixed data/,
    );
    expect(gpuRefusal(group, { kind: 'sine', cycles: 1, amplitude: 1, offset: 0 })).toMatch(/not sine/);
  });
});

describe('lab run --backend webgpu', () => {
  it("trains a sweep to the fused backend's outcomes, steps and log", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-webgpu-'));
    const sweep = readJson<PresetInput>(`${PRESETS}sweep-width-vs-schedule.json`);
    const preset = join(dir, 'sweep.json');
    writeFileSync(preset, JSON.stringify({ ...sweep, groups: [{ ...sweep.groups[0], models: 8 }] }));
    const run = async (backend: string) => {
      const out = await lab(['run', preset, '--max-steps', '300', '--backend', backend, '--models', join(dir, `${backend}.jsonl`)]);
      expect(out.status, out.stderr).toBe(0);
      const models = readFileSync(join(dir, `${backend}.jsonl`), 'utf8')
        .trim()
        .split('\n');
      return {
        log: out.stdout.split('\n'),
        models: models.map((l) => JSON.parse(l) as { status: string; steps: number; outcome: string }),
      };
    };
    const gpuRun = await run('webgpu');
    const cpuRun = await run('fused');
    expect(gpuRun.log[0]).toMatch(/^Minima Lab .*, backend webgpu: \S+/);
    expect(gpuRun.models).toHaveLength(96);
    expect(gpuRun.models.map((m) => [m.status, m.steps, m.outcome])).toEqual(cpuRun.models.map((m) => [m.status, m.steps, m.outcome]));
    // the log's lines, but for the values' last digits
    const shape = (lines: string[]) => lines.slice(1).map((l) => l.replace(/tensor\([^)]*\)/g, 'tensor'));
    expect(shape(gpuRun.log)).toEqual(shape(cpuRun.log));
  });

  it('is what auto picks only on a real GPU, for per-model groups of at least WEBGPU_AUTO_MIN_MODELS', () => {
    const big = presetWith({ hidden: [8], models: WEBGPU_AUTO_MIN_MODELS });
    expect(resolveBackend('auto', big, false, 'real')).toBe('webgpu');
    expect(resolveBackend('auto', big, false, 'fallback')).toBe('fused-simd');
    expect(resolveBackend('auto', big, false)).toBe('fused-simd');
    expect(resolveBackend('auto', presetWith({ hidden: [8], models: WEBGPU_AUTO_MIN_MODELS - 1 }), false, 'real')).toBe('fused-simd');
    expect(resolveBackend('auto', { ...big, rng: 'torch' }, false, 'real')).toBe('fused-simd');
  });

  it('is looked for by auto only where a group could use it, and on SwiftShader leaves auto on the CPU', async () => {
    const big = presetWith({ hidden: [8], models: WEBGPU_AUTO_MIN_MODELS });
    expect(await gpuForAuto('auto', presetWith({ hidden: [8], models: 10 }))).toBe('none');
    expect(await gpuForAuto('fused', big)).toBe('none');
    const found = await gpuForAuto('auto', big);
    expect(found).toBe(gpu.fallback ? 'fallback' : 'real');
    if (gpu.fallback) expect(resolveBackend('auto', big, false, found)).toBe('fused-simd');
  });

  it('is looked for by auto without a word on stderr where no desktop session is (a server, a batch job)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'minima-quiet-gpu-')), 'big.json');
    const preset = presetWith(
      { hidden: [8], models: WEBGPU_AUTO_MIN_MODELS },
      { validation: { points: 101 }, stop: { maxSteps: 1, lossLimit: 0.005 } },
    );
    writeFileSync(file, JSON.stringify(preset));
    // this process's own device set XDG_RUNTIME_DIR: the run gets the environment of a session without one
    const { XDG_RUNTIME_DIR: _runtime, WAYLAND_DISPLAY: _display, WAYLAND_SOCKET: _socket, ...env } = process.env;
    const run = spawnSync(process.execPath, [LAB, 'run', file, '--backend', 'auto'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/XDG_RUNTIME_DIR/);
  });

  it('refuses a torch-stream run, saying why', async () => {
    const out = await lab(['run', `${PRESETS}seed-narrow-vs-wide.json`, '--max-steps', '10', '--backend', 'webgpu']);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/webgpu backend trains every model on its own random stream \(rng: per-model/);
  });
});
