// A sweep seen as a grid: its dimensions (the axes, and the group when the preset has more than one),
// which two a heatmap spreads across x and y, the values the others are fixed at, and what the cells are
// coloured by. The app's pickers and the chart spec share it.
import type { SweepCell, SweepInfo } from '../preset/sweep.ts';
import type { ChartText } from './titles.ts';
import { HEAT_STATISTIC_NAMES, type HeatStatistic } from './kinds.ts';

export interface Dimension {
  title: string;
  labels: string[];
}

export interface HeatmapView {
  /** The dimension across (columns). */
  x: number;
  /** The dimension down (rows); null for a sweep of one dimension. */
  y: number | null;
  /** Per dimension, the value index the others (neither x nor y) are fixed at. */
  fixed: number[];
  statistic: HeatStatistic;
}

/** The sweep's dimensions: its axes, after the group when it has more than one. */
export function dimensionsOf(sweep: SweepInfo): Dimension[] {
  const axes = sweep.axes.map((a) => ({ title: a.title, labels: a.labels }));
  return sweep.bases.length > 1 ? [{ title: 'Group', labels: sweep.bases }, ...axes] : axes;
}

/** A cell's value index on each dimension. */
export function coordinatesOf(sweep: SweepInfo, cell: SweepCell): number[] {
  return sweep.bases.length > 1 ? [sweep.bases.indexOf(cell.base), ...cell.at] : cell.at;
}

/** A whole view from a partial one: x the first dimension, y the next, the others at their first value, the reach rate. */
export function heatmapView(sweep: SweepInfo, partial: Partial<HeatmapView> = {}): HeatmapView {
  const dims = dimensionsOf(sweep);
  const valid = (d: number | null | undefined) => d !== null && d !== undefined && d >= 0 && d < dims.length;
  const x = valid(partial.x) ? partial.x! : 0;
  const y = partial.y === null || dims.length < 2 ? null : valid(partial.y) && partial.y !== x ? partial.y! : x === 0 ? 1 : 0;
  const fixed = dims.map((d, k) => Math.min(Math.max(0, partial.fixed?.[k] ?? 0), d.labels.length - 1));
  return { x, y, fixed, statistic: partial.statistic ?? 'reach' };
}

/** The cells a view shows: rows (y's values, top to bottom) of columns (x's values); null where no cell is. */
export function cellGrid(sweep: SweepInfo, view: HeatmapView): (SweepCell | null)[][] {
  const dims = dimensionsOf(sweep);
  const at = new Map(sweep.cells.map((c) => [coordinatesOf(sweep, c).join(','), c]));
  const rows = view.y === null ? 1 : dims[view.y].labels.length;
  return Array.from({ length: rows }, (_, r) =>
    dims[view.x].labels.map((_, col) => {
      const coords = view.fixed.slice();
      coords[view.x] = col;
      if (view.y !== null) coords[view.y] = r;
      return at.get(coords.join(',')) ?? null;
    }),
  );
}

/** The dimensions a view holds fixed, as "Learning rate = 0.1". */
export function fixedText(sweep: SweepInfo, view: HeatmapView): string[] {
  return dimensionsOf(sweep).flatMap((d, k) => (k === view.x || k === view.y ? [] : [`${d.title} = ${d.labels[view.fixed[k]]}`]));
}

export function heatmapText(sweep: SweepInfo | null, partial: Partial<HeatmapView> = {}): ChartText {
  const statistic = partial.statistic ?? 'reach';
  const name = HEAT_STATISTIC_NAMES[statistic];
  const title = `${name[0].toUpperCase()}${name.slice(1)}${statistic === 'reach' || statistic === 'escape' ? ': models per cell' : ', per cell'}`;
  if (!sweep) return { title, xLabel: '', yLabel: '' };
  const view = heatmapView(sweep, partial);
  const dims = dimensionsOf(sweep);
  return { title, xLabel: dims[view.x].title, yLabel: view.y === null ? '' : dims[view.y].title };
}
