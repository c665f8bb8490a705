// The run coordinator with real worker threads: determinism, log order, events, stop.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../electron/engine/events.ts';
import { plateausOf } from '../electron/engine/plateaus.ts';
import { Run } from '../electron/engine/run.ts';
import { makeGrid, targetFunction } from '../electron/engine/target.ts';
import { presetWith } from './helpers.ts';

async function runWith(preset: ReturnType<typeof presetWith>, workers: number, backend: 'fused' | 'direct' = 'fused') {
  const events: RunEvent[] = [];
  const times: number[] = [];
  const run = new Run(preset, { workers, backend, onEvent: (e) => { events.push(e); times.push(performance.now()); } });
  const result = await run.start();
  return { result, events, times, log: events.flatMap((e) => (e.type === 'log' ? [e.line] : [])) };
}

const twoGroups = (rng: 'torch' | 'per-model', maxSteps = 3000) => presetWith({}, {
  rng, stop: { maxSteps, lossLimit: 0.005 },
  groups: [
    { name: 'narrow', models: 3, hidden: [1], activation: { kind: 'leaky_relu', negativeSlope: 0.001 }, outputActivation: true, data: { kind: 'fresh', batchSize: 100 }, optimizer: { kind: 'sgd', lr: 0.1 } },
    { name: 'wide', models: 4, hidden: [8], activation: { kind: 'leaky_relu', negativeSlope: 0.001 }, outputActivation: true, data: { kind: 'fresh', batchSize: 100 }, optimizer: { kind: 'sgd', lr: 0.1 },
      schedule: { kind: 'cyclic', mode: 'triangular2', baseLr: 0.001, maxLr: 0.5, stepSizeUp: 100, stepSizeDown: 900, cycleMomentum: false } },
  ],
});

describe('Run', () => {
  it('gives an identical log and JSON result whatever the number of workers (per-model streams)', async () => {
    const one = await runWith(twoGroups('per-model'), 1);
    const two = await runWith(twoGroups('per-model'), 2);
    expect(two.log).toEqual(one.log);
    expect(JSON.stringify(two.result)).toEqual(JSON.stringify(one.result));
    expect(one.result.models.map((m) => `${m.group}/${m.index}`)).toEqual(
      ['narrow/0', 'narrow/1', 'narrow/2', 'wide/0', 'wide/1', 'wide/2', 'wide/3']);
  });

  it('writes the log in the seed script shape and order', async () => {
    const { log, result } = await runWith(twoGroups('torch', 301), 2);
    expect(log[0]).toBe('Minima Lab 0.1.0, backend fused');
    expect(log[1]).toBe('narrow training ...');
    expect(log[2]).toMatch(/^iMod: 0  lossInit: tensor\(\d\.\d{4}\)$/);
    expect(log.slice(3, 11).map((l) => Number(/^i: (\d+) , lossTrain: tensor\([^)]+\) , lossVal: tensor\([^)]+\)$/.exec(l)?.[1])))
      .toEqual([0, 1, 2, 5, 10, 30, 100, 300]);
    expect(log[11]).toMatch(/^iMod: 0  lossFinl: tensor\(.+\)  epochs: 300$/);
    expect(log.filter((l) => l.endsWith('training ...'))).toEqual(['narrow training ...', 'wide training ...']);
    expect(log.filter((l) => l.includes('lossInit')).length).toBe(7);
    expect(result.models.every((m) => m.steps === 300 || m.status === 'reached')).toBe(true);
  });

  it('is reproducible in torch mode, and the direct backend gives the same log on the same stream', async () => {
    const preset = twoGroups('torch', 400);
    const a = await runWith(preset, 1);
    const b = await runWith(preset, 1, 'direct');
    expect(b.log.slice(1)).toEqual(a.log.slice(1));
    b.result.models.forEach((m, k) => expect(Math.abs(m.lossFinal! - a.result.models[k].lossFinal!)).toBeLessThan(1e-9));
  });

  it('reports progress at most every 50 ms with curve points, and one modelFinished per model', async () => {
    const { events, times } = await runWith(twoGroups('per-model', 300000), 2);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(2);
    const progressTimes = times.filter((_, k) => events[k].type === 'progress').slice(0, -1); // the last one flushes at the end
    progressTimes.slice(1).forEach((t, k) => expect(t - progressTimes[k]).toBeGreaterThan(30));
    expect(events.filter((e) => e.type === 'modelFinished').length).toBe(7);
    expect(events[0].type).toBe('started');
    expect(events[events.length - 1].type).toBe('finished');
    const points = new Map<number, number>();
    for (const e of progress) if (e.type === 'progress') for (const m of e.models) points.set(m.id, (points.get(m.id) ?? 0) + m.curves.step.length);
    const finished = events.filter((e) => e.type === 'modelFinished').map((e) => e.type === 'modelFinished' && e.result)!;
    for (const r of finished) if (r) expect(points.get(r.id)).toBe(r.curves.step.length); // live points add up to the stored curve
  });

  it('stops midway: the run resolves with the models trained so far, marked stopped', async () => {
    const events: RunEvent[] = [];
    let training: () => void;
    const underway = new Promise<void>((resolve) => { training = resolve; });
    const run = new Run(twoGroups('per-model', 5_000_000), { workers: 2, onEvent: (e) => {
      events.push(e);
      if (e.type === 'progress') training();
    } });
    const done = run.start();
    await underway;
    run.stop();
    const result = await done;
    expect(result.stopped).toBe(true);
    expect(result.models.length).toBeLessThan(7);
    expect(result.models.some((m) => m.status === 'stopped')).toBe(true);
    const log = events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
    expect(log.some((l) => /lossFinl: .*epochs: \d+$/.test(l))).toBe(true);
  });

  it('classifies final states against the plateaus of the target', async () => {
    const grid = makeGrid(5001, targetFunction({ kind: 'step', threshold: 0.1, low: 0, high: 1 }));
    const p = plateausOf(grid);
    // 4500 ones among 5001 points: the best constant's MSE is the variance p(1 - p)
    const ones = 4500 / 5001;
    expect(p.constant).toBeCloseTo(ones * (1 - ones), 12);
    expect(p.line).toBeCloseTo(0.065766, 6);
    const { result } = await runWith(twoGroups('torch', 3000), 1);
    for (const m of result.models) {
      if (m.status === 'reached') expect(m.outcome).toBe('reached');
      else if (Math.abs(m.lossFinal! / p.line - 1) < 0.01) expect(m.outcome).toBe('line');
    }
    expect(result.summary.map((s) => s.models)).toEqual([3, 4]);
  });
});
