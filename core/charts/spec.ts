// What each chart shows, as Chart.js configurations built from plain run data: no DOM, no Svelte, so
// the app and the headless exporter draw the same chart. Reference lines are annotations drawn over the
// curves and labelled on the line; legends have one entry per group; log axes tick at 1-2-5.
import type { Chart, ChartConfiguration, ChartDataset, LegendItem, TooltipItem } from 'chart.js';
import type { Curves } from '../curves.ts';
import type { ModelRef } from '../events.ts';
import { bendsOf, leakSlope, predict, type Bend } from '../network.ts';
import { plateauLevels, type Plateaus } from '../plateaus.ts';
import type { Preset } from '../preset.ts';
import { targetFunction } from '../target.ts';
import { bandOf, type BandRange } from './bands.ts';
import type { ChartKind, Theme } from './kinds.ts';
import { scheduleLine } from './lr.ts';
import { colorsOf, FONT_FAMILY, groupColor, modelColor, type Colors } from './theme.ts';
import { formatTick, logTickOptions, replaceWithLogTicks } from './ticks.ts';

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

/** Groups with more models than this draw as a band in the loss chart's automatic view. */
export const BAND_THRESHOLD = 10;

export interface ChartOptions {
  theme: Theme;
  /** Also draw the training loss (validation loss is always drawn). */
  showTrain?: boolean;
  /** The models whose fitted function the fit chart draws (default: the first of each group). */
  fitModels?: number[];
  /** The loss chart: every model's curve, or per group the median and its band; auto bands groups over BAND_THRESHOLD models. */
  lossView?: 'auto' | 'runs' | 'band';
  /** The band's spread: the 10th to 90th percentile, or min to max. */
  bandRange?: BandRange;
  /** The learning-rate chart on a log scale. */
  lrLog?: boolean;
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
export function chartText(kind: ChartKind, o: Pick<ChartOptions, 'showTrain' | 'lrLog'> = {}): ChartText {
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
      return { title: 'Final loss per group', xLabel: 'group', yLabel: 'final validation loss' };
  }
}

export function backgroundOf(theme: Theme): string {
  return colorsOf(theme).background;
}

const points = (n: number) => n.toLocaleString('en-US');

