// The time-to-reach chart: per group, the fraction of models that have reached the loss limit against
// step + 1 (log x), from the Kaplan–Meier estimate, so models capped, stopped or diverged before
// reaching count as censored (a tick where each left) instead of being dropped; with its 95 % band.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { percent } from '../results/format.ts';
import { wilson } from '../results/stats.ts';
import { reachCurve } from '../results/summary.ts';
import { linearScale, logScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import { finished, type ChartData } from './data.ts';
import { points } from './figures.ts';
import { guideLine } from './references.ts';
import type { ChartOptions } from './request.ts';
import { groupsIn, legendOf } from './series.ts';
import { colorsOf, dashOf, groupColor, looksOf } from './theme.ts';

export function reachChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line' | 'scatter'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const cap = data.preset.stop.maxSteps;
  const done = data.models.filter(finished);
  const groups = groupsIn(data.models);
  const datasets: Dataset[] = [];
  const looks = looksOf(data);
  let first = cap; // the earliest step anything happens at: the axis starts a decade below it
  for (const [k, g] of groups.entries()) {
    const mine = done.filter((m) => m.groupIndex === g.groupIndex);
    const km = reachCurve(mine, cap);
    const reachedCount = mine.filter((m) => m.status === 'reached').length;
    first = Math.min(first, km.time[0] ?? cap, km.censored[0]?.time ?? cap);
    g.note = mine.length ? `${reachedCount}/${mine.length} reached` : 'waiting';
    // F = 1 − S: flat until each event time, then up (stepped), from 0 at the first step to the cap
    const curve = [{ x: 1, y: 0 }, ...km.time.map((t, k) => ({ x: t + 1, y: 1 - km.survival[k] }))];
    curve.push({ x: cap, y: curve[curve.length - 1].y });
    // Before the first reach, Kaplan–Meier gives no interval (its estimate is 0 with no spread): there the
    // band is Wilson's for 0 of the models still running, as the summary table gives 0 of n at the end.
    const firstReach = km.time[0] ?? cap;
    const unreached = (upper: boolean) => {
      const edge = (running: number) => (!upper ? 0 : running ? wilson(0, running).high : 1);
      const steps = [{ x: 1, y: edge(km.n) }];
      for (const left of km.censored.filter((c) => c.time < firstReach))
        steps.push({ x: left.time + 1, y: steps[steps.length - 1].y }, { x: left.time + 1, y: edge(left.atRisk) });
      return steps;
    };
    // the band as an explicit staircase: the filler between two edges does not follow `stepped`
    const band = (edge: number[], upper: boolean) => {
      const steps = mine.length ? unreached(upper) : [{ x: 1, y: 0 }];
      km.time.forEach((t, k) => {
        if (!Number.isFinite(edge[k])) return;
        steps.push({ x: t + 1, y: steps[steps.length - 1].y }, { x: t + 1, y: 1 - edge[k] });
      });
      steps.push({ x: cap, y: steps[steps.length - 1].y }); // on to the cap, as the curve goes
      return steps;
    };
    const look = looks[g.groupIndex];
    const color = groupColor(look.family, o.theme);
    const name = `${g.group}`;
    datasets.push(
      {
        type: 'line',
        label: `${name} 95 % band high`,
        group: g.group,
        data: band(km.low, true),
        borderWidth: 0,
        pointRadius: 0,
      },
      {
        type: 'line',
        label: `${name} 95 % band low`,
        group: g.group,
        data: band(km.high, false),
        borderWidth: 0,
        pointRadius: 0,
        fill: '-1',
        backgroundColor: groupColor(look.family, o.theme, 0.14),
      },
      {
        type: 'line',
        label: name,
        group: g.group,
        data: curve,
        stepped: 'before', // flat until each event, then up: Chart.js's 'after' would rise at the previous point
        borderColor: color,
        borderDash: dashOf(look, s),
        // groups share 0 % until they first reach: Chart.js draws the first dataset on top, so each later group
        // draws wider under the ones before it, and all show
        borderWidth: (2.5 + 1.5 * Math.min(k, 3)) * s,
        pointRadius: 0,
        clip: 4 * s, // a group none of whose models reached draws whole along 0 %, its ticks too
      },
      {
        type: 'scatter',
        label: `${name} censored`,
        group: g.group,
        data: km.censored.map((e) => ({ x: e.time + 1, y: 1 - e.survival })),
        pointStyle: 'line',
        pointRotation: 90,
        pointRadius: 6 * s,
        borderColor: color,
        borderWidth: 1.5 * s,
        clip: 8 * s,
      },
    );
  }
  const tick = {
    text: 'censored (stopped short of the limit)',
    pointStyle: 'line' as const,
    rotation: 90,
    strokeStyle: c.muted,
    lineWidth: 1.5 * s,
  };
  const band = {
    text: '95 % band',
    pointStyle: 'rect' as const,
    fillStyle: c.grid,
    strokeStyle: c.grid,
    lineWidth: 0,
  };
  const half = guideLine(0.5, 'half reached: the median steps', c, s);
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line' | 'scatter'>[] },
    options: chartJsOptions(
      'reach',
      o,
      logScale(Math.min(10 ** Math.floor(Math.log10(first + 1)), cap / 10), Math.max(2, cap), s),
      linearScale({ min: 0, max: 1, ticks: { callback: (v: number | string) => `${percent(Number(v))} %`, stepSize: 0.25 } }, s),
      {
        legend: [...legendOf(o, data, groups), tick, band],
        annotations: { half },
        tooltip: (item) => `${item.dataset.label} · step ${points(at(item).x - 1)} · ${percent(at(item).y)} % reached`,
      },
    ) as never,
  };
}
