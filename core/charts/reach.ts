// The time-to-reach chart: per group, the fraction of models that have reached the loss limit against
// step + 1 (log x, from the first step to the cap: each compared run's group to its own), from the
// Kaplan–Meier estimate, so models capped, stopped or diverged before reaching count as censored (a tick
// where each left) instead of being dropped; with its 95 % band (a crowded chart: the picked groups' only).
// Groups none of whose models reached are said in words, not drawn along 0 %.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { percent } from '../results/format.ts';
import { wilson } from '../results/stats.ts';
import { reachCurve } from '../results/summary.ts';
import { linearScale, logScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import { capOf, finished, type ChartData } from './data.ts';
import { points } from './figures.ts';
import { guideLine, onLineLabel } from './references.ts';
import type { ChartOptions } from './request.ts';
import { crowded, groupsIn, legendOf, listed, seriesName, type Series } from './series.ts';
import { colorsOf, dashOf, FONT_FAMILY, groupColor, looksOf } from './theme.ts';

export function reachChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line' | 'scatter'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const done = data.models.filter(finished);
  const groups = groupsIn(data.models);
  const datasets: Dataset[] = [];
  const looks = looksOf(data);
  // a group none of whose models reached draws nothing: its curve along 0 % and its band from 0 would lie
  // over every other such group's in one block no legend entry matches; the chart says it in words instead
  const unreached: Series[] = [];
  let drawn = 0;
  let banded = false;
  for (const g of groups) {
    const mine = done.filter((m) => m.groupIndex === g.groupIndex);
    const reachedCount = mine.filter((m) => m.status === 'reached').length;
    // as the summary's rate: of the models not stopped, the stopped ones named apart
    const stopped = mine.filter((m) => m.outcome === 'stopped').length;
    const ended = mine.length - stopped;
    g.note = mine.length
      ? [ended && `${reachedCount}/${ended} reached`, stopped && `${stopped} stopped`].filter(Boolean).join(', ')
      : 'waiting';
    if (reachedCount === 0) {
      // said once every model of the group has finished; while some train, one may still reach
      if (mine.length && mine.length === data.models.filter((m) => m.groupIndex === g.groupIndex).length) unreached.push(g);
      continue;
    }
    const cap = capOf(data, g.groupIndex); // nothing drawn past it: the run stopped there
    const km = reachCurve(mine, cap);
    // F = 1 − S: flat until each event time, then up (stepped), from 0 at the first step to the cap
    const curve = [{ x: 1, y: 0 }, ...km.time.map((t, k) => ({ x: t + 1, y: 1 - km.survival[k] }))];
    curve.push({ x: cap, y: curve[curve.length - 1].y });
    // Before the first reach, Kaplan–Meier gives no interval (its estimate is 0 with no spread): there the
    // band is Wilson's for 0 of the models still running, as the summary table gives 0 of n at the end.
    const firstReach = km.time[0];
    const beforeFirstReach = (upper: boolean) => {
      const edge = (running: number) => (!upper ? 0 : running ? wilson(0, running).high : 1);
      const steps = [{ x: 1, y: edge(km.n) }];
      for (const left of km.censored.filter((c) => c.time < firstReach))
        steps.push({ x: left.time + 1, y: steps[steps.length - 1].y }, { x: left.time + 1, y: edge(left.atRisk) });
      return steps;
    };
    // the band as an explicit staircase: the filler between two edges does not follow `stepped`
    const band = (edge: number[], upper: boolean) => {
      const steps = beforeFirstReach(upper);
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
    // a crowded chart's bands would hide one another in one grey block: the picked groups' alone
    if (!crowded(groups.length) || o.selectedGroups?.includes(g.group)) {
      banded = true;
      datasets.push(
        { type: 'line', label: `${name} 95 % band high`, group: g.group, data: band(km.low, true), borderWidth: 0, pointRadius: 0 },
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
      );
    }
    datasets.push(
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
        borderWidth: (2.5 + 1.5 * Math.min(drawn++, 3)) * s,
        pointRadius: 0,
        clip: 4 * s, // the stretch along 0 % before the first reach draws whole
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
    // turned, a tick; in a crowded legend's wide symbols a line would turn diagonal, a dash (from the middle) does not
    pointStyle: crowded(groups.length) ? ('dash' as const) : ('line' as const),
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
  const nothing = unreached.length > 0 && unreached.length === groups.length;
  // a crowded legend says "0/n reached" beside each: the caption counts them, where names would run off it
  const unreachedText = crowded(groups.length)
    ? `${unreached.length} of the ${groups.length} groups`
    : listed(unreached.map((g) => seriesName(o, data, g.group, g.groupIndex)));
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line' | 'scatter'>[] },
    options: chartJsOptions(
      'reach',
      o,
      // from the first step, whatever the models did: where they reached reads against the whole run
      logScale(1, Math.max(2, data.preset.stop.maxSteps), s),
      // the plot runs on a little above 100 %, so that its label stays clear of the legend over the plot
      linearScale(
        {
          min: 0,
          max: 1.04,
          ticks: { callback: (v: number | string) => `${percent(Number(v))} %`, stepSize: 0.25, includeBounds: false },
        },
        s,
      ),
      {
        legend: [...legendOf(o, data, groups), ...(drawn ? [tick] : []), ...(banded ? [band] : [])],
        annotations: nothing
          ? { nothing: nothingReached(data, c, s) }
          : drawn
            ? { half: guideLine(0.5, 'half reached: the median steps', c, s) }
            : {},
        caption: captionOf(nothing || !unreached.length ? null : unreachedText, data),
        tooltip: (item) => `${item.dataset.label} · step ${points(at(item).x - 1)} · ${percent(at(item).y)} % reached`,
      },
    ) as never,
  };
}

/** Each compared run's step cap, by run, where they differ: the curves end at their own. */
function capsOf(data: ChartData): Map<string, number> | null {
  const caps = new Map(data.origins?.map((origin) => [origin.run, origin.maxSteps]));
  return new Set(caps.values()).size > 1 ? caps : null;
}

/** What the caption says: the groups none of whose models reached, and where runs compared stop at different steps. */
function captionOf(unreached: string | null, data: ChartData): string[] | undefined {
  const caps = capsOf(data);
  // runs by their number, as runLabels names them ("2. Seed…")
  const each = caps && [...caps].map(([run, cap]) => `${points(cap)} steps (run ${/^\d+/.exec(run)?.[0] ?? run})`);
  const lines = [
    ...(unreached ? [`${unreached}: no model reached the limit`] : []),
    ...(each ? [`each run to its own step cap: ${each.join(', ')}`] : []),
  ];
  return lines.length ? lines : undefined;
}

/** The chart's message when no model of any group reached the limit, in the middle of the plot. */
function nothingReached(data: ChartData, c: ReturnType<typeof colorsOf>, s: number) {
  const caps = capsOf(data);
  const within = caps
    ? `within each run's step cap (${points(Math.min(...caps.values()))} to ${points(data.preset.stop.maxSteps)})`
    : `within ${points(data.preset.stop.maxSteps)} steps`;
  return {
    type: 'label',
    xValue: Math.sqrt(Math.max(2, data.preset.stop.maxSteps)), // the middle of the log axis from 1
    yValue: 0.5,
    content: ['no model reached the limit', `loss ${data.preset.stop.lossLimit} ${within}`],
    ...onLineLabel(c, s),
    font: [
      { family: FONT_FAMILY, size: Math.round(18 * s), weight: 'bold' },
      { family: FONT_FAMILY, size: Math.round(13 * s) },
    ],
    padding: { x: 12 * s, y: 8 * s },
    drawTime: 'afterDatasetsDraw',
  };
}
