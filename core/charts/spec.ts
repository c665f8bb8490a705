// What each chart shows, as Chart.js configurations built from plain run data: no DOM, no Svelte, so
// the app and the headless exporter draw the same chart.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { Curves } from '../curves.ts';
import type { ModelRef } from '../events.ts';
import { kinks, predict } from '../network.ts';
import type { Plateaus } from '../plateaus.ts';
import type { Preset } from '../preset.ts';
import { targetFunction } from '../target.ts';
import type { ChartKind, Theme } from './kinds.ts';

/** One model as the charts see it: live (curves so far, current weights) or finished. */
export interface ChartModel extends ModelRef {
  curves: Curves;
  params: number[];
  lossFinal: number | null;
  status: string;
}

export interface ChartData {
  preset: Preset;
  plateaus: Plateaus;
  models: ChartModel[];
}

export interface ChartOptions {
  theme: Theme;
  /** Also draw the training loss (validation loss is always drawn). */
  showTrain?: boolean;
  /** The models whose fitted function the fit chart draws (default: the first of each group). */
  fitModels?: number[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Show the legend (default true). */
  legend?: boolean;
  /** Scales fonts and lines (1 on screen; about 2 for a 1920×1080 slide). */
  scale?: number;
}

const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];
const groupColor = (groupIndex: number) => PALETTE[groupIndex % PALETTE.length];

function colors(theme: Theme) {
  return theme === 'dark'
    ? { text: '#e5e7eb', grid: 'rgba(229,231,235,0.15)', reference: '#f9fafb', background: '#111827' }
    : { text: '#1f2937', grid: 'rgba(31,41,55,0.12)', reference: '#111827', background: theme === 'light' ? '#ffffff' : 'transparent' };
}

export function backgroundOf(theme: Theme): string {
  return colors(theme).background;
}

function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** A scale's own settings (type, range, ticks); baseOptions adds titles, colours and fonts. */
type Scale = {
  type: 'linear' | 'logarithmic';
  min?: number;
  max?: number;
  ticks?: object;
  afterBuildTicks?: (axis: { ticks: { value: number }[] }) => void;
};

/** A chart's title and axis labels when the user has not edited them. */
export interface ChartText {
  title: string;
  xLabel: string;
  yLabel: string;
}

/** Each chart's own title and axis labels; the export dialog starts from these. */
export function chartText(kind: ChartKind, o: Pick<ChartOptions, 'showTrain'> = {}): ChartText {
  switch (kind) {
    case 'loss':
      return {
        title: 'Loss against step',
        xLabel: 'step + 1',
        yLabel: o.showTrain ? 'MSE loss (validation; training faint)' : 'validation MSE loss',
      };
    case 'fit':
      return { title: 'Fitted function against the target', xLabel: 'x', yLabel: 'y' };
    case 'lr':
      return { title: 'Learning-rate schedule', xLabel: 'step', yLabel: 'learning rate' };
    case 'finals':
      return { title: 'Final loss per group', xLabel: 'group', yLabel: 'final validation loss' };
  }
}

function baseOptions(kind: ChartKind, o: ChartOptions, x: Scale, y: Scale) {
  const text = chartText(kind, o);
  const c = colors(o.theme);
  const s = o.scale ?? 1;
  const font = (size: number) => ({ size: Math.round(size * s) });
  const axis = ({ ticks, ...extra }: Scale, label: string | undefined) => ({
    ...extra,
    title: { display: Boolean(label), text: label ?? '', color: c.text, font: font(13) },
    ticks: { color: c.text, font: font(11), ...ticks },
    grid: { color: c.grid, lineWidth: s },
    border: { color: c.grid },
  });
  return {
    responsive: false,
    animation: false as const,
    parsing: false as const,
    normalized: true,
    plugins: {
      title: { display: true, text: o.title ?? text.title, color: c.text, font: { ...font(16), weight: 'bold' as const } },
      legend: {
        display: o.legend ?? true,
        labels: {
          color: c.text,
          font: font(12),
          boxWidth: Math.round(24 * s),
          // one entry per group and per reference line, not one per model
          filter: (item: { text: string }) => item.text !== '',
        },
      },
      tooltip: { enabled: true },
    },
    scales: { x: axis(x, o.xLabel ?? text.xLabel), y: axis(y, o.yLabel ?? text.yLabel) },
  };
}

