// Charts for slides and papers, drawn by Chart.js in Node on @napi-rs/canvas (its SVG canvas writes
// vector SVG) from the same chart specs the app draws on screen. The desktop app exports through here
// too, so a chart looks the same from the app and from `lab chart`.
import { createCanvas, SvgExportFlag } from '@napi-rs/canvas';
import type { Plugin } from 'chart.js';
import { Chart } from '../../core/charts/register.ts';
import type { ChartFormat, ChartKind } from '../../core/charts/kinds.ts';
import { backgroundOf, CHARTS, type ChartData, type ChartModel, type ChartOptions } from '../../core/charts/spec.ts';
import type { RunResult } from '../../core/events.ts';

export interface ChartExport {
  kind: ChartKind;
  format: ChartFormat;
  /** The chart's size in CSS pixels. */
  width: number;
  height: number;
  /** Pixels per CSS pixel in a PNG (2 or 3 for "as shown" on a dense screen); SVG ignores it. */
  pixelRatio: number;
  options: ChartOptions;
}

/** The layout charts are designed at; bigger exports scale fonts and lines with their width. */
const DESIGN_WIDTH = 960;

/** Fills the background before drawing (nothing for a transparent one). */
const background = (color: string): Plugin => ({
  id: 'minima-background',
  beforeDraw: (chart) => {
    if (color === 'transparent') return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
});

/** The charts' view of a stored result: every model with its final weights. */
export function chartDataOf(result: RunResult): ChartData {
  const models: ChartModel[] = result.models.map((m) => ({ ...m, params: m.finalParams }));
  return { preset: result.preset, plateaus: result.plateaus, models };
}

export async function renderChart(data: ChartData, request: ChartExport): Promise<Buffer> {
  const { width, height, format } = request;
  const scale = request.options.scale ?? Math.max(1, width / DESIGN_WIDTH);
  const config = CHARTS[request.kind](data, { ...request.options, scale }) as ReturnType<typeof CHARTS.loss>;
  const ratio = format === 'png' ? request.pixelRatio : 1;
  /** Draws on the canvas, reads the image out, then frees the chart (which would clear the canvas). */
  const drawn = async <T>(canvas: object, read: () => T | Promise<T>): Promise<T> => {
    const chart = new Chart(canvas as HTMLCanvasElement, {
      ...config,
      options: { ...config.options, devicePixelRatio: ratio },
      plugins: [background(backgroundOf(request.options.theme))],
    });
    try {
      chart.draw();
      return await read();
    } finally {
      chart.destroy();
    }
  };
  if (format === 'svg') {
    const svg = createCanvas(width, height, SvgExportFlag.NoPrettyXML);
    return drawn(svg, () => svg.getContent());
  }
  const png = createCanvas(width, height); // Chart.js grows it to width × ratio for its devicePixelRatio
  return drawn(png, () => png.encode('png'));
}
