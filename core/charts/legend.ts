// A chart's legend as Chart.js draws it: over the plot for a few groups; for a crowded chart (more than
// FEW_GROUPS), a column beside the plot, never over it, its rows sized so every entry fits the plot's
// height and each entry cut to the column's width. The app's screen lists a crowded chart's entries in a
// scrolling list beside the canvas instead (ChartView.svelte), from the same entries.
import type { Chart, LegendItem } from 'chart.js';
import { crowded, type LegendEntry } from './series.ts';
import { FONT_FAMILY, type Colors } from './theme.ts';

/** The most of a chart's width a legend beside the plot takes. */
const COLUMN_SHARE = 1 / 3;
/** The smallest font of a legend beside the plot, in pixels: a 640 × 360 slide of 14 groups lists them all. */
const SMALLEST_FONT = 9;
/** A row of the legend at scale 1: the 13 px font and 12 px between rows. */
const ROW = { font: 13, padding: 12 };

/** What generateLabels sees of the legend it fills (Chart.js calls it with the legend as `this`). */
export interface LegendBox {
  maxHeight: number;
  options: { display: boolean; maxWidth?: number; labels: { padding: number; font: { size: number }; pointStyleWidth?: number } };
}

/** Whether a chart's legend goes beside its plot: more groups than a legend over it holds. */
export const besidePlot = (entries: LegendEntry[]): boolean => crowded(entries.filter((e) => e.group !== undefined).length);

/**
 * The legend's Chart.js options for these entries. `reserved`: the height at scale 1 that the title, the
 * caption and the x axis take, from which a legend beside the plot sizes its rows; `when`: whether a
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
  // every row fits the height left to the plot: smaller type before a second column, which the width would cut
  const rows = ({ chart }: { chart: Chart }) => {
    const row = Math.min((ROW.font + ROW.padding) * s, (chart.height - reserved * s) / (entries.length + 1));
    const size = Math.max(SMALLEST_FONT, Math.min(ROW.font * s, Math.round(row * 0.55)));
    return { size, padding: Math.max(2, row - size) };
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
        ? (context: { chart: Chart }) => ({ family: FONT_FAMILY, size: rows(context).size })
        : { family: FONT_FAMILY, size: Math.round(ROW.font * s) },
      usePointStyle: true,
      boxWidth: Math.round(28 * s),
      // a column's lines twice as wide as its type is high, so their dashes read
      pointStyleWidth: beside && dashed ? (context: { chart: Chart }) => 2 * rows(context).size : undefined,
      padding: beside ? (context: { chart: Chart }) => rows(context).padding : ROW.padding * s,
      generateLabels(this: LegendBox, chart: Chart) {
        const items = entries.map((e) => ({ hidden: false, fontColor: c.text, ...e }) as LegendItem);
        // over the plot Chart.js wraps the rows; a list not drawn is the screen's to lay out, whole
        return beside && this?.options.display ? fitted(items, this, chart.ctx, c) : items;
      },
    },
    onClick: () => {}, // entries stand for whole groups: nothing to hide one dataset by
  };
}

/**
 * A column's entries as they fit it: each cut to its width with an ellipsis, and, were the rows more than
 * its height holds (the rows are sized not to be), the last ones counted in one.
 */
function fitted(items: LegendItem[], legend: LegendBox, ctx: CanvasRenderingContext2D, c: Colors): LegendItem[] {
  const { padding, font } = legend.options.labels;
  const room = Math.max(1, Math.floor((legend.maxHeight - padding) / (font.size + padding)));
  const kept =
    items.length > room
      ? [
          ...items.slice(0, room - 1),
          {
            text: `and ${items.length - room + 1} more`,
            fontColor: c.muted,
            fillStyle: 'transparent',
            strokeStyle: 'transparent',
            lineWidth: 0,
          },
        ]
      : items;
  // Chart.js's column: padding, the symbol (pointStyleWidth, else as wide as the font), half the font, the text, and 10 px
  const width = (legend.options.maxWidth ?? Infinity) - 10 - padding - (legend.options.labels.pointStyleWidth ?? font.size) - font.size / 2;
  ctx.save();
  ctx.font = `${font.size}px ${FONT_FAMILY}`;
  const cut = kept.map((item) => ({ ...item, text: cutTo(String(item.text), width, (t) => ctx.measureText(t).width) }) as LegendItem);
  ctx.restore();
  return cut;
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
