// Run by test/memory.test.ts in a process of its own (node --expose-gc): trains a run of MODELS models of one
// hidden layer of WIDTH units for STEPS steps with two worker threads, and prints what the run's results
// hold in this process's heap once it has ended (garbage collected before and after) beside the estimate.
import { estimateMemory } from '../electron/engine/budget.ts';
import { planLocalRun } from '../electron/engine/plan.ts';
import { Run } from '../electron/engine/run.ts';
import { expandSweep } from '../core/preset/sweep.ts';
import { presetWith } from './helpers.ts';

const [models, width, steps] = process.argv.slice(2).map(Number);
const preset = presetWith(
  { models, hidden: [width] },
  { rng: 'per-model', stop: { maxSteps: steps, lossLimit: 0 }, validation: { points: 101 } },
);
const planned = planLocalRun(expandSweep(preset), { workers: 2, backend: 'fused' });
const gc = globalThis.gc!;
gc();
const before = process.memoryUsage().heapUsed;
const run = new Run(planned);
const result = await run.start();
gc();
const held = process.memoryUsage().heapUsed - before;
process.stdout.write(
  `${JSON.stringify({ held, estimate: estimateMemory(planned.plan).results, models: result.models.length, snapshots: run.snapshots.size })}\n`,
);
