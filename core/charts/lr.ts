// The learning rate a group trains with, as PyTorch's schedule computes it (not the run's decimated
// points, which would turn a triangle into a staircase), reduced to what a chart can show: per column of
// a log-spaced step axis (the loss chart's), the first, lowest, highest and last value, in step order.
// Each column is read at up to SAMPLES steps plus every step where the schedule turns, so a million-step
// schedule costs a few thousand evaluations.
import type { Group } from '../preset/preset.ts';
import { lrAt, turningSteps } from '../model/schedule.ts';

type Point = { x: number; y: number };
const SAMPLES = 32;
/** Columns of the drawn line: about a chart's width in pixels. */
const COLUMNS = 800;
const cache = new Map<string, Point[]>();

/** Points (x = step + 1, y = lr) of the whole schedule over `steps` steps. */
export function scheduleLine(group: Group, steps: number): Point[] {
  const key = JSON.stringify([group.schedule, group.optimizer.lr, steps]);
  const cached = cache.get(key);
  if (cached) return cached;
  const at = (e: number): Point => ({ x: e + 1, y: lrAt(group.schedule, group.optimizer, e) });
  const points: Point[] = [];
  const perDecade = COLUMNS / Math.max(Math.log10(steps), 1);
  for (let column = 1, start = 0; start < steps; column++) {
    // the column's steps: those with step + 1 below 10^(column / perDecade)
    const end = Math.min(steps, Math.max(start + 1, Math.ceil(10 ** (column / perDecade)) - 1));
    const stride = Math.max(1, (end - start) / SAMPLES);
    const read = new Set<number>([start, end - 1, ...turningSteps(group.schedule, start, end)]);
    for (let e = start; e < end; e += stride) read.add(Math.floor(e));
    const inColumn = [...read].sort((a, b) => a - b).map(at);
    const low = inColumn.reduce((a, b) => (b.y < a.y ? b : a));
    const high = inColumn.reduce((a, b) => (b.y > a.y ? b : a));
    const keep = [...new Set([inColumn[0], low, high, inColumn[inColumn.length - 1]])].sort((a, b) => a.x - b.x);
    points.push(...keep);
    start = end;
  }
  if (cache.size > 32) cache.clear();
  cache.set(key, points);
  return points;
}