/** The smallest and largest finite values (a loop: a sweep's curves hold more points than a spread's argument list may). */
function extent(values: Iterable<number>, fallback: [number, number] = [0, 1]): [number, number] {
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
const level = (v: number) => v.toPrecision(3);

/** The ids of the first model of each group. */
export function firstOfEachGroup(models: readonly ModelRef[]): number[] {
  return models.filter((m, k) => models.findIndex((n) => n.groupIndex === m.groupIndex) === k).map((m) => m.id);
}

interface Series {
  group: string;
  groupIndex: number;
  /** What its legend entry adds: "median, 10–90 % band", "waiting". */
  note?: string;
}

/** A group's network in a few characters: 1→8→1. */
function architecture(preset: Preset, groupIndex: number): string {
  return [1, ...preset.groups[groupIndex].hidden, 1].join('→');
}
type Dataset = ChartDataset<'line' | 'scatter'> & { group?: string };
type Item = TooltipItem<'line' | 'scatter'>;
const at = (item: Item) => ({ x: item.parsed.x ?? NaN, y: item.parsed.y ?? NaN });

/** One legend entry per group (named as the slide wants), plus any extra entries. */
function legendOf(o: ChartOptions, preset: Preset, groups: Series[], extra: Partial<LegendItem>[] = []): Partial<LegendItem>[] {
  const s = o.scale ?? 1;
  return [
    ...groups.map((g) => {
      const color = groupColor(g.groupIndex, o.theme);
      const name = o.seriesNames?.[g.group] || `${g.group} · ${architecture(preset, g.groupIndex)}`;
      return {
        text: g.note ? `${name} (${g.note})` : name,
        fillStyle: color,
        strokeStyle: color,
        lineWidth: 3 * s,
        pointStyle: 'line' as const,
      };
    }),
    ...extra,
  ];
}

function groupsIn(models: { group: string; groupIndex: number }[]): Series[] {
  const seen = new Map<number, Series>();
  for (const m of models) if (!seen.has(m.groupIndex)) seen.set(m.groupIndex, { group: m.group, groupIndex: m.groupIndex });
  return [...seen.values()].sort((a, b) => a.groupIndex - b.groupIndex);
}

/** The loss limit and the plateaus, as labelled lines over the curves; alternate labels sit below their line so close levels stay apart. */
function referenceLines(data: ChartData, c: Colors, s: number, drawTime = 'afterDatasetsDraw'): Record<string, object> {
  const names = { line: 'best line: loss', constant: 'best constant: loss', zero: 'zero output: loss' } as const;
  const dashes = { limit: [2, 3], line: [8, 4], constant: [14, 4, 2, 4], zero: [4, 4] } as const;
  const lines: [keyof typeof dashes, string, number][] = [
    ['limit', `loss limit ${data.preset.stop.lossLimit}`, data.preset.stop.lossLimit],
    ...plateauLevels(data.plateaus).map(([name, v]): [keyof typeof dashes, string, number] => [name, `${names[name]} ${level(v)}`, v]),
  ];
  const below = new Set(['line', 'zero']);
  return Object.fromEntries(
    lines
      .filter(([, , v]) => v > 0)
      .map(([id, text, v]) => [
        id,
        {
          type: 'line',
          yMin: v,
          yMax: v,
          borderColor: c.referenceLine,
          borderWidth: 1.5 * s,
          borderDash: dashes[id].map((d) => d * s),
          drawTime,
          label: {
            display: true,
            content: text,
            position: 'end',
            backgroundColor: c.label,
            color: c.text,
            font: { family: FONT_FAMILY, size: Math.round(12 * s) },
            padding: { x: 4 * s, y: 2 * s },
            borderRadius: 3 * s,
            yAdjust: (below.has(id) ? 1 : -1) * 10 * s,
            drawTime: 'afterDatasetsDraw',
          },
        },
      ]),
  );
}

/** The parts of an axis the charts set; baseOptions adds its title, colours and fonts. */
interface Scale {
  type: 'linear' | 'logarithmic';
  min?: number;
  max?: number;
  ticks?: Record<string, unknown>;
  afterBuildTicks?: (axis: never) => void;
}

/** A logarithmic axis: our 1-2-5 ticks, thinned by Chart.js where labels would touch. */
function logScale(min: number, max: number, s: number): Scale {
  return { type: 'logarithmic', min, max, afterBuildTicks: replaceWithLogTicks as never, ticks: logTickOptions(8 * s) };
}

function linearScale(extra: Omit<Scale, 'type'>, s: number): Scale {
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

interface Extras {
  legend: Partial<LegendItem>[];
  /** chartjs-plugin-annotation's options (its own types do not resolve under NodeNext). */
  annotations?: Record<string, object>;
  caption?: string[];
  tooltip?: (item: Item) => string;
}

function baseOptions(kind: ChartKind, o: ChartOptions, x: Scale, y: Scale, extras: Extras) {
  const c = colorsOf(o.theme);
  const s = o.scale ?? 1;
  const text = chartText(kind, o);
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
    scales: { x: axis(x, o.xLabel ?? text.xLabel), y: axis(y, o.yLabel ?? text.yLabel) },
  };
}

/** A curve's points against step + 1 (log x), positive and finite only. */
function againstStep(steps: number[], values: number[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let k = 0; k < steps.length; k++) if (values[k] > 0 && Number.isFinite(values[k])) out.push({ x: steps[k] + 1, y: values[k] });
  return out;
}

const lossTooltip = (item: Item) => `${item.dataset.label} · step ${points(at(item).x - 1)} · loss ${level(at(item).y)}`;

/** Validation (and optionally training) loss against step + 1, log–log: each model, or per group a band. */
export function lossChart(
  data: ChartData,
  o: ChartOptions,
  view: ChartOptions['lossView'] = o.lossView ?? 'auto',
): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const datasets: Dataset[] = [];
  const groups = groupsIn(data.models);
  const series: ('lossVal' | 'lossTrain')[] = o.showTrain ? ['lossTrain', 'lossVal'] : ['lossVal'];
  const values: number[] = [];
  const spread = o.bandRange === 'extremes' ? 'min–max' : '10–90 %';
  for (const g of groups) {
    const mine = data.models.filter((m) => m.groupIndex === g.groupIndex);
    const banded = view === 'band' || (view === 'auto' && mine.length > BAND_THRESHOLD);
    const started = mine.some((m) => m.curves.step.length > 0);
    g.note = !started ? 'waiting' : banded ? `median, ${spread} band` : undefined;
    for (const key of series) {
      const faint = key === 'lossTrain';
      const suffix = faint ? ' (training)' : '';
      mine.forEach((m) => {
        const line = againstStep(m.curves.step, m.curves[key]);
        for (const p of line) values.push(p.y);
        const alpha = banded ? 0.14 : faint ? 0.3 : 0.9;
        datasets.push({
          label: `${m.group} #${m.index}${suffix}`,
          group: m.group,
          data: line,
          borderColor: modelColor(m.groupIndex, m.index, mine.length, o.theme, alpha),
          borderWidth: (banded ? 0.75 : 1.25) * s,
          pointRadius: 0,
        });
      });
      if (!banded) continue;
      const band = bandOf(mine, key, o.bandRange ?? 'quantiles');
      const color = groupColor(g.groupIndex, o.theme);
      const edge = (v: number[], label: string): Dataset => ({
        label: `${g.group} ${label}${suffix}`,
        group: g.group,
        data: band.step.map((step, k) => ({ x: step + 1, y: v[k] })),
        borderColor: groupColor(g.groupIndex, o.theme, faint ? 0.25 : 0.5),
        borderWidth: 0.75 * s,
        pointRadius: 0,
      });
      datasets.push(edge(band.high, `${spread} high`), {
        ...edge(band.low, `${spread} low`),
        fill: '-1',
        backgroundColor: groupColor(g.groupIndex, o.theme, faint ? 0.06 : 0.16),
      });
      datasets.push({
        label: `${g.group} median of ${mine.length}${suffix}`,
        group: g.group,
        data: band.step.map((step, k) => ({ x: step + 1, y: band.median[k] })),
        borderColor: faint ? groupColor(g.groupIndex, o.theme, 0.45) : color,
        borderWidth: 2.5 * s,
        pointRadius: 0,
      });
    }
  }
  const levels = [data.preset.stop.lossLimit, ...plateauLevels(data.plateaus).map(([, v]) => v)].filter((v) => v > 0);
  const [low, high] = extent(
    [...values, ...levels].filter((v) => v > 0),
    [1e-3, 1],
  );
  const [yMin, yMax] = [low * 0.7, high * 1.4];
  const xMax = Math.max(2, data.preset.stop.maxSteps, ...data.models.map((m) => (m.curves.step.at(-1) ?? 0) + 1));
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line'>[] },
    options: baseOptions(view === 'band' ? 'bands' : 'loss', o, logScale(1, xMax, s), logScale(yMin, yMax, s), {
      legend: legendOf(o, data.preset, groups),
      annotations: referenceLines(data, c, s),
      tooltip: lossTooltip,
    }) as never,
  };
}

