// What a run will need in memory, estimated before it starts, so one too big for this machine is refused
// with the number instead of taking the app down; and the heap each training worker may use, so a run
// that outgrows its estimate fails alone.
import { totalmem } from 'node:os';
import type { RunPlan } from '../../core/results/events.ts';
import { shapeOf } from '../../core/model/network.ts';
import { curvePointSteps } from '../../core/results/curves.ts';
import { MAX_CLASS_CHANGES } from '../../core/results/snapshots.ts';
import { groupKeepsSnapshots, tfjsDevice } from './backends.ts';
import { keepsDetail } from '../../core/preset/sweep.ts';

const MB = 2 ** 20;
const GB = 2 ** 30;
/** A worker thread's own start: its V8 isolate and the engine's modules (tfjs's are larger). */
const WORKER_BASE = 40 * MB;
const TFJS_BASE = 150 * MB;
/** A model's stored curves: about 300 points of 8 numbers. */
const CURVES = 300 * 8 * 16;

export interface MemoryEstimate {
  /** All of it, in bytes. */
  total: number;
  /** The results every model leaves in the main process (its weights and curves). */
  results: number;
  /** One training worker at its largest group. */
  perWorker: number;
  workers: number;
}

/** The largest share of this machine's memory a run may plan to take. */
function memoryLimit(): number {
  return totalmem() / 2;
}

/** What a run's plan will need: the results of the models it trains (a shard's, a job's), and its workers. */
export function estimateMemory(plan: RunPlan): MemoryEstimate {
  const { preset, backend, workers, models } = plan;
  const points = preset.validation.points;
  const tfjs = tfjsDevice(backend) !== null;
  // tfjs and webgpu train a group at once: its models' snapshots stay in the worker until the group ends
  const byGroup = tfjs || backend === 'webgpu';
  const snapshotsPerModel = curvePointSteps(0, preset.stop.maxSteps).length + MAX_CLASS_CHANGES + 1;
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
    // each model's initial and final weights as JS number arrays and its curves; the snapshots of those that keep them
    const snapshots = detailed[groupIndex] * snapshotsPerModel * shape.size * 9;
    results += trained[groupIndex] * (shape.size * 2 * 9 + CURVES) + snapshots;
    // the grid with its prefix sums (8 arrays of doubles and the sort's index), the batch, and the model
    const cpu = points * 8 * 9 + batch * 8 * 10 + shape.size * 40 + widest * 8 * 6;
    // tfjs trains the whole group at once: weights with optimizer state and gradients, and every layer's activations
    const batched = tfjs ? g.models * (shape.size * 4 * 8 + (batch + points) * widest * 4 * 6) + TFJS_BASE : 0;
    perWorker = Math.max(perWorker, WORKER_BASE + cpu + batched + (byGroup ? snapshots : 0));
  });
  return { total: results + workers * perWorker, results, perWorker, workers };
}

const size = (bytes: number) => (bytes >= GB ? `${(bytes / GB).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / MB))} MB`);

/** Refuses a run that would need more than `limit`, naming what takes the memory. */
export function checkMemory(estimate: MemoryEstimate, limit = memoryLimit()): void {
  if (estimate.total <= limit) return;
  const workers = `${estimate.workers} worker${estimate.workers === 1 ? '' : 's'} ${size(estimate.workers * estimate.perWorker)}`;
  throw new RunRefused(
    `this run would need about ${size(estimate.total)} of memory (the models' results ${size(estimate.results)}, ${workers}), ` +
      `more than the ${size(limit)} Minima Lab allows a run on this machine (half its memory): ` +
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
