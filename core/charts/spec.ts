// Every chart kind's spec, by kind: the one table the screen's cards, the export dialog's preview and the
// exporter draw from (each spec lives beside its data, in the chart's own file); and a chart export's
// configuration, which the preview and the exporter share so that the preview is the export.
import type { ChartConfiguration } from 'chart.js';
import { scaleFor } from './chartjs-options.ts';
import type { ChartData } from './data.ts';
import { finalsChart } from './finals.ts';
import { fitChart } from './fit.ts';
import { heatmapChart } from './heatmap.ts';
import type { ChartKind } from './kinds.ts';
import { kinksChart } from './kinks.ts';
import { landscapeChart } from './landscape.ts';
import { bandsChart, lossChart } from './loss.ts';
import { lrChart } from './lr.ts';
import { reachChart } from './reach.ts';
import { sliceChart } from './slice.ts';
import { drawnRatio, type ChartOptions, type ChartRequest } from './request.ts';
import { backgroundPlugin } from './theme.ts';

export const CHARTS = {
  loss: lossChart,
  bands: bandsChart,
  fit: fitChart,
  lr: lrChart,
  finals: finalsChart,
  reach: reachChart,
  heatmap: heatmapChart,
  kinks: kinksChart,
  landscape: landscapeChart,
  slice: sliceChart,
} as const satisfies Record<ChartKind, (data: ChartData, o: ChartOptions) => ChartConfiguration<'line' | 'scatter' | 'matrix'>>;

/**
 * A chart export's Chart.js configuration: its spec at the export's size (fonts and lines scaled to it
 * unless the options give a scale), on its theme's background, at the export's pixel density.
 */
export function exportConfig(data: ChartData, request: ChartRequest): ChartConfiguration<'line' | 'scatter' | 'matrix'> {
  const { width, height, options } = request;
  const config = CHARTS[request.kind](data, { ...options, scale: options.scale ?? scaleFor(width, height) });
  return {
    ...config,
    options: { ...config.options, devicePixelRatio: drawnRatio(request.format, request.pixelRatio) },
    plugins: [backgroundPlugin(options.theme)],
  };
}
