// What the charts share: the data and options they are drawn from, their titles, axes, legends and
// reference lines, and the size they are designed at. No DOM, no Svelte: the app and the headless
// exporter draw the same chart. Reference lines are annotations drawn over the curves and labelled on
// the line; legends have one entry per group; log axes tick at 1-2-5.
import type { Chart, ChartDataset, LegendItem, TooltipItem } from 'chart.js';
import type { Curves } from '../results/curves.ts';
import { MODEL_STATUSES, type ModelRef, type ModelStatus } from '../results/events.ts';
import { plateauLevels, type Outcome, type Plateaus } from '../model/plateaus.ts';
import type { Group, Preset } from '../preset/preset.ts';
import type { BandRange, LossView } from './kinds.ts';
import type { SweepInfo } from '../preset/sweep.ts';
import { heatmapText, type HeatmapView } from './heatmap-view.ts';
import type { ChartKind, LossKind, Theme } from './kinds.ts';
import { colorsOf, dashOf, FONT_FAMILY, groupColor, looksOf, type Colors } from './theme.ts';
import { formatTick, logTickOptions, replaceWithLogTicks } from './ticks.ts';

/** One model as the charts see it: live (curves so far, current weights) or finished. */
export interface ChartModel extends ModelRef {
  curves: Curves;
  params: number[];
  lossFinal: number | null;
  /** 'waiting' or 'training' while it runs; a ModelStatus once finished. */
  status: string;
  /** Once finished: its last step, where it ended, and the lowest validation loss it saw. */
  steps?: number;
  outcome?: Outcome;
  lossBest?: number | null;
}

export interface ChartData {
  /** As run: a sweep's cells are its groups. */
  preset: Preset;
  plateaus: Plateaus;
  models: ChartModel[];
  /** A sweep's axes and cells (the heatmap needs them). */
  sweep?: SweepInfo | null;
  /** Draw the loss limit and plateau lines (false where combined runs have different ones). */
  references?: boolean;
}

/** The loss limit and plateau levels the chart draws as lines (none where it draws none). */
export function levelsOf(data: ChartData): number[] {
  return referenceLevels(data).map((l) => l.value);
}

/** A model that has finished, with what its statistics need. */
export type FinishedModel = ChartModel & { status: ModelStatus; steps: number; outcome: Outcome; lossBest: number | null };
export const finished = (m: ChartModel): m is FinishedModel =>
  (MODEL_STATUSES as readonly string[]).includes(m.status) && m.outcome !== undefined && m.steps !== undefined;

/** Groups with more models than this draw as a band in the loss chart's automatic view. */
export const BAND_THRESHOLD = 10;

export interface ChartOptions {
  theme: Theme;
  /** Also draw the training loss (validation loss is always drawn). */
  showTrain?: boolean;
  /** The models whose fitted function the fit chart draws (default: the first of each group). */
  fitModels?: number[];
  /** The loss chart: every model's curve, or per group the median and its band; auto bands groups over BAND_THRESHOLD models. */
  lossView?: LossView;
  /** The band's spread: the 10th to 90th percentile, or min to max. */
  bandRange?: BandRange;
  /** The learning-rate chart on a log scale. */
  lrLog?: boolean;
  /** The finals chart: each model's last validation loss, or the lowest it saw. */
  finalsLoss?: LossKind;
  /** The heatmap's axes, the values the other dimensions are fixed at, and what colours the cells. */
  heatmap?: Partial<HeatmapView>;
  /** Groups (a sweep's cells) picked on screen: the heatmap outlines them. */
  selectedGroups?: string[];
  /** Legend names by group name (a slide's own wording); groups not named keep theirs. */
  seriesNames?: Record<string, string>;
  title?: string;
  /** Draw the title inside the chart (default true; the app's cards show it in their own header). */
  titleShown?: boolean;
  xLabel?: string;
  yLabel?: string;
  /** Show the legend (default true). */
  legend?: boolean;
  /** Scales fonts and lines (1 on screen; about 2 for a 1920×1080 slide). */
  scale?: number;
}

