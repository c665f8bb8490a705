// Every chart kind's spec, by kind: the one table the screen's cards, the export dialog's preview and the
// exporter draw from. Each spec lives beside its data, in the chart's own file.
import type { ChartConfiguration } from 'chart.js';
import type { ChartData } from './data.ts';
import { finalsChart } from './finals.ts';
import { fitChart } from './fit.ts';
import { heatmapChart } from './heatmap.ts';
import type { ChartKind } from './kinds.ts';
import { bandsChart, lossChart } from './loss.ts';
import { lrChart } from './lr.ts';
import { reachChart } from './reach.ts';
import type { ChartOptions } from './request.ts';

export const CHARTS = {
  loss: lossChart,
  bands: bandsChart,
  fit: fitChart,
  lr: lrChart,
  finals: finalsChart,
  reach: reachChart,
  heatmap: heatmapChart,
} as const satisfies Record<ChartKind, (data: ChartData, o: ChartOptions) => ChartConfiguration<'line' | 'scatter' | 'matrix'>>;
