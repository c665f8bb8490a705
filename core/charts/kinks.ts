// The kink paths: where each hidden unit of a 1 → H → 1 piecewise-linear network bends (−b1ⱼ / w1ⱼ) at
// each of the model's snapshots, against step + 1 on a log axis, with [0, 1] — where the function is fitted
// — shaded and the target's own breaks marked. A network stuck on the best line has every kink outside
// [0, 1]; one that escapes brings a kink onto the target's break. Kinks beyond the view are pinned to its
// edge with a marker. By default the typical model of each group, as the fit chart draws.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { piecewiseLinearNet, unitKinks } from '../model/network.ts';
import { targetBreaks } from '../model/target.ts';
import { linearScale, logScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData } from './data.ts';
import { typicalOfEachGroup } from './fit.ts';
import { level } from './figures.ts';
import { onLineLabel } from './references.ts';
import type { ChartOptions } from './request.ts';
import { groupsIn, legendOf } from './series.ts';
import { colorsOf, dashOf, looksOf, modelColor } from './theme.ts';

/** The kink positions the chart shows: [0, 1] and a quarter on either side. */
export const KINK_VIEW = { min: -0.25, max: 1.25 } as const;

/** Why a chosen model has no kink paths, where none of them does. */
const WHY_NOT = {
  network: 'kink paths are drawn for 1→H→1 networks with a piecewise-linear activation',
  snapshots: 'kink paths need the models’ snapshots (the CPU kernels keep them; lab chart reads them beside the result)',
} as const;

export function kinksChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const wanted = o.fitModels ?? typicalOfEachGroup(data.models);
  const candidates = data.models.filter((m) => wanted.includes(m.id));
  const piecewise = candidates.filter((m) => piecewiseLinearNet(data.preset.groups[m.groupIndex]));
  const chosen = piecewise.filter((m) => (m.snapshots?.step.length ?? 0) > 0);
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
      const path: Dataset & { kink: (number | null)[] } = {
        type: 'line',
        label: `${m.group} #${m.index} unit ${j + 1}`,
        group: m.group,
        data: step.map((t, k) => ({ x: t + 1, y: ys[k] === null ? NaN : Math.min(KINK_VIEW.max, Math.max(KINK_VIEW.min, ys[k]!)) })),
        kink: ys,
        borderColor: color,
        backgroundColor: color,
        borderDash: dashOf(looks[m.groupIndex], s),
        borderWidth: 1.5 * s,
        spanGaps: false,
        // where it goes beyond the view: a triangle pointing the way it went, at the start of each stretch
        pointStyle: 'triangle',
        pointRadius: edge.map((e, k) => (e !== 0 && edge[k - 1] !== e ? 5 * s : 0)),
        pointRotation: edge.map((e) => (e < 0 ? 180 : 0)),
        pointHoverRadius: 4 * s,
        clip: 6 * s,
      };
      datasets.push(path);
    }
  }
  const xMax = Math.max(2, ...chosen.map((m) => m.snapshots!.step.at(-1)! + 1));
  const breaks = targetBreaks(data.preset.target).filter((x) => x >= KINK_VIEW.min && x <= KINK_VIEW.max);
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
        position: { x: 'start', y: 'start' },
        color: c.muted,
        font: { size: Math.round(11 * s) },
      },
    },
    ...Object.fromEntries(
      breaks.map((x, k) => [
        `break${k}`,
        {
          type: 'line',
          yMin: x,
          yMax: x,
          borderColor: c.referenceLine,
          borderWidth: 1.5 * s,
          borderDash: [8 * s, 4 * s],
          drawTime: 'beforeDatasetsDraw',
          // at the left: the kinks that reach it arrive late, on the right
          label: { display: true, content: `the target breaks at ${x}`, position: 'start', ...onLineLabel(c, s), yAdjust: -10 * s },
        },
      ]),
    ),
  };
  const why = !candidates.length ? null : !piecewise.length ? WHY_NOT.network : !chosen.length ? WHY_NOT.snapshots : null;
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
        caption: why ? [why] : undefined,
        tooltip: (item) => {
          const kink = (item.dataset as unknown as { kink: (number | null)[] }).kink[item.dataIndex];
          return `${item.dataset.label} · step ${level(at(item).x - 1)} · kink at ${kink === null ? 'none (w = 0)' : level(kink)}`;
        },
      },
    ) as never,
  };
}