/** A chart's title and axis labels when the user has not edited them. */
export interface ChartText {
  title: string;
  xLabel: string;
  yLabel: string;
}

/** Each chart's own title and axis labels; the export dialog starts from these. */
export function chartText(
  kind: ChartKind,
  o: Pick<ChartOptions, 'showTrain' | 'lrLog' | 'finalsLoss' | 'heatmap'> = {},
  sweep: SweepInfo | null = null,
): ChartText {
  const loss = o.showTrain ? 'MSE loss (validation; training faint)' : 'validation MSE loss';
  switch (kind) {
    case 'loss':
      return { title: 'Loss against step', xLabel: 'step + 1', yLabel: loss };
    case 'bands':
      return { title: 'Loss against step: median and spread per group', xLabel: 'step + 1', yLabel: loss };
    case 'fit':
      return { title: 'Fitted function against the target', xLabel: 'x', yLabel: 'y' };
    case 'lr':
      return { title: 'Learning-rate schedule', xLabel: 'step + 1', yLabel: o.lrLog ? 'learning rate (log scale)' : 'learning rate' };
    case 'finals':
      return o.finalsLoss === 'best'
        ? { title: 'Best loss per group', xLabel: 'group', yLabel: 'lowest validation loss seen' }
        : { title: 'Final loss per group', xLabel: 'group', yLabel: 'final validation loss' };
    case 'reach':
      return { title: 'Time to reach the loss limit (Kaplan–Meier)', xLabel: 'step + 1', yLabel: 'fraction of models reached' };
    case 'heatmap':
      return heatmapText(sweep, o.heatmap);
  }
}

function backgroundOf(theme: Theme): string {
  return colorsOf(theme).background;
}

export const points = (n: number) => n.toLocaleString('en-US');

/** The smallest and largest finite values (a loop: a sweep's curves hold more points than a spread's argument list may). */
export function extent(values: Iterable<number>, fallback: [number, number] = [0, 1]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return low <= high ? [low, high] : fallback;
}
/** A loss or level for a label: three significant digits. */
export const level = (v: number) => v.toPrecision(3);

/**
 * The model of each group the fit chart draws when none is picked: once the whole group has finished, the
 * one with the median final loss (the lower of two middles) among those whose weights were kept (a sweep
 * keeps curvesPerCell a cell), so a group that mostly escaped shows an escape, not its first model's luck;
 * while it trains, its first model, so the drawing does not hop.
 */
export function typicalOfEachGroup(models: readonly ChartModel[]): number[] {
  const groups = new Map<number, ChartModel[]>();
  for (const m of models) (groups.get(m.groupIndex) ?? groups.set(m.groupIndex, []).get(m.groupIndex)!).push(m);
  const loss = (m: ChartModel) => (m.lossFinal !== null && Number.isFinite(m.lossFinal) ? m.lossFinal : Infinity); // diverged: last
  return [...groups.values()].flatMap((group) => {
    if (group.some((m) => m.steps === undefined)) return [group[0].id];
    const ranked = group.filter((m) => m.params.length > 0).sort((a, b) => loss(a) - loss(b) || a.index - b.index);
    return ranked.length ? [ranked[(ranked.length - 1) >> 1].id] : [];
  });
}

export interface Series {
  group: string;
  groupIndex: number;
  /** What its legend entry adds: "median, 10–90 % band", "waiting". */
  note?: string;
}

/** A group's network in a few characters: 1→8→1. */
function architecture(preset: Preset, groupIndex: number): string {
  return [1, ...preset.groups[groupIndex].hidden, 1].join('→');
}
export type Dataset = ChartDataset<'line' | 'scatter'> & { group?: string };
export type Item = TooltipItem<'line' | 'scatter'>;
export const at = (item: Item) => ({ x: item.parsed.x ?? NaN, y: item.parsed.y ?? NaN });

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

