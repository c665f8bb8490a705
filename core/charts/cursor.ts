// The timeline's cursor on a chart against step (its x is step + 1 on a log axis, the step on a linear one): a solid line at the step across the plot,
// named "step N" on a plate at its top, over the curves. A plugin rather than an annotation so that the
// screen can move it with a repaint (a millisecond or two) where updating the kink paths takes tens: it
// reads the step from the chart's own options, which `moveCursor` changes in place, not from Chart.js's
// resolved copy of them, which only an update refreshes. Exports draw it the same way.
import type { Chart } from 'chart.js';
import { points } from './figures.ts';
import type { ChartOptions } from './request.ts';
import { isDarkTheme } from './kinds.ts';
import { FONT_FAMILY } from './theme.ts';

export const CURSOR_PLUGIN_ID = 'minima-cursor';

/** Where the cursor is and how it looks: the app's accent, unlike any series or reference line. */
export interface Cursor {
  step: number | null;
  /** What the chart's x is beside the step: 1 where it is step + 1, 0 where it is the step. */
  offset: number;
  color: string;
  scale: number;
}

/** The cursor's plugin options for a chart against step (x = step + offset) drawn with these options. */
export function cursorOf(o: ChartOptions, offset: number): Cursor {
  return { step: o.step ?? null, offset, color: isDarkTheme(o.theme) ? '#60a5fa' : '#2563eb', scale: o.scale ?? 1 };
}

/** The chart's cursor, as its own options hold it; undefined on a chart that has none. */
function cursorIn(chart: Chart): Cursor | undefined {
  return (chart.config.options?.plugins as Record<string, unknown> | undefined)?.[CURSOR_PLUGIN_ID] as Cursor | undefined;
}

/** Moves a drawn chart's cursor and repaints it, data and scales as they are. */
export function moveCursor(chart: Chart, step: number | null): void {
  const cursor = cursorIn(chart);
  if (!cursor || cursor.step === step) return;
  cursor.step = step;
  chart.render();
}

export const cursorPlugin = {
  id: CURSOR_PLUGIN_ID,
  afterDatasetsDraw(chart: Chart) {
    const cursor = cursorIn(chart);
    const x = chart.scales.x;
    if (!cursor || cursor.step === null || !x) return;
    const px = x.getPixelForValue(cursor.step + cursor.offset);
    const { left, right, top, bottom } = chart.chartArea;
    if (!(px >= left - 0.5 && px <= right + 0.5)) return; // zoomed away from it
    const s = cursor.scale;
    const ctx = chart.ctx;
    const text = `step ${points(cursor.step)}`;
    ctx.save();
    ctx.strokeStyle = cursor.color;
    ctx.lineWidth = 2 * s;
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, bottom);
    ctx.stroke();
    ctx.font = `600 ${Math.round(11 * s)}px ${FONT_FAMILY}`;
    const width = ctx.measureText(text).width + 10 * s;
    const plateX = Math.min(Math.max(px - width / 2, left), right - width);
    ctx.fillStyle = cursor.color;
    ctx.fillRect(plateX, top, width, 17 * s);
    ctx.fillStyle = '#ffffff';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, plateX + 5 * s, top + 9 * s);
    ctx.restore();
  },
};
