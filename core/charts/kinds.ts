// The charts Minima Lab draws and the backgrounds it draws them on: the names the contract, the CLI and
// the chart specs share.
export const CHART_KINDS = ['loss', 'bands', 'fit', 'lr', 'finals', 'reach', 'heatmap'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
/** The charts of a sweep's results (the others draw any run). */
export const SWEEP_CHART_KINDS = ['heatmap'] as const satisfies readonly ChartKind[];

/** What a heatmap colours its cells by: the reach rate, the rate below the line plateau, median steps to reach, median best or final loss. */
export const HEAT_STATISTICS = ['reach', 'escape', 'steps', 'best', 'final'] as const;
export type HeatStatistic = (typeof HEAT_STATISTICS)[number];
export const HEAT_STATISTIC_NAMES: Record<HeatStatistic, string> = {
  reach: 'reached the loss limit',
  escape: 'ended below the line plateau',
  steps: 'median steps to reach the limit',
  best: 'median best validation loss',
  final: 'median final validation loss',
};

/** Which loss a chart of final values shows: the last one, or the lowest the model saw. */
export const LOSS_KINDS = ['final', 'best'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/** The loss chart: every model's curve, per group the median and its band, or auto (bands above BAND_THRESHOLD models). */
export const LOSS_VIEWS = ['auto', 'runs', 'band'] as const;
export type LossView = (typeof LOSS_VIEWS)[number];

/** A band's spread: the 10th to 90th percentile, or min to max. */
export const BAND_RANGES = ['quantiles', 'extremes'] as const;
export type BandRange = (typeof BAND_RANGES)[number];

export const THEMES = ['light', 'dark', 'transparent'] as const;
export type Theme = (typeof THEMES)[number];

export const CHART_FORMATS = ['png', 'svg'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];

/** Device pixels per CSS pixel an export is drawn at: a PNG at its density, an SVG (vector) at its size. */
export function drawnRatio(format: ChartFormat, pixelRatio: number): number {
  return format === 'png' ? pixelRatio : 1;
}

/** A chart export's width and height, in CSS pixels (the app's export dialog, `lab chart --size`). */
export const EXPORT_SIDE = { min: 64, max: 8192 } as const;

/** The most device pixels per CSS pixel a PNG export draws (`lab chart --pixel-ratio`). */
export const MAX_PIXEL_RATIO = 4;

/** The largest picture an export draws: 4K at 2× (about 33 million pixels, 130 MB of canvas). */
export const MAX_EXPORT_PIXELS = 3840 * 2160 * 4;

/** The pixels an export draws, the figure its size limit is on. */
export function drawnPixels(c: { format: ChartFormat; width: number; height: number; pixelRatio: number }): number {
  return c.width * c.height * drawnRatio(c.format, c.pixelRatio) ** 2;
}

/** A chart export unless told otherwise: a 1080p slide, one pixel per pixel, on white. */
export const EXPORT_DEFAULTS = { width: 1920, height: 1080, pixelRatio: 1, theme: 'light' } as const satisfies {
  width: number;
  height: number;
  pixelRatio: number;
  theme: Theme;
};
