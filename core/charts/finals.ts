// The finals chart: each model's final validation loss (or the lowest it saw), one column per group on a
// log scale, with the loss limit and the plateaus named beside the plot.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { extent, linearScale, logScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData, ChartModel } from './data.ts';
import { level } from './figures.ts';
import { emphasisOf } from './highlight.ts';
import { LABELLED_BELOW, referenceLevels, referenceLines } from './references.ts';
import type { ChartOptions } from './request.ts';
import { seriesName } from './series.ts';
import { colorsOf, groupColor, looksOf } from './theme.ts';

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
    return {
      type: 'scatter' as const,
      label: g.name,
      group: g.name,
      data: points,
      backgroundColor: points.map((p) => groupColor(looks[gi].family, o.theme, 0.75 * emphasisOf(o, p.model).alpha)),
      borderColor: points.map((p) => (emphasisOf(o, p.model).followed ? c.text : c.outline)),
      borderWidth: points.map((p) => (emphasisOf(o, p.model).followed ? 2.5 : 1) * s),
      pointRadius: points.map((p) => radius * (emphasisOf(o, p.model).followed ? 1.8 : 1)),
    };
  });
  // every column has points on the plateaus: the levels are named beside the plot, not on it
  const references = referenceLevels(data);
  const finals = data.models.map(lossOf);
  const [low, high] = extent(
    [...finals, ...references.map((l) => l.value)].filter((v) => v > 0),
    [1e-3, 1],
  );
  // every group named, its name's parts on lines of their own ("1→16→1" over "CyclicLR"), so a sweep's columns all fit
  const names = groups.map((g, gi) => seriesName(o, data, g.name, gi).split(' · '));
  const x = linearScale(
    {
      min: -0.5,
      max: groups.length - 0.5,
      afterBuildTicks: ((axis: { ticks: { value: number }[] }) => {
        axis.ticks = groups.map((_, value) => ({ value })); // one tick per group, named
      }) as never,
      ticks: { callback: (v: number | string) => names[Number(v)] ?? '', maxRotation: 30, autoSkip: false },
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
      legend: [], // the x axis names the groups
      annotations: referenceLines(data, c, s, 'beforeDatasetsDraw', false), // the points sit on their levels
      scales: references.length ? { levels: named } : {},
      tooltip: (item) => `${item.dataset.label} · ${o.finalsLoss === 'best' ? 'best' : 'final'} loss ${level(at(item).y)}`,
    }) as never,
  };
}