/** A horizontal reference line across [x0, x1], labelled in the legend. */
function reference(label: string, y: number, x0: number, x1: number, color: string, dash: number[], scale: number): ChartDataset<'line'> {
  return {
    type: 'line',
    label,
    data: [
      { x: x0, y },
      { x: x1, y },
    ],
    borderColor: color,
    borderDash: dash.map((d) => d * scale),
    borderWidth: 1.5 * scale,
    pointRadius: 0,
    fill: false,
  };
}

/** The ids of the first model of each group. */
export function firstOfEachGroup(models: readonly ModelRef[]): number[] {
  return models.filter((m, k) => models.findIndex((n) => n.groupIndex === m.groupIndex) === k).map((m) => m.id);
}

/** The first model of each group carries the group's legend entry. */
function legendLabel(m: ChartModel, models: ChartModel[]): string {
  return models.find((n) => n.groupIndex === m.groupIndex) === m ? m.group : '';
}

/** Validation (and optionally training) loss against step + 1, log–log, coloured by group, with the limit and plateaus. */
export function lossChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const datasets: ChartDataset<'line'>[] = [];
  let xMax = 2;
  for (const m of data.models) {
    const color = groupColor(m.groupIndex);
    const points = m.curves.step.map((step, k) => ({ x: step + 1, y: m.curves.lossVal[k] })).filter((p) => p.y > 0 && Number.isFinite(p.y));
    xMax = Math.max(xMax, ...m.curves.step.slice(-1).map((v) => v + 1));
    datasets.push({
      label: legendLabel(m, data.models),
      data: points,
      borderColor: withAlpha(color, 0.85),
      backgroundColor: color,
      borderWidth: 1.25 * s,
      pointRadius: 0,
    });
    if (o.showTrain) {
      const train = m.curves.step
        .map((step, k) => ({ x: step + 1, y: m.curves.lossTrain[k] }))
        .filter((p) => p.y > 0 && Number.isFinite(p.y));
      datasets.push({
        label: legendLabel(m, data.models) && `${m.group} (training)`,
        data: train,
        borderColor: withAlpha(color, 0.3),
        borderWidth: s,
        pointRadius: 0,
      });
    }
  }
  const ref = colors(o.theme).reference;
  datasets.push(
    reference(`loss limit ${data.preset.stop.lossLimit}`, data.preset.stop.lossLimit, 1, xMax, ref, [2, 3], s),
    reference(`best line ${data.plateaus.line.toFixed(4)}`, data.plateaus.line, 1, xMax, ref, [8, 4], s),
    reference(`best constant ${data.plateaus.constant.toFixed(4)}`, data.plateaus.constant, 1, xMax, ref, [14, 4, 2, 4], s),
  );
  return {
    type: 'line',
    data: { datasets },
    options: baseOptions('loss', o, { type: 'logarithmic', min: 1, max: xMax }, { type: 'logarithmic' }),
  };
}

/** The target and the chosen models' fitted functions on [0, 1], each hidden unit's kink marked. */
export function fitChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line' | 'scatter'> {
  const s = o.scale ?? 1;
  const xs = Array.from({ length: 401 }, (_, i) => i / 400);
  const target = targetFunction(data.preset.target);
  const datasets: ChartDataset<'line' | 'scatter'>[] = [
    {
      type: 'line',
      label: 'target',
      data: xs.map((x) => ({ x, y: target(x) })),
      borderColor: colors(o.theme).reference,
      borderWidth: 2 * s,
      pointRadius: 0,
      stepped: false,
    },
  ];
  const chosen = data.models.filter((m) => (o.fitModels ?? firstOfEachGroup(data.models)).includes(m.id));
  for (const m of chosen) {
    const group = data.preset.groups[m.groupIndex];
    const color = groupColor(m.groupIndex);
    const ys = predict(group, m.params, xs);
    datasets.push({
      type: 'line',
      label: `${m.group} #${m.index}`,
      data: xs.map((x, i) => ({ x, y: ys[i] })),
      borderColor: color,
      borderWidth: 2 * s,
      pointRadius: 0,
    });
    const inside = kinks(group, m.params).filter((k) => k >= 0 && k <= 1);
    datasets.push({
      type: 'scatter',
      label: inside.length ? `${m.group} #${m.index} kinks` : `${m.group} #${m.index}: no kink in [0, 1] (a straight line)`,
      data: inside.map((x) => ({ x, y: predict(group, m.params, [x])[0] })),
      borderColor: color,
      backgroundColor: color,
      pointStyle: 'triangle',
      pointRadius: 6 * s,
    });
  }
  return {
    type: 'line',
    data: { datasets },
    options: baseOptions('fit', o, { type: 'linear', min: 0, max: 1 }, { type: 'linear' }),
  };
}

