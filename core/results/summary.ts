// Each group's (a sweep's: each cell's) statistics from its models' results: where they ended, how
// often they reached the limit and escaped the line plateau (Wilson intervals), how many steps reaching
// takes (Kaplan–Meier: a model that stopped short is censored), the best and last losses, and the
// levels the final losses cluster at. Derived from the models alone, so old results gain them on reading.
// A model the user's Stop interrupted (outcome `stopped`) is left out of the rates, where it would count as
// never reaching what it had no time to reach, and is censored at its last step in the steps to reach.
import type { ModelResult } from './events.ts';
import { OUTCOMES, PLATEAU_TOLERANCE, type Outcome } from '../model/plateaus.ts';
import type { Preset } from '../preset/preset.ts';
import { kaplanMeier, median, medianTime, wilson, type KaplanMeier, type MedianTime, type Observation, type Proportion } from './stats.ts';

export interface GroupSummary {
  group: string;
  /** The models it kept: fewer than `planned` where the run was stopped or interrupted. */
  models: number;
  /** The models it was to train. */
  planned: number;
  /** Models per outcome. */
  counts: Record<Outcome, number>;
  /** Reached the loss limit, of the models not stopped. */
  reach: Proportion;
  /** Ended below the line plateau, reached or not, of the models not stopped. */
  escape: Proportion;
  /** Steps to reach the limit (Kaplan–Meier median, with its 95 % interval). */
  stepsToReach: MedianTime;
  /** How many steps its models were watched for: the step cap, or fewer where Stop cut every one short (the median can lie no further). */
  stepsSeen: number;
  /** Median over models of the lowest validation loss each saw; null where none was finite (or an old result). */
  lossBest: number | null;
  /** Median of the last validation losses. */
  lossFinal: number | null;
  /** Final losses clustered within PLATEAU_TOLERANCE, e.g. { count: 7, loss: 0.0658 }. */
  clusters: { count: number; loss: number; min: number; max: number }[];
}

/** Zero models of every outcome. */
function noOutcomes(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

/** Groups sorted final losses into runs whose neighbours lie within PLATEAU_TOLERANCE of each other. */
export function clusterLosses(losses: number[]): GroupSummary['clusters'] {
  const sorted = losses.filter(Number.isFinite).sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const v of sorted) {
    const current = clusters[clusters.length - 1];
    if (current && v <= current[current.length - 1] * (1 + PLATEAU_TOLERANCE)) current.push(v);
    else clusters.push([v]);
  }
  return clusters
    .map((c) => ({ count: c.length, loss: median(c)!, min: c[0], max: c[c.length - 1] }))
    .sort((p, q) => q.count - p.count || p.loss - q.loss);
}

type Finished = Pick<ModelResult, 'status' | 'steps' | 'outcome' | 'lossFinal' | 'lossBest'>;

/**
 * When a model reached the limit (its last step index, as the seed's `epochs`), or the last step it was
 * seen at without reaching: a capped or stopped model there, a diverged one at the cap (it never reaches).
 */
export function observationOf(m: Finished, maxSteps: number): Observation {
  return m.status === 'reached' ? { time: m.steps, event: true } : { time: m.status === 'diverged' ? maxSteps - 1 : m.steps, event: false };
}

/** The time-to-reach estimate of some models. */
export function reachCurve(models: Finished[], maxSteps: number): KaplanMeier {
  return kaplanMeier(models.map((m) => observationOf(m, maxSteps)));
}

const finite = (values: (number | null)[]) => values.filter((v): v is number => v !== null && Number.isFinite(v));

/** `planned`: the models the group was to train (by default those it has). */
export function summariseGroup(group: string, mine: Finished[], maxSteps: number, planned = mine.length): GroupSummary {
  const counts = noOutcomes();
  for (const m of mine) counts[m.outcome]++;
  const ended = mine.length - counts.stopped;
  return {
    group,
    models: mine.length,
    planned,
    counts,
    reach: wilson(counts.reached, ended),
    escape: wilson(counts.reached + counts.escaped, ended),
    stepsToReach: medianTime(reachCurve(mine, maxSteps)),
    stepsSeen: mine.reduce((seen, m) => Math.max(seen, observationOf(m, maxSteps).time + 1), mine.length ? 0 : maxSteps),
    lossBest: median(finite(mine.map((m) => m.lossBest))),
    lossFinal: median(finite(mine.map((m) => m.lossFinal))),
    clusters: clusterLosses(finite(mine.map((m) => m.lossFinal))),
  };
}

/** The summary of every group of a preset (as run: a sweep's cells), from the models that finished. */
export function summarise(preset: Preset, models: (Finished & Pick<ModelResult, 'group'>)[]): GroupSummary[] {
  const byGroup = new Map<string, Finished[]>(preset.groups.map((g) => [g.name, []]));
  for (const m of models) byGroup.get(m.group)?.push(m);
  return preset.groups.map((g) => summariseGroup(g.name, byGroup.get(g.name)!, preset.stop.maxSteps, g.models));
}
