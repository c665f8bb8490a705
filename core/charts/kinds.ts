// The charts Minima Lab draws and the backgrounds it draws them on: the names the contract, the CLI and
// the chart specs share.
export const CHART_KINDS = ['loss', 'bands', 'fit', 'lr', 'finals'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const THEMES = ['light', 'dark', 'transparent'] as const;
export type Theme = (typeof THEMES)[number];

export const CHART_FORMATS = ['png', 'svg'] as const;
export type ChartFormat = (typeof CHART_FORMATS)[number];
