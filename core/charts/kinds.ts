// The charts Minima Lab draws, the views each offers and the backgrounds it draws them on: the names the
// contract, the CLI and the chart specs share (a chart request, with its formats and sizes: request.ts).
export const CHART_KINDS = ['loss', 'bands', 'fit', 'lr', 'finals', 'reach', 'heatmap', 'kinks', 'landscape', 'slice'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
/** The charts of a sweep's results (the others draw any run). */
export const SWEEP_CHART_KINDS = ['heatmap'] as const satisfies readonly ChartKind[];
/** The charts drawn from a model's snapshots or its loss landscape, not from the result alone: no run folder exports them all. */
export const SNAPSHOT_CHART_KINDS = ['kinks', 'landscape', 'slice'] as const satisfies readonly ChartKind[];

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

/** Backgrounds: white, dark, or none with dark ink (for a light slide) or light ink (for a dark one). */
export const THEMES = ['light', 'dark', 'transparent-light', 'transparent-dark'] as const;
export type Theme = (typeof THEMES)[number];

/** A theme's names read as well: `transparent`, from before it came in two inks, in scripts and saved requests. */
export const THEME_NAMES = [...THEMES, 'transparent'] as const;
export type ThemeName = (typeof THEME_NAMES)[number];

/** The theme a name read means. */
export const themeNamed = (name: ThemeName): Theme => (name === 'transparent' ? 'transparent-light' : name);

/** Whether a theme draws light ink, for a dark background. */
export const isDarkTheme = (theme: Theme): boolean => theme === 'dark' || theme === 'transparent-dark';
