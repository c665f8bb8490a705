// What a run will need in memory, estimated before it starts, so one too big for this process or this
// machine is refused with the numbers instead of taking the app down; and the heap each training worker
// may use, so a run that outgrows its estimate fails alone. The estimate is an upper bound, held by a test
// that measures a run's results against it (test/memory.test.ts).
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { RunPlan } from '../../core/results/events.ts';
import { shapeOf } from '../../core/model/network.ts';
import { curvePointSteps } from '../../core/results/curves.ts';
import { MAX_CLASS_CHANGES } from '../../core/results/snapshots.ts';
import { groupKeepsSnapshots, tfjsDevice } from './backends.ts';
import { keepsDetail } from '../../core/preset/sweep.ts';

const KB = 2 ** 10;
const MB = 2 ** 20;
const GB = 2 ** 30;
/** A worker thread's own start: its V8 isolate and the engine's modules (tfjs's are larger). */
const WORKER_BASE = 40 * MB;
const TFJS_BASE = 150 * MB;
/**
 * A number in the arrays a result keeps (weights, curves, snapshots): structured clone hands them over as
 * arrays of boxed doubles, 24 bytes a number as measured (test/memory.test.ts), not 8.
 */
const NUMBER = 24;
/** A snapshot's row of parameters: an array of its own. */
const ROW = 32;
/** A model's result besides its numbers: its object, names, outcome and statistics. */
const MODEL = 2 * KB;
/** Curves keep this many numbers a point (core/results/curves.ts). */
const CURVE_FIELDS = 8;

export interface MemoryEstimate {
  /** All of it, in bytes. */
  total: number;
  /** The results every model leaves in the main process (its weights and curves). */
  results: number;
  /** One training worker at its largest group. */
  perWorker: number;
  workers: number;
}

/** What a run may plan to take: a share of the machine, and of the heap its results stay in. */
export interface MemoryLimits {
  /** All of it, workers included: half the machine's memory. */
  machine: number;
  /** The models' results, held in this process's JavaScript heap (the app's main process, or `lab`'s). */
  heap: number;
  /** The heap V8 lets this process grow to, for the message. */
  heapLimit: number;
}

/**
 * This machine's and this process's limits. The results may take half the heap V8 has left: writing them
 * out (the result JSON, the summary) takes about as much again.
 */
export function memoryLimits(): MemoryLimits {
  const heap = getHeapStatistics();
  return { machine: totalmem() / 2, heap: (heap.heap_size_limit - heap.used_heap_size) / 2, heapLimit: heap.heap_size_limit };
}

/** What a run's plan will need: the results of the models it trains (a shard's, a job's), and its workers. */
export function estimateMemory(plan: RunPlan): MemoryEstimate {
  const { preset, backend, workers, models } = plan;
  const points = preset.validation.points;
  const tfjs = tfjsDevice(backend) !== null;
  // tfjs and webgpu train a group at once: its models' snapshots stay in the worker until the group ends
  const byGroup = tfjs || backend === 'webgpu';
  const curvePoints = curvePointSteps(0, preset.stop.maxSteps).length + 1; // and the last step's
  const snapshotsPerModel = curvePoints + MAX_CLASS_CHANGES;
  // per group, the models this plan trains and those of them that keep snapshots: one pass over a sweep's many
  const trained = preset.groups.map(() => 0);
  const detailed = preset.groups.map(() => 0);
  const keeping = preset.groups.map((_, g) => groupKeepsSnapshots(plan, g)); // once a group, not once a model
  const curvesPerCell = plan.sweep?.curvesPerCell ?? null;
  for (const m of models) {
    trained[m.groupIndex]++;
    if (keeping[m.groupIndex] && keepsDetail(curvesPerCell, m.index)) detailed[m.groupIndex]++;
  }
  let results = 0;
  let perWorker = 0;
  preset.groups.forEach((g, groupIndex) => {
    const shape = shapeOf(g.hidden);
    const batch = g.data.kind === 'grid' ? points : g.data.batchSize;
    const widest = Math.max(...shape.widths);
    // each model's initial and final weights and its curves (at most a point a curve step); the snapshots of those that keep them
    const snapshots = detailed[groupIndex] * snapshotsPerModel * (shape.size * NUMBER + ROW);
    results += trained[groupIndex] * (MODEL + (shape.size * 2 + curvePoints * CURVE_FIELDS) * NUMBER) + snapshots;
    // the grid with its prefix sums (8 arrays of doubles and the sort's index), the batch, and the model
    const cpu = points * 8 * 9 + batch * 8 * 10 + shape.size * 40 + widest * 8 * 6;
    // tfjs trains the whole group at once: weights with optimizer state and gradients, and every layer's activations
    const batched = tfjs ? g.models * (shape.size * 4 * 8 + (batch + points) * widest * 4 * 6) + TFJS_BASE : 0;
    perWorker = Math.max(perWorker, WORKER_BASE + cpu + batched + (byGroup ? snapshots : 0));
  });
  return { total: results + workers * perWorker, results, perWorker, workers };
}

const size = (bytes: number) => (bytes >= GB ? `${(bytes / GB).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / MB))} MB`);

/** Refuses a run whose results would not fit this process's heap, or which would need more than the machine allows, naming what takes the memory. */
export function checkMemory(estimate: MemoryEstimate, limits = memoryLimits()): void {
  if (estimate.results > limits.heap) {
    throw new RunRefused(
      `this run's results would need about ${size(estimate.results)} of memory in one process, more than the ${size(limits.heap)} ` +
        `it can hold them in (half of what is free of its ${size(limits.heapLimit)} JavaScript heap, the rest for writing them out): ` +
        'train fewer models or smaller networks',
    );
  }
  if (estimate.total <= limits.machine) return;
  const workers = `${estimate.workers} worker${estimate.workers === 1 ? '' : 's'} ${size(estimate.workers * estimate.perWorker)}`;
  throw new RunRefused(
    `this run would need about ${size(estimate.total)} of memory (the models' results ${size(estimate.results)}, ${workers}), ` +
      `more than the ${size(limits.machine)} Minima Lab allows a run on this machine (half its memory): ` +
      'train fewer models, smaller networks or on fewer validation points, or with fewer workers',
  );
}

/** The heap (MB) a training worker may grow to: twice its estimate, within reason. */
export function workerHeapMb(estimate: MemoryEstimate): number {
  return Math.min(8192, Math.max(512, Math.ceil((2 * estimate.perWorker) / MB)));
}

/** A run refused before anything starts: too big for this machine, or its random streams cannot train it as asked. */
export class RunRefused extends Error {
  override name = 'RunRefused';
}