/** The loss chart as bands, whatever the group sizes. */
export function bandsChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  return lossChart(data, o, 'band');
}

/** The target and the chosen models' fitted functions on [0, 1], with the kinks and bends inside it marked. */
export function fitChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line' | 'scatter'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const xs = Array.from({ length: 401 }, (_, i) => i / 400);
  const target = targetFunction(data.preset.target);
  const targetYs = xs.map(target);
  const datasets: Dataset[] = [
    {
      type: 'line',
      label: 'target',
      data: xs.map((x, i) => ({ x, y: targetYs[i] })),
      borderColor: c.reference,
      borderWidth: 2 * s,
      pointRadius: 0,
    },
  ];
  const wanted = o.fitModels ?? firstOfEachGroup(data.models);
  // a model that has not started has no weights yet: nothing to draw or say
  const chosen = data.models.filter((m) => wanted.includes(m.id) && m.params.length > 0);
  const sizes = new Map<number, number>();
  for (const m of data.models) sizes.set(m.groupIndex, (sizes.get(m.groupIndex) ?? 0) + 1);
  const [targetLow, targetHigh] = extent(targetYs);
  const range = targetHigh - targetLow || 1;
  const straight: Record<Straight, string[]> = { line: [], constant: [], zero: [] };
  let marked = false;
  for (const m of chosen) {
    const group = data.preset.groups[m.groupIndex];
    const color = modelColor(m.groupIndex, m.index, sizes.get(m.groupIndex) ?? 1, o.theme);
    const ys = predict(group, m.params, xs);
    const name = `${m.group} #${m.index}`;
    datasets.push({
      type: 'line',
      label: name,
      group: m.group,
      data: xs.map((x, i) => ({ x, y: ys[i] })),
      borderColor: color,
      borderWidth: 2 * s,
      pointRadius: 0,
    });
    const bends = bendsOf(group, m.params);
    const kind = straightKind(group, ys, bends, range);
    if (kind) straight[kind].push(name);
    // a bend too slight to see on this chart is not marked
    const visible = bends.filter((b) => Math.abs(b.slopeChange) >= 0.05 * range);
    if (visible.length) marked = true;
    datasets.push({
      type: 'scatter',
      label: `${name} kink`,
      group: m.group,
      data: visible.map((b) => ({ x: b.x, y: b.y })),
      borderColor: c.background === 'transparent' || o.theme === 'light' ? '#ffffff' : c.background,
      backgroundColor: color,
      borderWidth: 1.5 * s,
      pointStyle: 'triangle',
      pointRadius: 6 * s,
      clip: 10 * s, // a kink at x = 0 or 1 shows whole
    });
  }
  const [yLow, yHigh] = extent(datasets.flatMap((d) => (d.data as { y: number }[]).map((p) => p.y)));
  const pad = 0.08 * (yHigh - yLow || 1);
  const caption = captionOf(straight);
  const kinkEntry = { text: 'kink', fillStyle: c.muted, strokeStyle: c.muted, pointStyle: 'triangle' as const, lineWidth: s };
  const targetEntry = { text: 'target', fillStyle: c.reference, strokeStyle: c.reference, lineWidth: 3 * s, pointStyle: 'line' as const };
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line' | 'scatter'>[] },
    options: baseOptions(
      'fit',
      o,
      linearScale({ min: 0, max: 1 }, s),
      linearScale({ min: yLow - pad, max: yHigh + pad, ticks: { includeBounds: false } }, s),
      {
        legend: [targetEntry, ...legendOf(o, data.preset, groupsIn(chosen)), ...(marked ? [kinkEntry] : [])],
        caption,
        tooltip: (item) => `${item.dataset.label} · x ${level(at(item).x)} · y ${level(at(item).y)}`,
      },
    ) as never,
  };
}

