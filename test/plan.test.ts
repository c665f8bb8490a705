// A run's plan, made once from its parsed preset: a local run's and a queue run's share it but for the
// backend, the models and the workers; a torch-stream run trained in parts is refused in one message.
import { describe, expect, it } from 'vitest';
import { expandSweep } from '../core/preset/sweep.ts';
import { curvePointSteps } from '../core/results/curves.ts';
import { checkMemory, estimateMemory, RunRefused } from '../electron/engine/budget.ts';
import { planLocalRun, planQueueRun } from '../electron/engine/plan.ts';
import { narrowAndWide, presetWith } from './helpers.ts';

const REASON = 'needs per-model random streams (rng: per-model): in torch mode every model’s batches depend on every model before it';

describe('a run plan', () => {
  it('plans a local run and a queue run from the same expansion, with the preset as written beside it', () => {
    const expanded = expandSweep(narrowAndWide('per-model', 100));
    const local = planLocalRun(expanded, { backend: 'fused', workers: 3, only: (id) => id % 2 === 0 });
    expect(local.source).toBe(expanded.source);
    expect(local.plan).toMatchObject({ backend: 'fused', preset: expanded.preset, sweep: null, streams: expanded.streams, workers: 3 });
    expect(local.plan.models.map((m) => m.id)).toEqual([0, 2, 4, 6]);
    const queued = planQueueRun(expanded);
    expect(queued.source).toBe(expanded.source);
    expect(queued.plan).toMatchObject({ backend: 'fused-simd', preset: expanded.preset, workers: 0 });
    expect(queued.plan.models.map((m) => m.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // a torch-stream run trains on one worker
    expect(planLocalRun(expandSweep(narrowAndWide('torch', 100)), { workers: 3 }).plan.workers).toBe(1);
  });

  it('refuses part of a torch-stream run, here or on a queue, for the one reason', () => {
    const torch = expandSweep(narrowAndWide('torch', 100));
    expect(() => planLocalRun(torch, { only: () => true })).toThrow(
      new RunRefused(`training part of a run (a shard, a queue job) ${REASON}`),
    );
    expect(() => planQueueRun(torch)).toThrow(new RunRefused(`a run on a queue ${REASON}`));
    expect(() => planQueueRun(torch)).toThrow(RunRefused);
  });

  it("estimates every backend's snapshots, held in a webgpu (or tfjs) worker until its group ends", () => {
    // 1,000 models of 25 parameters over a million steps: each keeps a few hundred rows of 25 numbers
    const expanded = expandSweep(presetWith({ models: 1000, hidden: [8] }, { stop: { maxSteps: 1_000_000, lossLimit: 0 } }));
    const estimate = (backend: 'fused' | 'tfjs-cpu' | 'webgpu') => estimateMemory(planLocalRun(expanded, { backend, workers: 1 }).plan);
    const [fused, tfjs, webgpu] = [estimate('fused'), estimate('tfjs-cpu'), estimate('webgpu')];
    const snapshots = 1000 * curvePointSteps(0, 1_000_000).length * 25 * 8; // at least 8 bytes a number
    expect(fused.results).toBeGreaterThan(snapshots);
    expect([tfjs.results, webgpu.results]).toEqual([fused.results, fused.results]);
    // the same worker but for the group's snapshots (a tfjs worker holds them too, beside its tensors)
    expect(webgpu.perWorker - fused.perWorker).toBeGreaterThan(snapshots);
    // a wider network keeps none: four times the parameters, a fraction of the memory
    const wide = expandSweep(presetWith({ models: 1000, hidden: [100] }, { stop: { maxSteps: 1_000_000, lossLimit: 0 } }));
    expect(estimateMemory(planLocalRun(wide, { backend: 'fused', workers: 1 }).plan).results).toBeLessThan(fused.results / 2);
  });
  it('refuses a run whose results outgrow the heap, or whose whole outgrows the machine, with the numbers', () => {
    const GB = 2 ** 30;
    const estimate = { total: 6 * GB, results: 3 * GB, perWorker: 1.5 * GB, workers: 2 };
    const roomy = { machine: 8 * GB, heap: 4 * GB, heapLimit: 8 * GB };
    expect(() => checkMemory(estimate, roomy)).not.toThrow();
    expect(() => checkMemory(estimate, { ...roomy, heap: 2 * GB, heapLimit: 4 * GB })).toThrow(
      new RunRefused(
        "this run's results would need about 3.0 GB of memory in one process, more than the 2.0 GB it can hold them in " +
          '(half of what is free of its 4.0 GB JavaScript heap, the rest for writing them out): train fewer models or smaller networks',
      ),
    );
    expect(() => checkMemory(estimate, { ...roomy, machine: 5 * GB })).toThrow(
      /^this run would need about 6\.0 GB of memory \(the models' results 3\.0 GB, 2 workers 3\.0 GB\), more than the 5\.0 GB Minima Lab allows/,
    );
  });
});