/** The learning rate each group's models trained with, against step. */
export function lrChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const firstOfGroup = data.preset.groups
    .map((_, g) => data.models.find((m) => m.groupIndex === g))
    .filter((m): m is ChartModel => Boolean(m));
  const longest = (g: number) =>
    data.models.filter((m) => m.groupIndex === g).sort((a, b) => b.curves.step.length - a.curves.step.length)[0];
  const datasets: ChartDataset<'line'>[] = firstOfGroup.map((m) => {
    const model = longest(m.groupIndex);
    return {
      label: m.group,
      data: model.curves.step.map((step, k) => ({ x: step, y: model.curves.lr[k] })),
      borderColor: groupColor(m.groupIndex),
      borderWidth: 1.5 * s,
      pointRadius: 0,
      stepped: 'before' as const,
    };
  });
  return {
    type: 'line',
    data: { datasets },
    options: baseOptions('lr', o, { type: 'linear', min: 0 }, { type: 'linear', min: 0 }),
  };
}

/** Each model's final validation loss, one column per group (log scale), with the limit and plateaus. */
export function finalsChart(data: ChartData, o: ChartOptions): ChartConfiguration<'scatter' | 'line'> {
  const s = o.scale ?? 1;
  const groups = data.preset.groups;
  const datasets: ChartDataset<'scatter' | 'line'>[] = groups.map((g, gi) => {
    const mine = data.models.filter((m) => m.groupIndex === gi && m.lossFinal !== null && m.lossFinal > 0);
    return {
      type: 'scatter' as const,
      label: g.name,
      data: mine.map((m, k) => ({ x: gi + (mine.length > 1 ? (k / (mine.length - 1) - 0.5) * 0.5 : 0), y: m.lossFinal! })),
      backgroundColor: withAlpha(groupColor(gi), 0.75),
      borderColor: groupColor(gi),
      pointRadius: 5 * s,
    };
  });
  const ref = colors(o.theme).reference;
  datasets.push(
    reference(`loss limit ${data.preset.stop.lossLimit}`, data.preset.stop.lossLimit, -0.5, groups.length - 0.5, ref, [2, 3], s),
    reference(`best line ${data.plateaus.line.toFixed(4)}`, data.plateaus.line, -0.5, groups.length - 0.5, ref, [8, 4], s),
    reference(
      `best constant ${data.plateaus.constant.toFixed(4)}`,
      data.plateaus.constant,
      -0.5,
      groups.length - 0.5,
      ref,
      [14, 4, 2, 4],
      s,
    ),
  );
  const options = baseOptions(
    'finals',
    o,
    {
      type: 'linear',
      min: -0.5,
      max: groups.length - 0.5,
      afterBuildTicks: (axis) => {
        axis.ticks = groups.map((_, value) => ({ value }));
      }, // one tick per group, named
      ticks: { callback: (v: number | string) => groups[Number(v)]?.name ?? '' },
    },
    { type: 'logarithmic' },
  );
  return { type: 'scatter', data: { datasets }, options };
}

export const CHARTS = { loss: lossChart, fit: fitChart, lr: lrChart, finals: finalsChart } as const satisfies Record<ChartKind, unknown>;
