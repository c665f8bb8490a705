// The groups a chart draws as series: which groups its models belong to, what each is called (a slide's
// own name, a sweep cell's values, or the group and its network) and its one legend entry.
import type { LegendItem } from 'chart.js';
import type { Group, Preset } from '../preset/preset.ts';
import type { ChartData } from './data.ts';
import type { ChartOptions } from './request.ts';
import type { SweepInfo } from '../preset/sweep.ts';
import { dashOf, groupColor, looksOf } from './theme.ts';

export interface Series {
  group: string;
  groupIndex: number;
  /** What its legend entry adds: "median, 10–90 % band", "waiting". */
  note?: string;
}

/** The groups the models belong to, in group order. */
export function groupsIn(models: { group: string; groupIndex: number }[]): Series[] {
  const seen = new Map<number, Series>();
  for (const m of models) if (!seen.has(m.groupIndex)) seen.set(m.groupIndex, { group: m.group, groupIndex: m.groupIndex });
  return [...seen.values()].sort((a, b) => a.groupIndex - b.groupIndex);
}

/** A group's network in a few characters: 1→8→1. */
function architecture(preset: Preset, groupIndex: number): string {
  return [1, ...preset.groups[groupIndex].hidden, 1].join('→');
}

/**
 * A sweep cell's values as a name that says what they are: "1→16→1 · CyclicLR", "negative slope 0.01 ·
 * 1→4→1" (after its group when the sweep has several); null for a group that is no cell. A bare number
 * names its axis; hidden widths read as the network.
 */
export function cellLabel(sweep: SweepInfo | null | undefined, group: string): string | null {
  const cell = sweep?.cells.find((c) => c.group === group);
  if (!sweep || !cell) return null;
  const named = cell.at.map((v, a) => {
    const { field, title, labels, values } = sweep.axes[a];
    if (!NUMBER.test(labels[v])) return labels[v];
    return field === 'hidden' && Array.isArray(values[v])
      ? [1, ...(values[v] as number[]), 1].join('→')
      : `${title.toLowerCase()} ${labels[v]}`;
  });
  return [...(sweep.bases.length > 1 ? [cell.base] : []), ...named].join(' · ');
}
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

const OPTIMIZER_NAMES = { sgd: 'SGD', adam: 'Adam' } as const;
const SCHEDULE_NAMES = { step: 'StepLR', cosine: 'cosine' } as const;

/** How a group trains, in a slide's words: "SGD 0.1", "Adam 0.01 · cosine", "CyclicLR" (its lr is the schedule's). */
function trainingName(group: Group): string {
  const optimizer = OPTIMIZER_NAMES[group.optimizer.kind];
  const { schedule } = group;
  if (schedule.kind === 'cyclic') return group.optimizer.kind === 'sgd' ? 'CyclicLR' : `${optimizer} · CyclicLR`;
  const plain = `${optimizer} ${group.optimizer.lr}`;
  return schedule.kind === 'constant' ? plain : `${plain} · ${SCHEDULE_NAMES[schedule.kind]}`;
}

/**
 * A group as a legend or an axis names it: the slide's own name, else a sweep cell's values
 * ("1→16→1 · CyclicLR"), else the group and its network ("modelsB · 1→8→1"), and how it trains where the
 * groups differ in that ("modelsB · 1→8→1 · CyclicLR"): a slide of narrow SGD against wide CyclicLR says both.
 */
export function seriesName(o: ChartOptions, data: Pick<ChartData, 'preset' | 'sweep'>, group: string, groupIndex: number): string {
  const named = o.seriesNames?.[group] || cellLabel(data.sweep, group);
  if (named) return named;
  const network = architecture(data.preset, groupIndex);
  if (group.includes(network)) return group; // a compared sweep cell's name already says its network
  const trainings = new Set(data.preset.groups.map(trainingName));
  return trainings.size > 1 ? `${group} · ${network} · ${trainingName(data.preset.groups[groupIndex])}` : `${group} · ${network}`;
}

/** A model as a caption or a list names it: its group as the legend names it, and its index there ("1→16→1 · CyclicLR #2"). */
export function modelLabel(
  o: ChartOptions,
  data: Pick<ChartData, 'preset' | 'sweep'>,
  m: { group: string; groupIndex: number; index: number },
): string {
  return `${seriesName(o, data, m.group, m.groupIndex)} #${m.index}`;
}

/** One legend entry per group (named as the slide wants), plus any extra entries. */
export function legendOf(
  o: ChartOptions,
  data: Pick<ChartData, 'preset' | 'sweep'>,
  groups: Series[],
  extra: Partial<LegendItem>[] = [],
): Partial<LegendItem>[] {
  const s = o.scale ?? 1;
  const looks = looksOf(data);
  return [
    ...groups.map((g) => {
      const color = groupColor(looks[g.groupIndex].family, o.theme);
      const name = seriesName(o, data, g.group, g.groupIndex);
      return {
        text: g.note ? `${name} (${g.note})` : name,
        fillStyle: color,
        strokeStyle: color,
        lineDash: dashOf(looks[g.groupIndex], s),
        lineWidth: 3 * s,
        pointStyle: 'line' as const,
      };
    }),
    ...extra,
  ];
}
