// The kink paths: where each hidden unit of a 1 → H → 1 piecewise-linear network bends (−b1ⱼ / w1ⱼ) at
// each of the model's snapshots, against step + 1 on a log axis, with [0, 1] — where the function is fitted
// — shaded and the target's own breaks marked. A unit whose kink is outside [0, 1] bends nothing there; one
// that escapes a plateau brings a kink onto the target's break. Kinks beyond the view run dotted along its
// edge, a triangle where each such stretch begins; a kink that flips through infinity (w changes sign) is
// not drawn across the view. Each path is fainter where the unit's weight out |w2ⱼ| is small beside its
// model's largest at that snapshot (a unit the output hardly hears bends the fit little); the output
// activation's own bend (where the output's pre-activation crosses 0) is a dashed path where the view
// holds it; the caption says how many of each model's units are live on [0, 1] along the way (hiddenUnits),
// in words: drawn as a line over the kink paths, the count read as one more kink.
import type { ChartConfiguration, ChartDataset, ScriptableLineSegmentContext } from 'chart.js';
import { bendsOf, hiddenUnits, leakSlope, piecewiseLinearNet, shapeOf, unitKinks } from '../model/network.ts';
import { targetBreaks } from '../model/target.ts';
import type { Group } from '../preset/preset.ts';
import { SNAPSHOTS_KEPT_FOR } from '../results/snapshots.ts';
import { linearScale, logScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData, ChartModel } from './data.ts';
import { OUTPUT_DASH, typicalOfEachGroup } from './fit.ts';
import { level, points } from './figures.ts';
import { emphasisOf } from './highlight.ts';
import { guideLine } from './references.ts';
import type { ChartOptions } from './request.ts';
import { groupsIn, legendOf } from './series.ts';
import { isDarkTheme } from './kinds.ts';
import { colorsOf, dashOf, fadedBy, looksOf, modelColor } from './theme.ts';

/** The kink positions the chart shows: [0, 1] and a quarter on either side. */
export const KINK_VIEW = { min: -0.25, max: 1.25 } as const;

/**
 * Where the output activation bends the function inside the view at each snapshot (bendsOf), as paths: the
 * leftmost bend of each snapshot on the first, the next on the second…; NaN where a snapshot has fewer.
 */
function outputBends(group: Group, params: readonly ArrayLike<number>[], step: readonly number[]): number[][] {
  if (!group.outputActivation) return [];
  const bends = params.map((row) =>
    bendsOf(group, row, KINK_VIEW.min, KINK_VIEW.max)
      .filter((b) => b.source === 'output')
      .map((b) => b.x),
  );
  const tracks = Math.max(0, ...bends.map((b) => b.length));
  return Array.from({ length: tracks }, (_, track) => step.map((_, k) => bends[k][track] ?? NaN));
}

/** The most changes of a model's live units the caption lists: past them, it gives the range. */
const LISTED_CHANGES = 4;

/** A model's live units along its snapshots, in words: "4 of 8, 5 from step 92, 4 from step 310". */
function liveOverTime(live: number[], step: readonly number[], width: number): string {
  const changes = live.flatMap((n, k) => (k > 0 && n !== live[k - 1] ? [k] : []));
  if (!changes.length) return `${live[0]} of ${width} throughout`;
  if (changes.length > LISTED_CHANGES)
    return `${live[0]} of ${width} at first, ${live.at(-1)} at the end, ${Math.min(...live)} to ${Math.max(...live)} between`;
  return [`${live[0]} of ${width}`, ...changes.map((k) => `${live[k]} from step ${points(step[k])}`)].join(', ');
}

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
  let [pinned, bent] = [false, false];
  const lives: string[] = [];
  for (const m of chosen) {
    const group = data.preset.groups[m.groupIndex];
    const { step, params } = m.snapshots!;
    const e = emphasisOf(o, m.id);
    const tint = (alpha: number) => modelColor(looks[m.groupIndex].family, m.index, sizes.get(m.groupIndex) ?? 1, o.theme, alpha * e.alpha);
    const color = tint(1);
    const paths = params.map((row) => unitKinks(group, row));
    // each unit's weight out at each snapshot, beside the model's largest there
    const weightAt = shapeOf(group.hidden).weightAt[1];
    const largest = params.map((row) =>
      Math.max(0, ...Array.from({ length: group.hidden[0] }, (_, j) => Math.abs(row[weightAt + j])).filter(Number.isFinite)),
    );
    for (let j = 0; j < group.hidden[0]; j++) {
      const faded = params.map((row, k) => tint(fadedBy(row[weightAt + j], largest[k])));
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
        borderWidth: 1.5 * e.width * s,
        order: e.order,
        model: m.id,
        segment: {
          borderColor: (ctx) => (segment(ctx).gone ? 'transparent' : faded[ctx.p1DataIndex]),
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
    const output = outputBends(group, params, step);
    bent ||= output.length > 0;
    datasets.push(
      ...output.map((ys, track) => ({
        type: 'line' as const,
        label: `${m.group} #${m.index} output bend${output.length > 1 ? ` ${track}` : ''}`,
        group: m.group,
        data: step.map((t, k) => ({ x: t + 1, y: ys[k] })),
        kink: ys.map((y) => (Number.isNaN(y) ? null : y)),
        borderColor: color,
        borderDash: OUTPUT_DASH.map((d) => d * s),
        borderWidth: 2 * e.width * s,
        order: e.order,
        model: m.id,
        pointRadius: 0,
        spanGaps: false,
      })),
    );
    const live = params.map((row) => hiddenUnits(group, row, [])!.units.filter((u) => u.live).length);
    lives.push(`${m.group} #${m.index} (${lives.length ? '' : 'live on [0, 1]: '}${liveOverTime(live, step, group.hidden[0])})`);
  }
  // the loss chart's step axis, so the two line up side by side
  const xMax = Math.max(2, data.preset.stop.maxSteps, ...chosen.map((m) => m.snapshots!.step.at(-1)! + 1));
  const breaks = targetBreaks(data.preset.target);
  const annotations: Record<string, object> = {
    fitted: {
      type: 'box',
      yMin: 0,
      yMax: 1,
      backgroundColor: isDarkTheme(o.theme) ? 'rgba(255, 255, 255, 0.06)' : 'rgba(0, 0, 0, 0.045)',
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
        cursor: 1, // x is step + 1
        caption: [
          // one line, and no legend entry for the output's bend: either would crowd a small chart's plot
          ...(chosen.length ? [`hidden units' kinks of ${lives.join('; ')}${bent ? "; dashed: the output's bend" : ''}`] : []),
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
