// The Chart.js options every chart builds on: its title, its caption under the plot, its legend (one
// entry per group, as the chart says: legend.ts), its tooltip and its axes, in the theme's colours and the font,
// scaled with the chart's size; and the dataset and tooltip types the chart specs share.
import type { Chart, ChartDataset, TooltipItem } from 'chart.js';
import type { Scale } from './axes.ts';
import { CURSOR_PLUGIN_ID, cursorOf } from './cursor.ts';
import type { ChartKind } from './kinds.ts';
import { legendOptions } from './legend.ts';
import type { ChartOptions } from './request.ts';
import type { LegendEntry } from './series.ts';
import { colorsOf, FONT_FAMILY } from './theme.ts';
import { chartText, type ChartText } from './titles.ts';

/**
 * A dataset of a line or scatter chart, with the group it belongs to (what a click on a heatmap's cell picks)
 * and the model it draws (what a click on its line follows).
 */
export type Dataset = ChartDataset<'line' | 'scatter'> & { group?: string; model?: number };
export type Item = TooltipItem<'line' | 'scatter'>;
/** A tooltip's point. */
export const at = (item: Item) => ({ x: item.parsed.x ?? NaN, y: item.parsed.y ?? NaN });

/** What a chart adds to the options every chart shares: its legend entries, lines, caption, tooltip, own text and axes. */
export interface Extras {
  legend: LegendEntry[];
  /** Where the legend shows only at some sizes (the finals' key to its lettered columns): whether it does. */
  legendWhen?: (chart: Chart) => boolean;
  /** chartjs-plugin-annotation's options (its own types do not resolve under NodeNext). */
  annotations?: Record<string, object>;
  caption?: string[];
  tooltip?: (item: Item) => string;
  /** The chart's own title and axis labels, where chartText cannot know them from the kind alone. */
  text?: ChartText;
  /** Its x is step + this (1 on a log step axis, 0 on a linear one): it marks the timeline's cursor (cursor.ts) where the options set a step. */
  cursor?: number;
  /** Axes besides x and y, as Chart.js takes them (coloured and lettered here like those). */
  scales?: Record<string, Scale & { position: 'left' | 'right' | 'top' | 'bottom' }>;
}

/** The Chart.js options every chart builds on: its title, caption, legend, tooltip and axes, styled for its theme and scale. */
export function chartJsOptions(kind: ChartKind, o: ChartOptions, x: Scale, y: Scale, extras: Extras) {
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
  const titled = o.titleShown ?? true;
  // the height the title, the caption and the x axis take, at scale 1: what is left to the plot, and to a legend beside it
  const reserved = (titled ? 36 : 0) + (extras.caption ? 8 + 13.2 * extras.caption.length : 0) + 52;
  return {
    responsive: false,
    animation: false as const,
    parsing: false as const,
    normalized: true,
    font: { family: FONT_FAMILY },
    interaction: { mode: 'nearest' as const, intersect: false },
    plugins: {
      title: {
        display: titled,
        // none where it is not shown (the app's cards head it): a title that follows the cursor would otherwise
        // make every scrubbed step new options for Chart.js to resolve, tens of milliseconds
        text: titled ? (o.title ?? text.title) : '',
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
      legend: legendOptions(extras.legend, o.legend ?? true, c, s, reserved, extras.legendWhen),
      tooltip: {
        enabled: true,
        callbacks: { title: () => '', label: extras.tooltip ?? ((item: Item) => String(item.dataset.label ?? '')) },
      },
      annotation: { annotations: extras.annotations ?? {} },
      ...(extras.cursor !== undefined ? { [CURSOR_PLUGIN_ID]: cursorOf(o, extras.cursor) } : {}),
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