export function groupsIn(models: { group: string; groupIndex: number }[]): Series[] {
  const seen = new Map<number, Series>();
  for (const m of models) if (!seen.has(m.groupIndex)) seen.set(m.groupIndex, { group: m.group, groupIndex: m.groupIndex });
  return [...seen.values()].sort((a, b) => a.groupIndex - b.groupIndex);
}

const REFERENCE_DASHES = { limit: [2, 3], line: [8, 4], constant: [14, 4, 2, 4], zero: [4, 4] } as const;

/** A level the chart draws as a line: the loss limit or a plateau, its name and its value as written. */
export interface ReferenceLevel {
  id: keyof typeof REFERENCE_DASHES;
  name: string;
  value: number;
  figure: string;
}

/** The loss limit and the plateaus the chart draws as lines (none where it draws none). */
export function referenceLevels(data: ChartData): ReferenceLevel[] {
  if (data.references === false) return [];
  const names = { line: 'best line', constant: 'best constant', zero: 'zero output' } as const;
  const limit = data.preset.stop.lossLimit;
  return [
    { id: 'limit' as const, name: 'loss limit', value: limit, figure: String(limit) },
    ...plateauLevels(data.plateaus).map(([id, v]) => ({ id, name: names[id], value: v, figure: level(v) })),
  ].filter((l) => l.value > 0);
}

/** A level in words over the curves: "loss limit 0.005", "best line: loss 0.0658". */
const levelText = (l: ReferenceLevel) => (l.id === 'limit' ? `${l.name} ${l.figure}` : `${l.name}: loss ${l.figure}`);

/** The levels whose labels sit below their line (the others above), so that close ones stay apart. */
export const LABELLED_BELOW: ReadonlySet<string> = new Set(['line', 'zero']);

/**
 * The loss limit and the plateaus as lines over the curves, labelled on the line (alternate labels below it,
 * so close levels stay apart) unless `labelled` is false: a chart that names them on an axis instead.
 */
export function referenceLines(
  data: ChartData,
  c: Colors,
  s: number,
  drawTime = 'afterDatasetsDraw',
  labelled = true,
): Record<string, object> {
  return Object.fromEntries(
    referenceLevels(data).map((l) => [
      l.id,
      {
        type: 'line',
        yMin: l.value,
        yMax: l.value,
        borderColor: c.referenceLine,
        borderWidth: 1.5 * s,
        borderDash: REFERENCE_DASHES[l.id].map((d) => d * s),
        drawTime,
        label: {
          display: labelled,
          content: levelText(l),
          position: l.id === 'limit' ? 'start' : 'end', // curves come down to the limit late: its label stays left, off them
          ...onLineLabel(c, s),
          yAdjust: (LABELLED_BELOW.has(l.id) ? 1 : -1) * 10 * s,
          drawTime: 'afterDatasetsDraw',
        },
      },
    ]),
  );
}

/** The parts of an axis the charts set; baseOptions adds its title, colours and fonts. */
export interface Scale {
  type: 'linear' | 'logarithmic';
  min?: number;
  max?: number;
  ticks?: Record<string, unknown>;
  afterBuildTicks?: (axis: never) => void;
}

/** A logarithmic axis: our 1-2-5 ticks, thinned by Chart.js where labels would touch. */
export function logScale(min: number, max: number, s: number): Scale {
  return { type: 'logarithmic', min, max, afterBuildTicks: replaceWithLogTicks as never, ticks: logTickOptions(8 * s) };
}

export function linearScale(extra: Omit<Scale, 'type'>, s: number): Scale {
  return {
    type: 'linear',
    ...extra,
    ticks: {
      autoSkip: true,
      autoSkipPadding: 10 * s,
      maxRotation: 0,
      callback: (v: number | string) => formatTick(Number(v)),
      ...extra.ticks,
    },
  };
}

