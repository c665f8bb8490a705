// The kink paths: where each hidden unit of a 1 → H → 1 piecewise-linear network bends (−b1ⱼ / w1ⱼ) at
// each of the model's snapshots, against step + 1 on a log axis, with [0, 1] — where the function is fitted
// — shaded and the target's own breaks marked. A unit whose kink is outside [0, 1] bends nothing there; one
// that escapes a plateau brings a kink onto the target's break. Kinks beyond the view run dotted along its
// edge, a triangle where each such stretch begins; a kink that flips through infinity (w changes sign) is
// not drawn across the view. Hidden units only: the output activation's own bend is the fit chart's.
import type { ChartConfiguration, ChartDataset, ScriptableLineSegmentContext } from 'chart.js';
import { leakSlope, piecewiseLinearNet, unitKinks } from '../model/network.ts';
import { targetBreaks } from '../model/target.ts';
import type { Group } from '../preset/preset.ts';
import { SNAPSHOTS_KEPT_FOR } from '../results/snapshots.ts';
import { linearScale, logScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData, ChartModel } from './data.ts';
import { typicalOfEachGroup } from './fit.ts';
import { level, points } from './figures.ts';
import { guideLine } from './references.ts';
import type { ChartOptions } from './request.ts';
import { groupsIn, legendOf } from './series.ts';
import { colorsOf, dashOf, looksOf, modelColor } from './theme.ts';

/** The kink positions the chart shows: [0, 1] and a quarter on either side. */
export const KINK_VIEW = { min: -0.25, max: 1.25 } as const;

/** A network whose hidden units bend: one hidden layer, piecewise linear, not the identity. */
const bends = (group: Group) => piecewiseLinearNet(group) && leakSlope(group.activation) !== 1;

/** Why a group's model has no kink paths. */
function whyNot(group: Group, m: ChartModel): string | null {
  if (!bends(group)) return 'not a 1→H→1 network with a bending piecewise-linear activation';
  if (!m.snapshots?.step.length) return `no snapshots (they are kept for ${SNAPSHOTS_KEPT_FOR})`;
  return null;
}

