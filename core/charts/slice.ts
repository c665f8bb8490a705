// The 1-D slice of the loss landscape (Goodfellow et al., ICLR 2015): a model's validation loss on the
// straight line (1 − t)·initial + t·final parameters, log y against t, the initial (t = 0) and final
// (t = 1) parameters marked, the loss limit and plateaus as the loss chart draws them.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { extent, linearScale, logScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData } from './data.ts';
import { level } from './figures.ts';
import { levelsOf, referenceLines } from './references.ts';
import type { ChartOptions } from './request.ts';
import { colorsOf, groupColor } from './theme.ts';
import type { ChartText } from './titles.ts';

export function sliceText(model: string | undefined): ChartText {
  return {
    title: `Loss on the line from the initial to the final parameters${model ? ` of ${model}` : ''}`,
    xLabel: 't: parameters (1 − t)·initial + t·final',
    yLabel: 'validation MSE loss',
  };
}

export function sliceChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const plane = data.landscape;
  const text = sliceText(plane?.model);
  const line = plane ? plane.slice.t.map((t, k) => ({ x: t, y: plane.slice.loss[k] })).filter((p) => p.y > 0) : [];
  const ends = [0, 1].flatMap((t) => line.filter((p) => p.x === t));
  const color = groupColor(0, o.theme);
  const datasets: Dataset[] = [
    { label: 'validation loss', data: line, borderColor: color, borderWidth: 2.5 * s, pointRadius: 0 },
    {
      type: 'scatter',
      label: 'initial (t = 0) and final (t = 1) parameters',
      data: ends,
      pointStyle: 'circle',
      pointRadius: 6 * s,
      backgroundColor: color,
      borderColor: c.outline,
      borderWidth: 2 * s,
    },
  ];
  const [low, high] = extent(
    [...line.map((p) => p.y), ...levelsOf(data)].filter((v) => v > 0),
    [1e-3, 1],
  );
  const [xMin, xMax] = plane ? [plane.slice.t[0], plane.slice.t[plane.slice.t.length - 1]] : [-0.5, 1.5];
  // the ends marked by a guide each, named in the legend: labels on them would meet the plateaus' own
  const guide = (x: number) => ({
    type: 'line',
    xMin: x,
    xMax: x,
    borderColor: c.referenceLine,
    borderWidth: 1.5 * s,
    borderDash: [4 * s, 4 * s],
    drawTime: 'beforeDatasetsDraw',
  });
  const entry = (text: string, pointStyle: 'line' | 'circle') => ({
    text,
    strokeStyle: color,
    fillStyle: color,
    lineWidth: 2.5 * s,
    pointStyle,
  });
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line'>[] },
    options: chartJsOptions(
      'slice',
      o,
      linearScale({ min: xMin, max: xMax, ticks: { stepSize: 0.25 } }, s),
      logScale(low * 0.7, high * 1.4, s),
      {
        legend: plane ? [entry('validation loss', 'line'), entry('initial (t = 0) and final (t = 1) parameters', 'circle')] : [],
        text,
        annotations: { ...referenceLines(data, c, s), initial: guide(0), final: guide(1) },
        caption: plane
          ? undefined
          : ['no landscape computed for this run: lab landscape RESULT --model GROUP#INDEX --slice-out FILE.png draws one'],
        tooltip: (item) => `t ${level(at(item).x)} · loss ${level(at(item).y)}`,
      },
    ) as never,
  };
}
