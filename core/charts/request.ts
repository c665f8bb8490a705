// A chart to draw, declared once: which chart, as PNG or SVG, at what size and pixel density, with what
// options (theme, title, legend, heatmap view…), with its limits, its defaults and the schema the IPC
// contract checks the export dialog's request with. `lab chart` builds one from its flags, the exporter
// draws one.
import { z } from 'zod';
import { boundedRecord } from '../ipc/bounded.ts';
import { LIMITS } from '../preset/preset.ts';
import type { HeatmapView } from './heatmap-view.ts';
import {
  BAND_RANGES,
  CHART_KINDS,
  HEAT_STATISTICS,
  LOSS_KINDS,
  LOSS_VIEWS,
  THEME_NAMES,
  themeNamed,
  type BandRange,
  type LossKind,
  type LossView,
  type Theme,
} from './kinds.ts';

export const CHART_FORMATS = ['png', 'svg'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];

/** A chart export's width and height, in CSS pixels (the app's export dialog, `lab chart --size`). */
export const EXPORT_SIDE = { min: 64, max: 8192 } as const;

/** The heaviest smoothing of the training loss (TensorBoard's slider goes to 0.999): 1 would freeze it at 0. */
export const MAX_SMOOTHING = 0.999;

/** The most device pixels per CSS pixel a PNG export draws (`lab chart --pixel-ratio`). */
export const MAX_PIXEL_RATIO = 4;

/** The largest picture an export draws: 4K at 2× (about 33 million pixels, 130 MB of canvas). */
export const MAX_EXPORT_PIXELS = 3840 * 2160 * 4;

/** A chart export unless told otherwise: a 1080p slide, one pixel per pixel, on white. */
export const EXPORT_DEFAULTS = { width: 1920, height: 1080, pixelRatio: 1, theme: 'light' } as const satisfies {
  width: number;
  height: number;
  pixelRatio: number;
  theme: Theme;
};

/** Device pixels per CSS pixel an export is drawn at: a PNG at its density, an SVG (vector) at its size. */
export function drawnRatio(format: ChartFormat, pixelRatio: number): number {
  return format === 'png' ? pixelRatio : 1;
}

/** The pixels an export draws, the figure its size limit is on. */
export function drawnPixels(c: { format: ChartFormat; width: number; height: number; pixelRatio: number }): number {
  return c.width * c.height * drawnRatio(c.format, c.pixelRatio) ** 2;
}

/** The picture an export draws: which chart, as what file, how big (CSS pixels) and how dense. */
export const ChartPictureSchema = z.strictObject({
  kind: z.enum(CHART_KINDS),
  format: z.enum(CHART_FORMATS),
  width: z.int().min(EXPORT_SIDE.min).max(EXPORT_SIDE.max),
  height: z.int().min(EXPORT_SIDE.min).max(EXPORT_SIDE.max),
  /** Pixels per CSS pixel in a PNG (2 or 3 for "as shown" on a dense screen); SVG ignores it. */
  pixelRatio: z.int().min(1).max(MAX_PIXEL_RATIO),
});
export type ChartPicture = z.output<typeof ChartPictureSchema>;

/** A chart theme by any of its names: `transparent` reads as `transparent-light`. */
export const ThemeSchema = z.enum(THEME_NAMES).transform(themeNamed);

/**
 * The chart options an export request carries: what the export dialog and the chart's card set, and the
 * groups picked on screen (what the preview draws). The screen's own (the title drawn inside or not, the
 * scale) stay off it.
 */
export const ExportOptionsSchema = z.strictObject({
  theme: ThemeSchema,
  title: z.string().max(300).optional(),
  xLabel: z.string().max(200).optional(),
  yLabel: z.string().max(200).optional(),
  legend: z.boolean(),
  showTrain: z.boolean().optional(),
  fitModels: z.array(z.int().nonnegative()).max(LIMITS.models).optional(),
  units: z.boolean().optional(),
  /** The timeline's cursor: the fit at that step, the step charts marked there. */
  step: z.int().nonnegative().optional(),
  /** The model followed across the charts (core/charts/highlight.ts), by id. */
  highlight: z.int().nonnegative().max(LIMITS.models).optional(),
  lossView: z.enum(LOSS_VIEWS).optional(),
  bandRange: z.enum(BAND_RANGES).optional(),
  lrLog: z.boolean().optional(),
  linearSteps: z.boolean().optional(),
  trainSmoothing: z.number().min(0).max(MAX_SMOOTHING).optional(),
  finalsLoss: z.enum(LOSS_KINDS).optional(),
  heatmap: z
    .strictObject({
      x: z.int().nonnegative().max(16),
      y: z.int().nonnegative().max(16).nullable(),
      fixed: z.array(z.int().nonnegative()).max(16),
      statistic: z.enum(HEAT_STATISTICS),
    })
    .partial()
    .optional(),
  seriesNames: boundedRecord(z.string().max(200), z.string().max(200), LIMITS.groups).optional(),
  selectedGroups: z.array(z.string().max(200)).max(LIMITS.groups).optional(),
});

/** The options a chart's card (and the timeline, and the model followed) set, which its export carries as they are on screen. */
export const CARD_OPTIONS = [
  'showTrain',
  'trainSmoothing',
  'fitModels',
  'units',
  'step',
  'highlight',
  'lossView',
  'bandRange',
  'lrLog',
  'linearSteps',
  'finalsLoss',
  'heatmap',
  'selectedGroups',
] as const satisfies readonly (keyof z.input<typeof ExportOptionsSchema>)[];

/** What a chart shows and how: the export's options, and the screen's own. */
export interface ChartOptions {
  theme: Theme;
  /** Also draw the training loss (validation loss is always drawn). */
  showTrain?: boolean;
  /** The models whose fitted function the fit chart draws (default: the typical one of each group). */
  fitModels?: number[];
  /** The fit chart: each drawn model's hidden units under it (default: when it draws one model). */
  units?: boolean;
  /**
   * The timeline's cursor: the step a finished run is replayed at. The fit chart draws each model as its
   * snapshot at or before it (snapshotIndexAt); the step charts mark it. Unset: the run as it ended (or, live, its latest step).
   */
  step?: number;
  /** A model followed across the charts, by id: drawn over the others and stronger, the rest faded (highlight.ts). */
  highlight?: number;
  /** The loss chart: every model's curve, or per group the median and its band; auto bands groups over BAND_THRESHOLD models. */
  lossView?: LossView;
  /** The band's spread: the 10th to 90th percentile, or min to max. */
  bandRange?: BandRange;
  /** The learning-rate chart on a log scale. */
  lrLog?: boolean;
  /** The loss, bands and learning-rate charts against the step on a linear axis (default: step + 1 on a log one). */
  linearSteps?: boolean;
  /** The training loss smoothed as TensorBoard does, with this weight (0, the default: as it was). */
  trainSmoothing?: number;
  /** The finals chart: each model's last validation loss, or the lowest it saw. */
  finalsLoss?: LossKind;
  /** The heatmap's axes, the values the other dimensions are fixed at, and what colours the cells. */
  heatmap?: Partial<HeatmapView>;
  /**
   * Groups picked on screen: the heatmap outlines its cells; a crowded bands chart draws their bands (and
   * curves), and the time-to-reach chart their 95 % bands, each other group its median or curve alone.
   */
  selectedGroups?: string[];
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

/** A chart to draw to a file: the picture, and the chart's options. */
export interface ChartRequest extends ChartPicture {
  options: ChartOptions;
}