/** What a model with no kink or bend inside [0, 1] is there: a sloped line, a constant, or zero. */
type Straight = 'line' | 'constant' | 'zero';

function straightKind(group: Preset['groups'][number], ys: number[], bends: Bend[], range: number): Straight | null {
  if (leakSlope(group.activation) === null) return null; // a smooth network is never exactly straight
  if (extent(ys.map(Math.abs))[1] <= 0.01 * range) return 'zero'; // whatever bends the dead output hides
  if (bends.length) return null;
  return Math.abs(ys[ys.length - 1] - ys[0]) > 0.01 * range ? 'line' : 'constant';
}

/** The fit chart's note on its straight models, one line per kind, naming a few of each. */
function captionOf(straight: Record<Straight, string[]>): string[] | undefined {
  const says: Record<Straight, string> = {
    line: 'all kinks outside [0, 1], a straight line there: the best-line plateau',
    constant: 'all kinks outside [0, 1], a constant there: the best-constant plateau',
    zero: 'f ≡ 0 on [0, 1]: the zero-output plateau',
  };
  const lines = (Object.keys(says) as Straight[])
    .filter((k) => straight[k].length)
    .map((k) => {
      const names = straight[k];
      return `${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')}: ${says[k]}`;
    });
  return lines.length ? lines : undefined;
}

