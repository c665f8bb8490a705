// A chart's legend as Chart.js draws it: over the plot for a few groups; for a crowded chart (more than
// FEW_GROUPS), a column beside the plot, never over it, in the largest type at which every entry fits the
// plot's height, a long entry on two lines. The app's screen lists a crowded chart's entries in a
// scrolling list beside the canvas instead (ChartView.svelte), from the same entries.
import type { Chart, LegendItem } from 'chart.js';
import { crowded, type LegendEntry } from './series.ts';
import { FONT_FAMILY, type Colors } from './theme.ts';

/** The most of a chart's width a legend beside the plot takes. */
const COLUMN_SHARE = 1 / 3;
/** The smallest type of a legend beside the plot, in pixels: a 640 × 360 slide of 14 groups lists them all. */
const SMALLEST_FONT = 9;
/** A row of the legend at scale 1: the 13 px type and 12 px between rows (the space between shrinks with the type). */
const ROW = { font: 13, padding: 12 };
/** The least space between a column's rows, in pixels. */
const CLOSEST = 3;
/** Chart.js's line height, of the type's size: an entry of two lines is this high per line. */
const LINE_HEIGHT = 1.2;

/** What generateLabels sees of the legend it fills (Chart.js calls it with the legend as `this`). */
export interface LegendBox {
  maxHeight: number;
  options: { display: boolean; maxWidth?: number; labels: { padding: number; font: { size: number }; pointStyleWidth?: number } };
}

/** Whether a chart's legend goes beside its plot: more groups than a legend over it holds. */
const besidePlot = (entries: LegendEntry[]): boolean => crowded(entries.filter((e) => e.group !== undefined).length);

/** A column's type: its size, the space between its rows, and how wide its symbols are (lines twice the type, so their dashes read). */
interface Column {
  size: number;
  padding: number;
  symbol: number;
}

/**
 * The legend's Chart.js options for these entries. `reserved`: the height at scale 1 that the title, the
 * caption and the x axis take, from which a legend beside the plot sizes its type; `when`: whether a
 * chart of this size shows it (always, when absent).
 */
export function legendOptions(
  entries: LegendEntry[],
  shown: boolean,
  c: Colors,
  s: number,
  reserved: number,
  when?: (chart: Chart) => boolean,
) {
  const beside = besidePlot(entries);
  const dashed = entries.some((e) => e.lineDash?.length);
  const texts = entries.map((e) => String(e.text ?? ''));
  // the largest type at which every entry, on one line or two, fits the height left to the plot: a second
  // column would run past the width the column is given, and be cut
  const fits = new WeakMap<Chart, { width: number; height: number; column: Column }>();
  const columnOf = ({ chart }: { chart: Chart }): Column => {
    const known = fits.get(chart);
    if (known?.width === chart.width && known.height === chart.height) return known.column;
    const height = chart.height - reserved * s;
    const fitting = (tried: Column) => {
      const width = Math.round(chart.width * COLUMN_SHARE) - textOffset(tried);
      const measure = measured(chart.ctx, tried.size);
      return (
        columnHeight(
          texts.map((t) => linesOf(t, width, measure).length),
          tried,
        ) <= height
      );
    };
    // smaller type, its rows closer with it; at the smallest, closer still
    const largest = Math.round(ROW.font * s);
    const smallest = columnAt(SMALLEST_FONT, dashed);
    const tries = [
      ...Array.from({ length: Math.max(1, largest - SMALLEST_FONT + 1) }, (_, k) => columnAt(Math.max(SMALLEST_FONT, largest - k), dashed)),
      ...Array.from({ length: smallest.padding - CLOSEST }, (_, k) => ({ ...smallest, padding: smallest.padding - 1 - k })),
    ];
    const column = tries.find(fitting) ?? tries[tries.length - 1];
    fits.set(chart, { width: chart.width, height: chart.height, column });
    return column;
  };
  return {
    display: shown && entries.length > 0 && when ? ({ chart }: { chart: Chart }) => when(chart) : shown && entries.length > 0,
    position: beside ? ('right' as const) : ('top' as const),
    align: beside ? ('start' as const) : ('center' as const),
    fullSize: !beside, // beside the plot alone, under the title
    maxWidth: beside ? ({ chart }: { chart: Chart }) => Math.round(chart.width * COLUMN_SHARE) : undefined,
    labels: {
      color: c.text,
      font: beside
        ? (context: { chart: Chart }) => ({ family: FONT_FAMILY, size: columnOf(context).size })
        : { family: FONT_FAMILY, size: Math.round(ROW.font * s) },
      usePointStyle: true,
      boxWidth: Math.round(28 * s),
      pointStyleWidth: beside && dashed ? (context: { chart: Chart }) => columnOf(context).symbol : undefined,
      padding: beside ? (context: { chart: Chart }) => columnOf(context).padding : ROW.padding * s,
      generateLabels(this: LegendBox | undefined, chart: Chart) {
        const items = entries.map((e) => ({ hidden: false, fontColor: c.text, ...e }) as LegendItem);
        // over the plot Chart.js wraps the rows; a list not drawn is the screen's to lay out, whole (as are
        // the entries others ask for, calling this with another `this`, or none)
        return beside && this?.options?.display ? fitted(items, this, chart.ctx, c) : items;
      },
    },
    onClick: () => {}, // entries stand for whole groups: nothing to hide one dataset by
  };
}

