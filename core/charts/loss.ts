// The loss chart: validation (and optionally training) loss against step + 1, log–log (or against the step
// on a linear step axis), each model's curve
// or per group the median and its band (the bands chart always draws bands; a crowded one, the medians,
// with bands for the groups picked), with the loss limit and the plateaus as lines; the training loss,
// where drawn, smoothed as TensorBoard smooths a scalar where asked.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { extent, logScale, stepAxis } from './axes.ts';
import { bandOf } from './bands.ts';
import { at, chartJsOptions, type Dataset, type Item } from './chartjs-options.ts';
import { finished, type ChartData } from './data.ts';
import { level, points } from './figures.ts';
import { levelsOf, referenceLines } from './references.ts';
import type { ChartOptions } from './request.ts';
import { emphasisOf } from './highlight.ts';
import { crowded, groupsIn, legendOf } from './series.ts';
import { colorsOf, dashOf, groupColor, looksOf, modelColor } from './theme.ts';

/** Groups with more models than this draw as a band in the loss chart's automatic view. */
export const BAND_THRESHOLD = 10;

/** A curve's points against step + offset (the step axis's x), positive and finite only. */
function againstStep(steps: number[], values: number[], offset: number): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let k = 0; k < steps.length; k++) if (values[k] > 0 && Number.isFinite(values[k])) out.push({ x: steps[k] + offset, y: values[k] });
  return out;
}

/**
 * TensorBoard's smoothing of a curve over the points drawn (its line chart's resmoothDataset): an exponential
 * moving average with this weight, started at 0 and divided by 1 − weight^n after n points so it starts at
 * the first point instead of near 0; a point that is not finite stays as it is and does not count.
 */
export function smoothed(ys: number[], weight: number): number[] {
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * weight + (1 - weight) * y;
    n++;
    return last / (1 - weight ** n);
  });
}

/** Validation (and optionally training) loss against step + 1, log–log: each model, or per group a band. */
export function lossChart(
  data: ChartData,
  o: ChartOptions,
  view: ChartOptions['lossView'] = o.lossView ?? 'auto',
): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const datasets: Dataset[] = [];
  const groups = groupsIn(data.models);
  const series: ('lossVal' | 'lossTrain')[] = o.showTrain ? ['lossTrain', 'lossVal'] : ['lossVal'];
  const values: number[] = [];
  const spread = o.bandRange === 'extremes' ? 'min–max' : '10–90 %';
  const looks = looksOf(data);
  const xMax = Math.max(data.preset.stop.maxSteps, ...data.models.map((m) => (m.curves.step.at(-1) ?? 0) + 1));
  const x = stepAxis(o.linearSteps, xMax, s);
  const pointsAt = (steps: number[], ys: number[]) => steps.map((step, k) => ({ x: step + x.offset, y: ys[k] }));
  let anyBanded = false;
  for (const g of groups) {
    const look = looks[g.groupIndex];
    const mine = data.models.filter((m) => m.groupIndex === g.groupIndex);
    const banded = view === 'band' || (view === 'auto' && mine.length > BAND_THRESHOLD);
    // a crowded chart's bands would hide one another: each group its median, its band and curves where picked
    const medianOnly = banded && crowded(groups.length) && !o.selectedGroups?.includes(g.group);
    anyBanded ||= banded;
    const started = mine.some((m) => m.curves.step.length > 0);
    // a sweep keeps the curves of some models per cell only: the band says how many it stands on
    const kept = mine.filter((m) => m.curves.step.length > 0).length;
    const dropped = mine.some((m) => finished(m) && m.curves.step.length === 0);
    const of = dropped ? ` of ${kept} of ${mine.length} models drawn` : '';
    g.note = !started ? 'waiting' : medianOnly ? `median${of}` : banded ? `median${of}, ${spread} band` : undefined;
    for (const key of series) {
      const faint = key === 'lossTrain';
      const suffix = faint ? ' (training)' : '';
      // the training loss is noisy (each step's batch): smoothed where asked, each curve and band line as drawn
      const drawn = (ys: number[]) => (faint && o.trainSmoothing ? smoothed(ys, o.trainSmoothing) : ys);
      mine.forEach((m) => {
        // a followed model stands out of its band as a curve of its own, even where only medians are drawn
        const e = emphasisOf(o, m.id);
        if (medianOnly && !e.followed) return;
        const raw = againstStep(m.curves.step, m.curves[key], x.offset);
        const ys = drawn(raw.map((p) => p.y));
        const line = raw.map((p, k) => ({ x: p.x, y: ys[k] }));
        for (const p of line) values.push(p.y);
        const inBand = banded && !e.followed;
        const alpha = (inBand ? 0.14 : faint ? 0.3 : 0.9) * e.alpha;
        datasets.push({
          label: `${m.group} #${m.index}${suffix}`,
          group: m.group,
          model: m.id,
          data: line,
          borderColor: modelColor(look.family, m.index, mine.length, o.theme, alpha),
          borderDash: inBand ? [] : dashOf(look, s), // in a band the median carries the dash
          borderWidth: (inBand ? 0.75 : 1.25) * e.width * s,
          pointRadius: 0,
          order: e.order,
        });
      });
      if (!banded) continue;
      const band = bandOf(mine, key, o.bandRange ?? 'quantiles');
      const color = groupColor(look.family, o.theme);
      const edge = (v: number[], label: string): Dataset => ({
        label: `${g.group} ${label}${suffix}`,
        group: g.group,
        data: pointsAt(band.step, drawn(v)),
        borderColor: groupColor(look.family, o.theme, faint ? 0.25 : 0.5),
        borderWidth: 0.75 * s,
        pointRadius: 0,
      });
      if (!medianOnly)
        datasets.push(edge(band.high, `${spread} high`), {
          ...edge(band.low, `${spread} low`),
          fill: '-1',
          backgroundColor: groupColor(look.family, o.theme, faint ? 0.06 : 0.16),
        });
      datasets.push({
        label: `${g.group} median of ${mine.length}${suffix}`,
        group: g.group,
        data: pointsAt(band.step, drawn(band.median)),
        borderColor: faint ? groupColor(look.family, o.theme, 0.45) : color,
        borderDash: dashOf(look, s),
        borderWidth: 2.5 * s,
        pointRadius: 0,
      });
    }
  }
  // a note every group shares is said once, under the chart: the legend keeps to the groups' names
  const shared = groups.length > 1 && groups.every((g) => g.note === groups[0].note && g.note !== 'waiting') ? groups[0].note : undefined;
  if (shared) for (const g of groups) g.note = undefined;
  const levels = levelsOf(data);
  const [low, high] = extent(
    [...values, ...levels].filter((v) => v > 0),
    [1e-3, 1],
  );
  const [yMin, yMax] = [low * 0.7, high * 1.4];
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line'>[] },
    options: chartJsOptions(view === 'band' ? 'bands' : 'loss', o, x.scale, logScale(yMin, yMax, s), {
      legend: legendOf(o, data, groups),
      // a median on a plateau stays a solid line over that plateau's dashes; single curves stay under them
      annotations: referenceLines(data, c, s, anyBanded ? 'beforeDatasetsDraw' : 'afterDatasetsDraw'),
      cursor: x.offset,
      tooltip: (item: Item) => `${item.dataset.label} · step ${points(at(item).x - x.offset)} · loss ${level(at(item).y)}`,
      caption: shared ? [`each group: ${shared}`] : undefined,
    }) as never,
  };
}

/** The loss chart as bands, whatever the group sizes. */
export function bandsChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  return lossChart(data, o, 'band');
}