/** The learning rate each group trains with, against step: PyTorch's schedule, computed from its formula. */
export function lrChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const steps = data.preset.stop.maxSteps;
  const groups = data.preset.groups.map((g, groupIndex) => ({ group: g.name, groupIndex }));
  const datasets: Dataset[] = groups.map(({ group, groupIndex }) => ({
    label: group,
    group,
    data: scheduleLine(data.preset.groups[groupIndex], steps),
    borderColor: groupColor(groupIndex, o.theme),
    borderWidth: 1.5 * s,
    pointRadius: 0,
  }));
  const [bottom, top] = extent(
    datasets.flatMap((d) => (d.data as { y: number }[]).map((p) => p.y)).filter((v) => v > 0),
    [1e-3, 1],
  );
  const y = o.lrLog ? logScale(bottom * 0.8, top * 1.4, s) : linearScale({ min: 0, max: top * 1.12 }, s);
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line'>[] },
    options: baseOptions('lr', o, logScale(1, Math.max(2, steps), s), y, {
      legend: legendOf(o, data.preset, groups),
      tooltip: (item) => `${item.dataset.label} · step ${points(at(item).x - 1)} · lr ${level(at(item).y)}`,
    }) as never,
  };
}

/** Each model's final validation loss, one column per group (log scale), with the limit and plateaus. */
export function finalsChart(data: ChartData, o: ChartOptions): ChartConfiguration<'scatter'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const groups = data.preset.groups;
  const datasets: Dataset[] = groups.map((g, gi) => {
    const mine = data.models.filter((m) => m.groupIndex === gi && m.lossFinal !== null && m.lossFinal > 0);
    return {
      type: 'scatter' as const,
      label: g.name,
      group: g.name,
      data: mine.map((m, k) => ({ x: gi + (mine.length > 1 ? (k / (mine.length - 1) - 0.5) * 0.3 : 0), y: m.lossFinal! })),
      backgroundColor: groupColor(gi, o.theme, 0.75),
      borderColor: c.background === 'transparent' ? '#ffffff' : c.background,
      pointRadius: 5 * s,
    };
  });
  const levels = [data.preset.stop.lossLimit, ...plateauLevels(data.plateaus).map(([, v]) => v)];
  const finals = data.models.map((m) => m.lossFinal ?? NaN);
  const [low, high] = extent(
    [...finals, ...levels].filter((v) => v > 0),
    [1e-3, 1],
  );
  const names = groups.map((g, gi) => o.seriesNames?.[g.name] || `${g.name} · ${architecture(data.preset, gi)}`);
  const x = linearScale(
    {
      min: -0.5,
      max: groups.length - 0.5,
      afterBuildTicks: ((axis: { ticks: { value: number }[] }) => {
        axis.ticks = groups.map((_, value) => ({ value })); // one tick per group, named
      }) as never,
      ticks: { callback: (v: number | string) => names[Number(v)] ?? '', maxRotation: 30 },
    },
    s,
  );
  return {
    type: 'scatter',
    data: { datasets: datasets as ChartDataset<'scatter'>[] },
    options: baseOptions('finals', o, x, logScale(low * 0.7, high * 1.4, s), {
      legend: [], // the x axis names the groups
      annotations: referenceLines(data, c, s, 'beforeDatasetsDraw'), // the points sit on their levels
      tooltip: (item) => `${item.dataset.label} · final loss ${level(at(item).y)}`,
    }) as never,
  };
}

export const CHARTS = {
  loss: lossChart,
  bands: bandsChart,
  fit: fitChart,
  lr: lrChart,
  finals: finalsChart,
} as const satisfies Record<ChartKind, (data: ChartData, o: ChartOptions) => ChartConfiguration<'line' | 'scatter'>>;

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
