// The finals chart: each model's final validation loss (or the lowest it saw), one column per group on a
// log scale, with the loss limit and the plateaus named beside the plot. Each column is named under it,
// the name's parts wrapped to its width; where names do not fit (many groups, a small picture), the
// columns are lettered and a legend keys the letters.
import type { Chart, ChartConfiguration, ChartDataset } from 'chart.js';
import { extent, linearScale, logScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData, ChartModel } from './data.ts';
import { level } from './figures.ts';
import { emphasisOf } from './highlight.ts';
import { LABELLED_BELOW, referenceLevels, referenceLines } from './references.ts';
import type { ChartOptions } from './request.ts';
import { legendOf, seriesName } from './series.ts';
import { colorsOf, FONT_FAMILY, groupColor, looksOf } from './theme.ts';

/**
 * Each model's final validation loss (or the lowest it saw), one column per group (log scale), with the
 * limit and plateaus.
 */
export function finalsChart(data: ChartData, o: ChartOptions): ChartConfiguration<'scatter'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const groups = data.preset.groups;
  const looks = looksOf(data);
  const lossOf = (m: ChartModel) => (o.finalsLoss === 'best' ? m.lossBest : m.lossFinal) ?? NaN;
  const datasets: Dataset[] = groups.map((g, gi) => {
    const mine = data.models.filter((m) => m.groupIndex === gi && lossOf(m) > 0);
    const points = mine.map((m, k) => ({ x: gi + (mine.length > 1 ? (k / (mine.length - 1) - 0.5) * 0.3 : 0), y: lossOf(m), model: m.id }));
    // a followed model's point is drawn last in its column, over its neighbours, larger and ringed
    points.sort((a, b) => emphasisOf(o, b.model).order - emphasisOf(o, a.model).order);
    const radius = (mine.length > 50 ? 3.5 : 5) * s; // a sweep cell's hundred points still show apart
    const looked = points.map((p) => emphasisOf(o, p.model));
    return {
      type: 'scatter' as const,
      label: g.name,
      group: g.name,
      data: points,
      backgroundColor: looked.map((e) => groupColor(looks[gi].family, o.theme, 0.75 * e.alpha)),
      borderColor: looked.map((e) => (e.followed ? c.text : c.outline)),
      borderWidth: looked.map((e) => (e.followed ? 2.5 : 1) * s),
      pointRadius: looked.map((e) => radius * (e.followed ? 1.8 : 1)),
    };
  });
  // every column has points on the plateaus: the levels are named beside the plot, not on it
  const references = referenceLevels(data);
  const finals = data.models.map(lossOf);
  const [low, high] = extent(
    [...finals, ...references.map((l) => l.value)].filter((v) => v > 0),
    [1e-3, 1],
  );
  const names = groups.map((g, gi) => seriesName(o, data, g.name, gi));
  const drawnNames: NamesDrawn = new WeakMap(); // these names' lines, by chart: a chart drawn again with other groups works them out anew
  const series = groups.map((g, groupIndex) => ({ group: g.name, groupIndex }));
  const indexOf = new Map(series.map((g) => [g.group, g.groupIndex]));
  const x = linearScale(
    {
      min: -0.5,
      max: groups.length - 0.5,
      afterBuildTicks: ((axis: { ticks: { value: number }[] }) => {
        axis.ticks = groups.map((_, value) => ({ value })); // one tick per group, named
      }) as never,
      ticks: {
        callback(this: { chart: Chart }, v: number | string) {
          const named = namesUnder(this.chart, names, s, drawnNames);
          return named ? named[Number(v)] : keyed(this.chart, groups.length, s)[Number(v)];
        },
        maxRotation: 0, // a slanted name of several lines runs into its neighbours'
        autoSkip: false,
      },
    },
    s,
  );
  const y = logScale(low * 0.7, high * 1.4, s);
  const named = {
    ...y,
    position: 'right' as const,
    afterBuildTicks: ((axis: { ticks: { value: number }[] }) => {
      axis.ticks = references.map(({ value }) => ({ value }));
    }) as never,
    // the name over the value ("best line" / "0.0658"), narrow enough for a small chart's margin; above or
    // below its level as on the loss chart (Chart.js centres a label's lines on its tick: empty ones shift it)
    ticks: {
      callback: (v: number | string) => {
        const l = references.find(({ value }) => value === Number(v));
        if (!l) return '';
        return LABELLED_BELOW.has(l.id) ? ['', '', l.name, l.figure] : [l.name, l.figure, '', ''];
      },
      autoSkip: false,
    },
  };
  return {
    type: 'scatter',
    data: { datasets: datasets as ChartDataset<'scatter'>[] },
    options: chartJsOptions('finals', o, x, y, {
      // the x axis names the groups, or letters them for this key
      legend: legendOf(o, data, series).map((e) =>
        e.group === undefined
          ? e
          : { ...e, text: `${keyOf(indexOf.get(e.group)!)}: ${e.text}`, pointStyle: 'circle' as const, lineDash: [], lineWidth: 0 },
      ),
      legendWhen: (chart) => namesUnder(chart, names, s, drawnNames) === null,
      annotations: referenceLines(data, c, s, 'beforeDatasetsDraw', false), // the points sit on their levels
      scales: references.length ? { levels: named } : {},
      tooltip: (item) => `${item.dataset.label} · ${o.finalsLoss === 'best' ? 'best' : 'final'} loss ${level(at(item).y)}`,
    }) as never,
  };
}

