// Everything a run derives once from its preset: the target, the grid, the plateau levels, the models.
import { gridPoints, type PointSet } from './data.ts';
import type { ModelRef } from '../../core/results/events.ts';
import { plateausOf, type Plateaus } from '../../core/model/plateaus.ts';
import type { Preset } from '../../core/preset/preset.ts';
import { makeGrid, targetFunction, type Grid, type TargetFn } from '../../core/model/target.ts';

export interface Experiment {
  preset: Preset;
  target: TargetFn;
  grid: Grid;
  gridPoints: PointSet;
  plateaus: Plateaus;
  models: ModelRef[];
  /** Per group, the key its per-model streams derive from (core/preset/sweep.ts). */
  streams: number[];
}

/** The run's models in log order (group by group, model by model): cheap, so the main thread can plan with it. */
export function modelsOf(preset: Preset): ModelRef[] {
  const models: ModelRef[] = [];
  preset.groups.forEach((g, groupIndex) => {
    for (let index = 0; index < g.models; index++) models.push({ id: models.length, group: g.name, groupIndex, index });
  });
  return models;
}

/** Builds the grid (up to a million points, sorted with prefix sums): a worker's job, never the main thread's. */
export function experimentOf(preset: Preset, streams = preset.groups.map((_, g) => g)): Experiment {
  const target = targetFunction(preset.target);
  const grid = makeGrid(preset.validation.points, target);
  return { preset, target, grid, gridPoints: gridPoints(grid), plateaus: plateausOf(grid), models: modelsOf(preset), streams };
}
