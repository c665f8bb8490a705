// The sweep heatmap: one cell per combination of two dimensions (the others fixed), coloured by a
// statistic of the cell's finished models, with the figure and its 95 % interval written in it and a
// colour bar beside. Drawn with chartjs-chart-matrix; the words and the bar are a plugin of our own, so
// the app, PNG and SVG show the same.
import type { Chart, ChartConfiguration } from 'chart.js';
import { percent, steps } from '../results/format.ts';
import { summarise, summariseGroup, type GroupSummary } from '../results/summary.ts';
import { linearScale } from './axes.ts';
import { chartJsOptions } from './chartjs-options.ts';
import { finished, type ChartData } from './data.ts';
import { level } from './figures.ts';
import { cellGrid, dimensionsOf, fixedText, heatmapText, heatmapView, type HeatmapView } from './heatmap-view.ts';
import type { ChartOptions } from './request.ts';
import { colorsOf, FONT_FAMILY } from './theme.ts';
import { formatTick, logTicks } from './ticks.ts';

/** Viridis, sampled: perceptually even, readable in grey, and safe for the common colour blindnesses. */
const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
const EMPTY = '#d1d5db';

function mix(a: string, b: string, t: number): string {
  const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const [p, q] = [rgb(a), rgb(b)];
  return `#${p
    .map((v, k) =>
      Math.round(v + (q[k] - v) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** The colour of t in [0, 1] (1 brightest). */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  return mix(VIRIDIS[k], VIRIDIS[k + 1], x - k);
}

/** Dark text on a bright cell, white on a dark one. */
export function textOn(color: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 ? '#111827' : '#ffffff';
}

/** One cell as drawn: where, its statistic, its words. */
interface HeatCell {
  x: number;
  y: number;
  group: string;
  color: string;
  lines: string[];
  tooltip: string;
  /** Picked on screen: outlined. */
  picked: boolean;
}

/** How a statistic maps onto the colours: its value in a cell (null: none yet) and the bar's range and ticks. */
interface Scale {
  value(s: GroupSummary): number | null;
  /** Where a value sits on the bar, 0 (bottom) to 1 (top, brightest: the better end). */
  position(v: number): number;
  ticks: { value: number; text: string }[];
}

const count = (v: number) => formatTick(Math.round(v));

function scaleOf(view: HeatmapView, summaries: GroupSummary[], cap: number): Scale {
  if (view.statistic === 'reach' || view.statistic === 'escape') {
    const p = view.statistic === 'reach' ? (s: GroupSummary) => s.reach : (s: GroupSummary) => s.escape;
    return {
      value: (s) => (p(s).n ? p(s).k / p(s).n : null),
      position: (v) => v,
      ticks: [0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, text: `${percent(v)} %` })),
    };
  }
  // steps and losses: log scale, fewer (lower) is better and brighter
  const value =
    view.statistic === 'steps'
      ? (s: GroupSummary) => (s.models ? (s.stepsToReach.median ?? cap) : null)
      : (s: GroupSummary) => (view.statistic === 'best' ? s.lossBest : s.lossFinal);
  const values = summaries.map(value).filter((v): v is number => v !== null && v > 0);
  let low = values.length ? Math.min(...values) : 1;
  let high = view.statistic === 'steps' ? cap : values.length ? Math.max(...values) : 10;
  // "not reached" sits at the cap, the darkest end, also where no cell reached: the bar then spans a decade below it
  if (view.statistic === 'steps' && low >= cap) low = cap / 10;
  if (high <= low) [low, high] = [low / 2, high * 2];
  const position = (v: number) => 1 - (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low));
  const ticks = logTicks(low, high).map((t) => ({ value: t.value, text: formatTick(t.value) }));
  return { value, position, ticks: ticks.length >= 2 ? ticks : [low, high].map((v) => ({ value: v, text: formatTick(v) })) };
}

/** A cell's words: the figure, then its interval (or how many models it stands on). */
function linesOf(view: HeatmapView, s: GroupSummary): string[] {
  if (!s.models) return ['–'];
  switch (view.statistic) {
    case 'reach':
    case 'escape': {
      const p = view.statistic === 'reach' ? s.reach : s.escape;
      return [`${p.k}/${p.n}`, `${percent(p.low)}–${percent(p.high)} %`];
    }
    case 'steps': {
      const t = s.stepsToReach;
      if (t.median === null) return ['not reached', `n = ${s.models}`];
      return [count(t.median), `${t.low === null ? '?' : count(t.low)}–${t.high === null ? 'cap' : count(t.high)}`];
    }
    default: {
      const v = view.statistic === 'best' ? s.lossBest : s.lossFinal;
      return [v === null ? '–' : level(v), `n = ${s.models}`];
    }
  }
}

/** The colour bar right of the plot, at scale 1: its gap from the plot, its width, its labels' offset from it. */
const BAR = { gap: 18, width: 14, label: 7 };
const barFont = (s: number) => `${Math.round(12 * s)}px ${FONT_FAMILY}`;

/** The room right of the plot the colour bar and its widest label take, and a few pixels to the edge. */
function barRoom(ctx: CanvasRenderingContext2D, ticks: { text: string }[], s: number): number {
  ctx.save();
  ctx.font = barFont(s);
  const widest = Math.max(0, ...ticks.map((t) => ctx.measureText(t.text).width));
  ctx.restore();
  return (BAR.gap + BAR.width + BAR.label + 4) * s + widest;
}

/** What the plugin draws a heatmap's words and bar from, kept on its dataset so every redraw reads the latest. */
export interface HeatDataset {
  data: HeatCell[];
  heat: { ticks: { text: string; position: number }[]; scale: number; text: string; grid: string };
}

/**
 * Writes each cell's words and draws the colour bar of every matrix chart (registered with the chart
 * types; the loss landscape's too): a plugin, so PNG, SVG and screen get the same. Where the bar's labels
 * would touch, the one listed first stays.
 */
export const heatmapPlugin = {
  id: 'minima-heatmap',
  afterDatasetsDraw(chart: Chart) {
    if ((chart.config as { type?: string }).type !== 'matrix') return;
    const dataset = chart.data.datasets[0] as unknown as HeatDataset | undefined;
    if (!dataset?.heat) return;
    const { ticks, scale: s, text, grid } = dataset.heat;
    const ctx = chart.ctx;
    const elements = chart.getDatasetMeta(0).data as unknown as { x: number; y: number; width: number; height: number }[];
    ctx.save();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    dataset.data.forEach((cell, k) => {
      const e = elements[k];
      if (!e) return;
      if (cell.picked) {
        // a dark frame around a white one: seen on the darkest and the lightest colours, on a projector too
        ctx.strokeStyle = text;
        ctx.lineWidth = 6 * s;
        ctx.strokeRect(e.x + 3 * s, e.y + 3 * s, e.width - 6 * s, e.height - 6 * s);
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 3 * s;
        ctx.strokeRect(e.x + 4.5 * s, e.y + 4.5 * s, e.width - 9 * s, e.height - 9 * s);
      }
      const size = Math.min(16 * s, e.height / 3.2, e.width / 5);
      const lines = e.height > 2.6 * size ? cell.lines : cell.lines.slice(0, 1);
      ctx.fillStyle = textOn(cell.color);
      lines.forEach((line, i) => {
        ctx.font = `${i === 0 ? 'bold ' : ''}${Math.round(i === 0 ? size : size * 0.8)}px ${FONT_FAMILY}`;
        const dy = (i - (lines.length - 1) / 2) * size * 1.25;
        ctx.fillText(line, e.x + e.width / 2, e.y + e.height / 2 + dy);
      });
    });
    // the colour bar, right of the plot
    const area = chart.chartArea;
    const left = area.right + BAR.gap * s;
    const width = BAR.width * s;
    const gradient = ctx.createLinearGradient(0, area.bottom, 0, area.top);
    VIRIDIS.forEach((color, k) => gradient.addColorStop(k / (VIRIDIS.length - 1), color));
    ctx.fillStyle = gradient;
    ctx.fillRect(left, area.top, width, area.height);
    ctx.strokeStyle = grid;
    ctx.lineWidth = s;
    ctx.strokeRect(left, area.top, width, area.height);
    ctx.fillStyle = text;
    ctx.textAlign = 'left';
    ctx.font = barFont(s);
    const drawn: number[] = [];
    for (const t of ticks) {
      const y = area.bottom - t.position * area.height;
      if (drawn.some((d) => Math.abs(y - d) < 14 * s)) continue; // labels that would touch: keep the first
      drawn.push(y);
      ctx.fillRect(left + width, y - 0.5 * s, 4 * s, s);
      ctx.fillText(t.text, left + width + BAR.label * s, y);
    }
    ctx.restore();
  },
};

export function heatmapChart(data: ChartData, o: ChartOptions): ChartConfiguration<'matrix'> {
  const s = o.scale ?? 1;
  const sweep = data.sweep;
  if (!sweep) throw new Error('the heatmap needs a sweep’s results');
  const view = heatmapView(sweep, o.heatmap);
  const dims = dimensionsOf(sweep);
  const grid = cellGrid(sweep, view);
  const cap = data.preset.stop.maxSteps;
  const summaries = new Map(summarise(data.preset, data.models.filter(finished)).map((g) => [g.group, g]));
  // a cell no group of the preset names (a result edited by hand) is drawn as one with no models
  const summaryOf = (group: string) => summaries.get(group) ?? summariseGroup(group, [], cap);
  const shown = grid.flat().flatMap((cell) => (cell ? [summaryOf(cell.group)] : [])); // a view may fix other axes
  const scale = scaleOf(view, shown, cap);
  const xLabels = dims[view.x].labels;
  const yLabels = view.y === null ? [''] : dims[view.y].labels;
  const cells: HeatCell[] = grid.flatMap((row, y) =>
    row.flatMap((cell, x) => {
      if (!cell) return [];
      const summary = summaryOf(cell.group);
      const v = scale.value(summary);
      const color = v === null ? EMPTY : viridis(scale.position(v));
      const lines = linesOf(view, summary);
      const place = [xLabels[x], ...(view.y === null ? [] : [yLabels[y]])].join(' · ');
      const picked = o.selectedGroups?.includes(cell.group) ?? false;
      return [{ x, y, group: cell.group, color, lines, tooltip: `${place}: ${lines.join(' ')} (${cell.group})`, picked }];
    }),
  );
  const categories = (labels: string[]) =>
    linearScale(
      {
        min: -0.5,
        max: labels.length - 0.5,
        afterBuildTicks: ((axis: { ticks: { value: number }[] }) => {
          axis.ticks = labels.map((_, value) => ({ value }));
        }) as never,
        ticks: { callback: (v: number | string) => labels[Number(v)] ?? '', autoSkip: false },
      },
      s,
    );
  const text = heatmapText(sweep, o.heatmap);
  const fixed = fixedText(sweep, view);
  // a slide of rates says what was reached, by when: "0/100" alone reads as "never works"
  const what =
    view.statistic === 'reach'
      ? `k of n models reached the loss limit ${data.preset.stop.lossLimit} within ${steps(cap)} steps, 95 % Wilson interval`
      : view.statistic === 'escape'
        ? `k of n models ended below the line plateau ${level(data.plateaus.line)}, 95 % Wilson interval`
        : view.statistic === 'steps'
          ? `Kaplan–Meier median steps to the loss limit ${data.preset.stop.lossLimit}, 95 % interval; “not reached”: under half reached it within ${steps(cap)} steps`
          : 'median over the models finished';
  const shared = chartJsOptions('heatmap', o, categories(xLabels), categories(yLabels), {
    legend: [],
    caption: [[...fixed, `cells: ${what}`].join(' · ')],
    tooltip: (item) => cells[item.dataIndex]?.tooltip ?? '',
    text,
  });
  const options = {
    ...shared,
    interaction: { mode: 'nearest' as const, intersect: true },
    // the colour bar and its labels, measured: a fixed room left the picture's right edge empty
    layout: { padding: ({ chart }: { chart: Chart }) => ({ right: barRoom(chart.ctx, scale.ticks, s) }) },
    // title and caption centred over the cells, not over cells, row labels and colour bar together
    plugins: {
      ...shared.plugins,
      title: { ...shared.plugins.title, fullSize: false },
      subtitle: { ...shared.plugins.subtitle, fullSize: false },
    },
    scales: {
      x: { ...shared.scales.x, offset: false, grid: { display: false }, border: { display: false } },
      y: { ...shared.scales.y, offset: false, reverse: true, grid: { display: false }, border: { display: false } },
    },
  };
  const gap = 2 * s;
  const c = colorsOf(o.theme);
  const heat: HeatDataset['heat'] = {
    ticks: scale.ticks.map((t) => ({ text: t.text, position: scale.position(t.value) })),
    scale: s,
    text: c.text,
    grid: c.grid,
  };
  return {
    type: 'matrix',
    data: {
      datasets: [
        {
          label: text.title,
          data: cells,
          heat,
          backgroundColor: cells.map((cell) => cell.color),
          borderWidth: 0,
          width: ({ chart }: { chart: Chart }) => (chart.chartArea?.width ?? 0) / xLabels.length - gap,
          height: ({ chart }: { chart: Chart }) => (chart.chartArea?.height ?? 0) / yLabels.length - gap,
        },
      ],
    },
    options,
  } as never;
}