/** A column in type of this size. */
function columnAt(size: number, dashed: boolean): Column {
  return { size, padding: Math.max(2, Math.round((size * ROW.padding) / ROW.font)), symbol: dashed ? 2 * size : size };
}

/** Where an entry's text starts in its column: Chart.js's padding, the symbol, half the type; and its 10 px to the right. */
const textOffset = (column: Column) => 10 + column.padding + column.symbol + column.size / 2;

/** How high Chart.js makes a column of entries of these many lines: one line the type's size, more their line height each. */
function columnHeight(lines: number[], { size, padding }: Column): number {
  return lines.reduce((sum, n) => sum + (n > 1 ? n * LINE_HEIGHT * size : size) + padding, padding);
}

/** Widths of text in this type. */
function measured(ctx: CanvasRenderingContext2D, size: number): (t: string) => number {
  return (t) => {
    ctx.save();
    ctx.font = `${size}px ${FONT_FAMILY}`;
    const width = ctx.measureText(t).width;
    ctx.restore();
    return width;
  };
}

/**
 * A column's entries as they fit it: a long one on two lines, broken before its note, else between its
 * parts, else between words, the second cut with an ellipsis where it is still too long; and, were they
 * more than its height holds (the type is sized for them not to be), the last ones counted in one.
 */
function fitted(items: LegendItem[], legend: LegendBox, ctx: CanvasRenderingContext2D, c: Colors): LegendItem[] {
  const { padding, font, pointStyleWidth } = legend.options.labels;
  const column = { size: font.size, padding, symbol: pointStyleWidth ?? font.size };
  const width = (legend.options.maxWidth ?? Infinity) - textOffset(column);
  const measure = measured(ctx, font.size);
  const wrapped = items.map((item) => {
    const lines = linesOf(String(item.text), width, measure);
    return { ...item, text: lines.length > 1 ? lines : lines[0] } as LegendItem;
  });
  const heights = wrapped.map((item) => (Array.isArray(item.text) ? item.text.length : 1));
  let kept = wrapped.length;
  while (kept > 1 && columnHeight([...heights.slice(0, kept), ...(kept < wrapped.length ? [1] : [])], column) > legend.maxHeight) kept--;
  if (kept === wrapped.length) return wrapped;
  const more = {
    text: `and ${wrapped.length - kept} more`,
    fontColor: c.muted,
    fillStyle: 'transparent',
    strokeStyle: 'transparent',
    lineWidth: 0,
  };
  return [...wrapped.slice(0, kept), more as LegendItem];
}

/** An entry's text on one line, or on two where it is wider than `width` (see fitted). */
function linesOf(text: string, width: number, measure: (t: string) => number): string[] {
  if (measure(text) <= width) return [text];
  for (const separator of [' (', ' · ', ' ']) {
    for (let at = text.lastIndexOf(separator); at > 0; at = text.lastIndexOf(separator, at - 1)) {
      if (measure(text.slice(0, at)) > width) continue;
      const rest = separator === ' (' ? text.slice(at + 1) : text.slice(at + separator.length);
      return [text.slice(0, at), cutTo(rest, width, measure)];
    }
  }
  return [cutTo(text, width, measure)];
}

/** `text` cut with an ellipsis to at most `width` as `measure` measures it. */
function cutTo(text: string, width: number, measure: (t: string) => number): string {
  if (measure(text) <= width) return text;
  let [low, high] = [0, text.length]; // the longest start that fits with its ellipsis
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(`${text.slice(0, mid).trimEnd()}…`) <= width) low = mid;
    else high = mid - 1;
  }
  return `${text.slice(0, low).trimEnd()}…`;
}