export function kinksChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  // by default the typical model of each group among those that can be drawn; of a group with none, its
  // typical one, for the caption to say why
  const drawable = data.models.filter((m) => whyNot(data.preset.groups[m.groupIndex], m) === null);
  const drawn = new Set(drawable.map((m) => m.groupIndex));
  const wanted = o.fitModels ?? [
    ...typicalOfEachGroup(drawable),
    ...typicalOfEachGroup(data.models.filter((m) => !drawn.has(m.groupIndex))),
  ];
  const candidates = data.models.filter((m) => wanted.includes(m.id));
  const chosen = candidates.filter((m) => whyNot(data.preset.groups[m.groupIndex], m) === null);
  const looks = looksOf(data);
  const sizes = new Map<number, number>();
  for (const m of data.models) sizes.set(m.groupIndex, (sizes.get(m.groupIndex) ?? 0) + 1);
  const datasets: Dataset[] = [];
  let pinned = false;
  for (const m of chosen) {
    const group = data.preset.groups[m.groupIndex];
    const { step, params } = m.snapshots!;
    const color = modelColor(looks[m.groupIndex].family, m.index, sizes.get(m.groupIndex) ?? 1, o.theme);
    const paths = params.map((row) => unitKinks(group, row));
    for (let j = 0; j < group.hidden[0]; j++) {
      const ys = paths.map((kinks) => kinks[j]);
      const edge = ys.map((y) => (y === null ? 0 : y < KINK_VIEW.min ? -1 : y > KINK_VIEW.max ? 1 : 0));
      if (edge.some((e) => e !== 0)) pinned = true;
      // w1ⱼ (the first layer's weights come first) changed sign: the kink went through infinity, not across [0, 1]
      const flipped = params.map((row, k) => k > 0 && Math.sign(row[j]) * Math.sign(params[k - 1][j]) < 0);
      const segment = (ctx: ScriptableLineSegmentContext) => {
        const [from, to] = [ctx.p0DataIndex, ctx.p1DataIndex];
        return { beyond: edge[from] !== 0 && edge[from] === edge[to], gone: flipped[to] || (edge[from] !== 0 && edge[from] === -edge[to]) };
      };
      const path: Dataset & { kink: (number | null)[] } = {
        type: 'line',
        label: `${m.group} #${m.index} unit ${j}`,
        group: m.group,
        data: step.map((t, k) => ({ x: t + 1, y: ys[k] === null ? NaN : Math.min(KINK_VIEW.max, Math.max(KINK_VIEW.min, ys[k]!)) })),
        kink: ys,
        borderColor: color,
        backgroundColor: color,
        borderDash: dashOf(looks[m.groupIndex], s),
        borderWidth: 1.5 * s,
        segment: {
          borderColor: (ctx) => (segment(ctx).gone ? 'transparent' : undefined),
          borderDash: (ctx) => (segment(ctx).beyond ? [1.5 * s, 3 * s] : undefined),
          borderWidth: (ctx) => (segment(ctx).beyond ? 1 * s : undefined),
        },
        spanGaps: false,
        // where it goes beyond the view: a triangle pointing the way it went, at the start of each stretch
        pointStyle: 'triangle',
        pointRadius: edge.map((e, k) => (e !== 0 && edge[k - 1] !== e ? 5 * s : step.length === 1 ? 3 * s : 0)),
        pointRotation: edge.map((e) => (e < 0 ? 180 : 0)),
        pointHoverRadius: 4 * s,
        clip: 6 * s,
      };
      datasets.push(path);
    }
  }
  // the loss chart's step axis, so the two line up side by side
  const xMax = Math.max(2, data.preset.stop.maxSteps, ...chosen.map((m) => m.snapshots!.step.at(-1)! + 1));
  const breaks = targetBreaks(data.preset.target);
  const annotations: Record<string, object> = {
    fitted: {
      type: 'box',
      yMin: 0,
      yMax: 1,
      backgroundColor: o.theme === 'dark' ? 'rgba(255, 255, 255, 0.06)' : 'rgba(0, 0, 0, 0.045)',
      borderWidth: 0,
      drawTime: 'beforeDatasetsDraw',
      label: {
        display: true,
        content: '[0, 1]: the fitted range',
        position: { x: 'end', y: 'start' },
        color: c.muted,
        font: { size: Math.round(11 * s) },
      },
    },
    ...Object.fromEntries(
      // named at the left: the kinks that reach it arrive late, on the right
      breaks.map((x, k) => [`break${k}`, guideLine(x, `the target breaks at ${Number(x.toPrecision(4))}`, c, s)]),
    ),
  };
  const missing = candidates
    .map((m) => [m, whyNot(data.preset.groups[m.groupIndex], m)] as const)
    .filter((e): e is readonly [ChartModel, string] => e[1] !== null)
    .map(([m, why]) => `${m.group} #${m.index}: ${why}`);
  const pinEntry = { text: 'beyond the view', fillStyle: c.muted, strokeStyle: c.muted, pointStyle: 'triangle' as const, lineWidth: s };
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line'>[] },
    options: chartJsOptions(
      'kinks',
      o,
      logScale(1, xMax, s),
      linearScale({ min: KINK_VIEW.min, max: KINK_VIEW.max, ticks: { stepSize: 0.25 } }, s),
      {
        legend: [...legendOf(o, data, groupsIn(chosen)), ...(pinned ? [pinEntry] : [])],
        annotations,
        caption: [
          ...(chosen.length ? [`hidden units' kinks of ${chosen.map((m) => `${m.group} #${m.index}`).join(', ')}`] : []),
          ...missing,
        ],
        tooltip: (item) => {
          const kink = (item.dataset as unknown as { kink: (number | null)[] }).kink[item.dataIndex];
          return `${item.dataset.label} · step ${points(at(item).x - 1)} · kink at ${kink === null ? 'none' : level(kink)}`;
        },
      },
    ) as never,
  };
}
