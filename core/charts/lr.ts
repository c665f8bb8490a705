// The learning-rate chart: the rate each group trains with against step + 1 (or, on a linear step axis,
// the step), one line for the groups on one schedule (named once, with all of them), as PyTorch's schedule computes it (not the run's decimated points, which would turn a triangle
// into a staircase), reduced to what a chart can show: per column of the step axis (the loss chart's, log-
// or evenly spaced), the first, lowest, highest and last value, in step order. Each column is read at up to SAMPLES steps plus every step where
// the schedule turns, so a million-step schedule costs a few thousand evaluations.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { Group } from '../preset/preset.ts';
import { lrAt, turningSteps } from '../model/schedule.ts';
import { extent, linearScale, logScale, stepAxis } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import { capOf, type ChartData } from './data.ts';
import { level, points } from './figures.ts';
import type { ChartOptions } from './request.ts';
import { legendOf, seriesName, sharedName } from './series.ts';
import { dashOf, groupColor, looksOf } from './theme.ts';

type Point = { x: number; y: number };
const SAMPLES = 32;
/** Columns of the drawn line: about a chart's width in pixels. */
const COLUMNS = 800;
const cache = new Map<string, Point[]>();

/** What a group's learning rate follows: groups with the same train at the same rate at every step. */
const scheduleOf = (group: Group): string => JSON.stringify([group.schedule, group.optimizer.lr]);

/** Points (x = step + 1, or on a linear step axis the step; y = lr) of the whole schedule over `steps` steps. */
export function scheduleLine(group: Group, steps: number, linear = false): Point[] {
  const key = JSON.stringify([scheduleOf(group), steps, linear]);
  const cached = cache.get(key);
  if (cached) return cached;
  const offset = linear ? 0 : 1;
  const lrPoint = (e: number): Point => ({ x: e + offset, y: lrAt(group.schedule, group.optimizer, e) });
  const line: Point[] = [];
  const perDecade = COLUMNS / Math.max(Math.log10(steps), 1);
  for (let column = 1, start = 0; start < steps; column++) {
    // the column's steps: those with step + 1 below 10^(column / perDecade), or in its even share of the steps
    const last = linear ? Math.ceil((column * steps) / COLUMNS) : Math.ceil(10 ** (column / perDecade)) - 1;
    const end = Math.min(steps, Math.max(start + 1, last));
    const stride = Math.max(1, (end - start) / SAMPLES);
    const read = new Set<number>([start, end - 1, ...turningSteps(group.schedule, start, end)]);
    for (let e = start; e < end; e += stride) read.add(Math.floor(e));
    const inColumn = [...read].sort((a, b) => a - b).map(lrPoint);
    const low = inColumn.reduce((a, b) => (b.y < a.y ? b : a));
    const high = inColumn.reduce((a, b) => (b.y > a.y ? b : a));
    const keep = [...new Set([inColumn[0], low, high, inColumn[inColumn.length - 1]])].sort((a, b) => a.x - b.x);
    line.push(...keep);
    start = end;
  }
  if (cache.size > 32) cache.clear();
  cache.set(key, line);
  return line;
}

/** `v` rounded up to a multiple of half its decade (0.56 → 0.6, 0.112 → 0.15), so the top tick is a round number. */
function roundedUp(v: number): number {
  const unit = 10 ** Math.floor(Math.log10(v)) / 2;
  return Number((Math.ceil(v / unit - 1e-9) * unit).toPrecision(12));
}

/**
 * The learning rate each group trains with, against step: PyTorch's schedule, computed from its formula.
 * Groups on one schedule draw one line (to the latest of their step caps) in the first one's look, named
 * with every group on it.
 */
export function lrChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const looks = looksOf(data);
  const sharing = new Map<string, number[]>(); // by schedule, the groups on it
  data.preset.groups.forEach((g, k) => sharing.set(scheduleOf(g), [...(sharing.get(scheduleOf(g)) ?? []), k]));
  const lines = [...sharing.values()];
  const groups = lines.map(([first]) => ({ group: data.preset.groups[first].name, groupIndex: first }));
  const datasets: Dataset[] = lines.map((on, k) => {
    const { group, groupIndex } = groups[k];
    return {
      label: group,
      group,
      data: scheduleLine(data.preset.groups[groupIndex], Math.max(...on.map((g) => capOf(data, g))), o.linearSteps),
      borderColor: groupColor(looks[groupIndex].family, o.theme),
      borderDash: dashOf(looks[groupIndex], s),
      borderWidth: 1.5 * s,
      pointRadius: 0,
      clip: 3 * s, // a schedule's troughs at lr 0 draw whole on the axis
    };
  });
  const [bottom, top] = extent(
    datasets.flatMap((d) => (d.data as { y: number }[]).map((p) => p.y)).filter((v) => v > 0),
    [1e-3, 1],
  );
  const x = stepAxis(o.linearSteps, data.preset.stop.maxSteps, s);
  // the plot runs on a little above its round top tick, so that tick's label stays clear of the legend over it
  const y = o.lrLog
    ? logScale(bottom * 0.8, top * 1.4, s)
    : linearScale({ min: 0, max: roundedUp(top * 1.12) * 1.04, ticks: { includeBounds: false } }, s);
  const on = new Map(lines.map((line, k) => [groups[k].group, line]));
  const name = (g: number) => seriesName(o, data, data.preset.groups[g].name, g);
  const legend = legendOf(o, data, groups).map((e) => {
    const shared = e.group === undefined ? undefined : on.get(e.group);
    return shared && shared.length > 1 ? { ...e, text: sharedName(shared.map(name)) } : e;
  });
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line'>[] },
    options: chartJsOptions('lr', o, x.scale, y, {
      legend,
      cursor: x.offset,
      tooltip: (item) => `${item.dataset.label} · step ${points(at(item).x - x.offset)} · lr ${level(at(item).y)}`,
    }) as never,
  };
}
