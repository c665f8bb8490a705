// The groups a chart draws as series: which groups its models belong to, what each is called (a slide's
// own name, a sweep cell's values, or the group and its network) and its one legend entry.
import type { LegendItem } from 'chart.js';
import type { Group, Preset } from '../preset/preset.ts';
import type { ChartData } from './data.ts';
import type { ChartOptions } from './request.ts';
import type { SweepInfo } from '../preset/sweep.ts';
import { colorsOf, dashOf, groupColor, looksOf } from './theme.ts';

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

/**
 * Up to this many groups a chart draws each in full, named in a legend over the plot. More crowd it: the
 * legend goes beside the plot (a list that scrolls on screen, a column sized to fit in an export), each
 * compared run's groups under its name, and a bands chart draws the medians with bands for the groups
 * picked only, as the time-to-reach chart its 95 % bands.
 */
const FEW_GROUPS = 8;

/** Whether this many groups crowd a chart (more than FEW_GROUPS). */
export const crowded = (groups: number): boolean => groups > FEW_GROUPS;

/** A legend entry: the group it stands for (what a click on it toggles or picks), or a compared run's name over its groups. */
export type LegendEntry = Partial<LegendItem> & { group?: string; heading?: boolean };

/**
 * One legend entry per group (named as the slide wants), plus any extra entries. A crowded chart's
 * legend, beside the plot, names each compared run once, over its groups, and each group without it.
 */
export function legendOf(
  o: ChartOptions,
  data: Pick<ChartData, 'preset' | 'sweep' | 'origins'>,
  groups: Series[],
  extra: LegendEntry[] = [],
): LegendEntry[] {
  const s = o.scale ?? 1;
  const looks = looksOf(data);
  const headed = crowded(groups.length) && data.origins !== undefined;
  return [
    ...groups.flatMap((g, k) => {
      const color = groupColor(looks[g.groupIndex].family, o.theme);
      const run = data.origins?.[g.groupIndex].run;
      const full = seriesName(o, data, g.group, g.groupIndex);
      const name = headed && run && full.startsWith(`${run} · `) ? full.slice(run.length + 3) : full;
      const entry: LegendEntry = {
        text: g.note ? `${name} (${g.note})` : name,
        group: g.group,
        fillStyle: color,
        strokeStyle: color,
        lineDash: dashOf(looks[g.groupIndex], s),
        lineWidth: 3 * s,
        pointStyle: 'line' as const,
      };
      const first = k === 0 || data.origins?.[groups[k - 1].groupIndex].run !== run;
      return headed && run && first ? [headingOf(run, o), entry] : [entry];
    }),
    ...extra,
  ];
}

/** A compared run's name over its groups in a crowded legend: text alone, in the caption's colour. */
function headingOf(run: string, o: ChartOptions): LegendEntry {
  return {
    text: run,
    heading: true,
    fontColor: colorsOf(o.theme).muted,
    fillStyle: 'transparent',
    strokeStyle: 'transparent',
    lineWidth: 0,
  };
}

/**
 * Groups that share one line, named once: what all their names say first, then what tells them apart
 * ("SGD 0.1: 1→1→1, 1→2→1, 1→3→1 and 3 more").
 */
export function sharedName(names: string[]): string {
  const parts = names.map((name) => name.split(' · '));
  const common = parts[0].filter((part) => parts.every((p) => p.includes(part)));
  const apart = listed(parts.map((p) => p.filter((part) => !common.includes(part)).join(' · ')));
  return common.length ? `${common.join(' · ')}: ${apart}` : apart;
}

/** "a", "a and b", "a, b, c and 4 more": a list of names kept to a line. */
export function listed(names: string[]): string {
  if (names.length === 1) return names[0];
  const shown = names.length > 4 ? names.slice(0, 3) : names.slice(0, -1);
  const rest = names.length > 4 ? `${names.length - 3} more` : names[names.length - 1];
  return `${shown.join(', ')} and ${rest}`;
}
