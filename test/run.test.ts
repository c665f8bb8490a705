// The run coordinator with real worker threads: determinism, log order, events, stop.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../core/results/events.ts';
import { plateausOf } from '../core/model/plateaus.ts';
import { planLocalRun } from '../electron/engine/plan.ts';
import { Run } from '../electron/engine/run.ts';
import { makeGrid, targetFunction } from '../core/model/target.ts';
import type { Preset } from '../core/preset/preset.ts';
import { expandSweep } from '../core/preset/sweep.ts';
import { shapeOf } from '../core/model/network.ts';
import { narrowAndWide, PACKAGE_VERSION, presetWith } from './helpers.ts';

async function runWith(preset: Preset, workers: number, backend: 'fused' | 'direct' = 'fused') {
  const events: RunEvent[] = [];
  const run = new Run(planLocalRun(expandSweep(preset), { workers, backend }), { onEvent: (e) => events.push(e) });
  const result = await run.start();
  return { result, events, log: events.flatMap((e) => (e.type === 'log' ? [e.line] : [])) };
}

const twoGroups = (rng: 'torch' | 'per-model', maxSteps = 3000) => narrowAndWide(rng, maxSteps);

describe('Run', () => {
  it('gives an identical log and JSON result whatever the number of workers (per-model streams)', async () => {
    const one = await runWith(twoGroups('per-model'), 1);
    const two = await runWith(twoGroups('per-model'), 2);
    expect(two.log).toEqual(one.log);
    expect(JSON.stringify(two.result)).toEqual(JSON.stringify(one.result));
    expect(one.result.models.map((m) => `${m.group}/${m.index}`)).toEqual([
      'narrow/0',
      'narrow/1',
      'narrow/2',
      'wide/0',
      'wide/1',
      'wide/2',
      'wide/3',
    ]);
  });

  it('writes the log in the seed script shape and order', async () => {
    const { log, result } = await runWith(twoGroups('torch', 301), 2);
    expect(log[0]).toBe(`Minima Lab ${PACKAGE_VERSION}, backend fused`);
    expect(log[1]).toBe('narrow training ...');
    expect(log[2]).toMatch(/^iMod: 0  lossInit: tensor\(\d\.\d{4}\)$/);
    expect(log.slice(3, 11).map((l) => Number(/^i: (\d+) , lossTrain: tensor\([^)]+\) , lossVal: tensor\([^)]+\)$/.exec(l)?.[1]))).toEqual([
      0, 1, 2, 5, 10, 30, 100, 300,
    ]);
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
    expect(b.result.models).toHaveLength(7);
    b.result.models.forEach((m, k) => expect(Math.abs(m.lossFinal! - a.result.models[k].lossFinal!)).toBeLessThan(1e-9));
  });

  it('sends progress on its interval only, one event carrying every model pending since the last', async () => {
    // an interval longer than the run: nothing is sent until the final flush, which carries it all
    const events: RunEvent[] = [];
    const run = new Run(planLocalRun(expandSweep(twoGroups('per-model', 300000)), { workers: 2 }), {
      progressIntervalMs: 3_600_000,
      onEvent: (e) => events.push(e),
    });
    const result = await run.start();
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress).toHaveLength(1);
    expect(events[0].type).toBe('started');
    expect(events[events.length - 1].type).toBe('finished');
    expect(events.filter((e) => e.type === 'modelFinished')).toHaveLength(7);
    const sent = progress[0].type === 'progress' ? progress[0].models : [];
    expect(sent.map((m) => m.id).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // the points sent live add up to each stored curve
    expect(result.models).toHaveLength(7);
    for (const m of result.models) expect(sent.find((p) => p.id === m.id)!.curves.step).toEqual(m.curves.step);
  });

  it('with a short interval, every point still arrives exactly once', async () => {
    const events: RunEvent[] = [];
    const run = new Run(planLocalRun(expandSweep(twoGroups('per-model', 300000)), { workers: 2 }), {
      progressIntervalMs: 1,
      onEvent: (e) => events.push(e),
    });
    const result = await run.start();
    const points = new Map<number, number[]>();
    for (const e of events)
      if (e.type === 'progress') for (const m of e.models) points.set(m.id, [...(points.get(m.id) ?? []), ...m.curves.step]);
    expect(result.models).toHaveLength(7);
    for (const m of result.models) expect(points.get(m.id)).toEqual(m.curves.step);
  });

  it('stops midway: the run resolves with the models trained so far, marked stopped', async () => {
    const events: RunEvent[] = [];
    let training: () => void;
    const underway = new Promise<void>((resolve) => {
      training = resolve;
    });
    const run = new Run(planLocalRun(expandSweep(twoGroups('per-model', 5_000_000)), { workers: 2 }), {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'progress') training();
      },
    });
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

  it('sends current weights in progress only for small networks (the live fit chart); big ones bring them with their result', async () => {
    const progress = async (hidden: number[]) => {
      const events: RunEvent[] = [];
      const preset = presetWith({ models: 1, hidden }, { stop: { maxSteps: 10_000, lossLimit: 0 }, validation: { points: 101 } });
      const result = await new Run(planLocalRun(expandSweep(preset), { workers: 1 }), {
        progressIntervalMs: 1,
        onEvent: (e) => events.push(e),
      }).start();
      const sent = events.flatMap((e) => (e.type === 'progress' ? e.models : []));
      expect(sent.length).toBeGreaterThan(0);
      expect(result.models[0].finalParams).toHaveLength(shapeOf(hidden).size);
      return sent;
    };
    for (const p of await progress([8])) expect(p.params).toHaveLength(25); // 1→8→1: 25 parameters
    for (const p of await progress([300])) expect(p.params).toBeUndefined(); // 901 parameters: none in progress
  });

  it('starts once: a second start() is refused and the first run still finishes', async () => {
    const run = new Run(planLocalRun(expandSweep(twoGroups('per-model', 50)), { workers: 1 }));
    const first = run.start();
    expect(() => run.start()).toThrow(/already been started/);
    expect((await first).models).toHaveLength(7);
  });

  it('classifies final states against the plateaus of the target', async () => {
    const grid = makeGrid(5001, targetFunction({ kind: 'step', threshold: 0.1, low: 0, high: 1 }));
    const p = plateausOf(grid);
    // 4500 ones among 5001 points: the best constant's MSE is the variance p(1 - p)
    const ones = 4500 / 5001;
    expect(p.constant).toBeCloseTo(ones * (1 - ones), 12);
    expect(p.line).toBeCloseTo(0.065766, 6);
    const { result } = await runWith(twoGroups('torch', 3000), 1);
    const onLine = result.models.filter((m) => m.status !== 'reached' && Math.abs(m.lossFinal! / p.line - 1) < 0.01);
    expect(onLine.length).toBeGreaterThan(0); // the narrow models of this seed sit on the line plateau
    for (const m of onLine) expect(m.outcome).toBe('line');
    for (const m of result.models.filter((r) => r.status === 'reached')) expect(m.outcome).toBe('reached');
    expect(result.summary.map((s) => s.models)).toEqual([3, 4]);
  });
});