/** The most lines a column's name takes under the plot. */
const NAME_LINES = 4;
/** The width at scale 1 the y axis and the named levels beside the plot take from it. */
const BESIDE_PLOT = 170;

/** A chart's names under its columns, for its size: worked out once a size (Chart.js asks for each tick). */
type NamesDrawn = WeakMap<Chart, { width: number; height: number; lines: string[][] | null }>;

/**
 * The columns' names as lines under the plot (each name's parts, " · ", wrapped at spaces to a column's
 * width), or null where one would not fit in NAME_LINES lines or has a word wider than its column.
 */
function namesUnder(chart: Chart, names: string[], s: number, drawnNames: NamesDrawn): string[][] | null {
  const known = drawnNames.get(chart);
  if (known && known.width === chart.width && known.height === chart.height) return known.lines;
  const column = (chart.width - BESIDE_PLOT * s) / names.length - 6 * s; // a gap between neighbours
  const ctx = chart.ctx;
  ctx.save();
  ctx.font = `${Math.round(12 * s)}px ${FONT_FAMILY}`; // the ticks' (chartjs-options.ts)
  const wrapped = names.map((name) => wrap(name, column, (t) => ctx.measureText(t).width));
  ctx.restore();
  const lines = wrapped.every((w) => w !== null && w.length <= NAME_LINES) ? (wrapped as string[][]) : null;
  drawnNames.set(chart, { width: chart.width, height: chart.height, lines });
  return lines;
}

/** A name's parts (" · ") each wrapped at spaces to `width`; null where a word is wider. */
function wrap(name: string, width: number, measure: (t: string) => number): string[] | null {
  const lines: string[] = [];
  for (const part of name.split(' · ')) {
    let line = '';
    for (const word of part.split(' ')) {
      if (measure(word) > width) return null;
      const joined = line ? `${line} ${word}` : word;
      if (measure(joined) <= width) line = joined;
      else [lines[lines.length], line] = [line, word];
    }
    lines.push(line);
  }
  return lines;
}

/** The letters under the columns: every one where they fit, else every second, third…: A, B, … Z, AA, AB… */
function keyed(chart: Chart, count: number, s: number): string[] {
  const keys = Array.from({ length: count }, (_, k) => keyOf(k));
  const column = (chart.width * (2 / 3) - BESIDE_PLOT * s) / count; // a legend beside the plot takes up to a third
  const ctx = chart.ctx;
  ctx.save();
  ctx.font = `${Math.round(12 * s)}px ${FONT_FAMILY}`;
  const widest = ctx.measureText(keys[count - 1]).width + 6 * s; // the last is the longest, with a gap
  ctx.restore();
  const every = Math.ceil(widest / Math.max(1, column));
  return keys.map((key, k) => (k % every === 0 ? key : ''));
}

/** A column's letter: A, B, … Z, AA, AB… */
function keyOf(k: number): string {
  return (k >= 26 ? keyOf(Math.floor(k / 26) - 1) : '') + String.fromCharCode(65 + (k % 26));
}