export interface Extras {
  legend: Partial<LegendItem>[];
  /** chartjs-plugin-annotation's options (its own types do not resolve under NodeNext). */
  annotations?: Record<string, object>;
  caption?: string[];
  tooltip?: (item: Item) => string;
  /** The chart's own title and axis labels, where chartText cannot know them from the kind alone. */
  text?: ChartText;
  /** Axes besides x and y, as Chart.js takes them (coloured and lettered here like those). */
  scales?: Record<string, Scale & { position: 'left' | 'right' | 'top' | 'bottom' }>;
}

export function baseOptions(kind: ChartKind, o: ChartOptions, x: Scale, y: Scale, extras: Extras) {
  const c = colorsOf(o.theme);
  const s = o.scale ?? 1;
  const text = extras.text ?? chartText(kind, o);
  const font = (size: number) => ({ family: FONT_FAMILY, size: Math.round(size * s) });
  const axis = (scale: Scale, label: string) => ({
    ...scale,
    title: { display: label !== '', text: label, color: c.text, font: font(13) },
    ticks: { color: c.text, font: font(12), ...scale.ticks },
    grid: { color: c.grid, lineWidth: s },
    border: { color: c.grid },
  });
  const entries = extras.legend;
  return {
    responsive: false,
    animation: false as const,
    parsing: false as const,
    normalized: true,
    font: { family: FONT_FAMILY },
    interaction: { mode: 'nearest' as const, intersect: false },
    plugins: {
      title: {
        display: o.titleShown ?? true,
        text: o.title ?? text.title,
        color: c.text,
        font: { ...font(16), weight: 'bold' as const },
        padding: 8 * s,
      },
      subtitle: {
        display: Boolean(extras.caption),
        text: extras.caption ?? '',
        color: c.muted,
        position: 'bottom' as const,
        font: font(11),
        padding: 4 * s,
      },
      legend: {
        display: (o.legend ?? true) && entries.length > 0,
        labels: {
          color: c.text,
          font: font(13),
          usePointStyle: true,
          boxWidth: Math.round(28 * s),
          padding: 12 * s,
          generateLabels: () => entries.map((e) => ({ hidden: false, fontColor: c.text, ...e }) as LegendItem),
        },
        onClick: () => {}, // entries stand for whole groups: nothing to hide one dataset by
      },
      tooltip: {
        enabled: true,
        callbacks: { title: () => '', label: extras.tooltip ?? ((item: Item) => String(item.dataset.label ?? '')) },
      },
      annotation: { annotations: extras.annotations ?? {} },
    },
    scales: {
      x: axis(x, o.xLabel ?? text.xLabel),
      y: axis(y, o.yLabel ?? text.yLabel),
      ...Object.fromEntries(
        Object.entries(extras.scales ?? {}).map(([id, scale]) => [id, { ...axis(scale, ''), grid: { display: false } }]),
      ),
    },
  };
}

/** The size charts are designed at: a bigger chart scales its fonts and lines with it. */
const DESIGN = { width: 960, height: 540 };

/** Font and line scale for a chart of this size (1 up to 960×540). */
export function scaleFor(width: number, height: number): number {
  return Math.max(1, Math.min(width / DESIGN.width, height / DESIGN.height));
}

/** Fills the chart's background before it draws (nothing for a transparent one). */
export function backgroundPlugin(theme: Theme): { id: string; beforeDraw: (chart: Pick<Chart, 'ctx' | 'width' | 'height'>) => void } {
  const color = backgroundOf(theme);
  return {
    id: 'minima-background',
    beforeDraw: (chart) => {
      if (color === 'transparent') return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };
}

/** How a label on a reference line looks: a small plate in the theme's label colour. */
export function onLineLabel(c: { label: string; text: string }, s: number) {
  return {
    backgroundColor: c.label,
    color: c.text,
    font: { family: FONT_FAMILY, size: Math.round(12 * s) },
    padding: { x: 4 * s, y: 2 * s },
    borderRadius: 3 * s,
  };
}
