// What each run chart shows, as Chart.js configurations built from plain run data: the losses (each
// model, or per group a band), the fitted functions, the learning rates and the final losses; and the
// table of every chart kind.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { bendsOf, leakSlope, predict, type Bend } from '../model/network.ts';
import type { Preset } from '../preset/preset.ts';
import { targetFunction } from '../model/target.ts';
import { bandOf } from './bands.ts';
import {
  at,
  BAND_THRESHOLD,
  baseOptions,
  extent,
  finished,
  typicalOfEachGroup,
  groupsIn,
  legendOf,
  levelsOf,
  LABELLED_BELOW,
  referenceLevels,
  level,
  linearScale,
  logScale,
  points,
  referenceLines,
  seriesName,
  type ChartData,
  type ChartModel,
  type ChartOptions,
  type Dataset,
  type Item,
} from './base.ts';
import type { ChartKind } from './kinds.ts';
import { heatmapChart } from './heatmap.ts';
import { scheduleLine } from './lr.ts';
import { reachChart } from './reach.ts';
import { colorsOf, dashOf, groupColor, looksOf, modelColor } from './theme.ts';

/** A curve's points against step + 1 (log x), positive and finite only. */
function againstStep(steps: number[], values: number[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let k = 0; k < steps.length; k++) if (values[k] > 0 && Number.isFinite(values[k])) out.push({ x: steps[k] + 1, y: values[k] });
  return out;
}

const lossTooltip = (item: Item) => `${item.dataset.label} · step ${points(at(item).x - 1)} · loss ${level(at(item).y)}`;

/** Validation (and optionally training) loss against step + 1, log–log: each model, or per group a band. */
function lossChart(data: ChartData, o: ChartOptions, view: ChartOptions['lossView'] = o.lossView ?? 'auto'): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const datasets: Dataset[] = [];
  const groups = groupsIn(data.models);
  const series: ('lossVal' | 'lossTrain')[] = o.showTrain ? ['lossTrain', 'lossVal'] : ['lossVal'];
  const values: number[] = [];
  const spread = o.bandRange === 'extremes' ? 'min–max' : '10–90 %';
  const looks = looksOf(data);
  let anyBanded = false;
  for (const g of groups) {
    const look = looks[g.groupIndex];
    const mine = data.models.filter((m) => m.groupIndex === g.groupIndex);
    const banded = view === 'band' || (view === 'auto' && mine.length > BAND_THRESHOLD);
    anyBanded ||= banded;
    const started = mine.some((m) => m.curves.step.length > 0);
    // a sweep keeps the curves of some models per cell only: the band says how many it stands on
    const kept = mine.filter((m) => m.curves.step.length > 0).length;
    const dropped = mine.some((m) => finished(m) && m.curves.step.length === 0);
    const of = dropped ? ` of ${kept} of ${mine.length} models drawn` : '';
    g.note = !started ? 'waiting' : banded ? `median${of}, ${spread} band` : undefined;
    for (const key of series) {
      const faint = key === 'lossTrain';
      const suffix = faint ? ' (training)' : '';
      mine.forEach((m) => {
        const line = againstStep(m.curves.step, m.curves[key]);
        for (const p of line) values.push(p.y);
        const alpha = banded ? 0.14 : faint ? 0.3 : 0.9;
        datasets.push({
          label: `${m.group} #${m.index}${suffix}`,
          group: m.group,
          data: line,
          borderColor: modelColor(look.family, m.index, mine.length, o.theme, alpha),
          borderDash: banded ? [] : dashOf(look, s), // in a band the median carries the dash
          borderWidth: (banded ? 0.75 : 1.25) * s,
          pointRadius: 0,
        });
      });
      if (!banded) continue;
      const band = bandOf(mine, key, o.bandRange ?? 'quantiles');
      const color = groupColor(look.family, o.theme);
      const edge = (v: number[], label: string): Dataset => ({
        label: `${g.group} ${label}${suffix}`,
        group: g.group,
        data: band.step.map((step, k) => ({ x: step + 1, y: v[k] })),
        borderColor: groupColor(look.family, o.theme, faint ? 0.25 : 0.5),
        borderWidth: 0.75 * s,
        pointRadius: 0,
      });
      datasets.push(edge(band.high, `${spread} high`), {
        ...edge(band.low, `${spread} low`),
        fill: '-1',
        backgroundColor: groupColor(look.family, o.theme, faint ? 0.06 : 0.16),
      });
      datasets.push({
        label: `${g.group} median of ${mine.length}${suffix}`,
        group: g.group,
        data: band.step.map((step, k) => ({ x: step + 1, y: band.median[k] })),
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
  const xMax = Math.max(2, data.preset.stop.maxSteps, ...data.models.map((m) => (m.curves.step.at(-1) ?? 0) + 1));
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line'>[] },
    options: baseOptions(view === 'band' ? 'bands' : 'loss', o, logScale(1, xMax, s), logScale(yMin, yMax, s), {
      legend: legendOf(o, data, groups),
      // a median on a plateau stays a solid line over that plateau's dashes; single curves stay under them
      annotations: referenceLines(data, c, s, anyBanded ? 'beforeDatasetsDraw' : 'afterDatasetsDraw'),
      tooltip: lossTooltip,
      caption: shared ? [`each group: ${shared}`] : undefined,
    }) as never,
  };
}

/** The loss chart as bands, whatever the group sizes. */
function bandsChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  return lossChart(data, o, 'band');
}

/** The target and the chosen models' fitted functions on [0, 1], with the kinks and bends inside it marked. */
function fitChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line' | 'scatter'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const xs = Array.from({ length: 401 }, (_, i) => i / 400);
  const target = targetFunction(data.preset.target);
  const targetYs = xs.map(target);
  const datasets: Dataset[] = [
    {
      type: 'line',
      label: 'target',
      data: xs.map((x, i) => ({ x, y: targetYs[i] })),
      borderColor: c.reference,
      borderWidth: 2 * s,
      pointRadius: 0,
    },
  ];
  const wanted = o.fitModels ?? typicalOfEachGroup(data.models);
  // a model that has not started has no weights yet: nothing to draw or say
  const chosen = data.models.filter((m) => wanted.includes(m.id) && m.params.length > 0);
  const looks = looksOf(data);
  const sizes = new Map<number, number>();
  for (const m of data.models) sizes.set(m.groupIndex, (sizes.get(m.groupIndex) ?? 0) + 1);
  const [targetLow, targetHigh] = extent(targetYs);
  const range = targetHigh - targetLow || 1;
  const straight: Record<Straight, string[]> = { line: [], constant: [], zero: [] };
  let marked = false;
  for (const m of chosen) {
    const group = data.preset.groups[m.groupIndex];
    const color = modelColor(looks[m.groupIndex].family, m.index, sizes.get(m.groupIndex) ?? 1, o.theme);
    const ys = predict(group, m.params, xs);
    const name = `${m.group} #${m.index}`;
    datasets.push({
      type: 'line',
      label: name,
      group: m.group,
      data: xs.map((x, i) => ({ x, y: ys[i] })),
      borderColor: color,
      borderDash: dashOf(looks[m.groupIndex], s),
      borderWidth: 2 * s,
      pointRadius: 0,
    });
    const bends = bendsOf(group, m.params);
    const kind = straightKind(group, ys, bends, range);
    if (kind) straight[kind].push(name);
    // a bend too slight to see on this chart is not marked
    const visible = bends.filter((b) => Math.abs(b.slopeChange) >= 0.05 * range);
    if (visible.length) marked = true;
    datasets.push({
      type: 'scatter',
      label: `${name} kink`,
      group: m.group,
      data: visible.map((b) => ({ x: b.x, y: b.y })),
      borderColor: c.background === 'transparent' || o.theme === 'light' ? '#ffffff' : c.background,
      backgroundColor: color,
      borderWidth: 1.5 * s,
      pointStyle: 'triangle',
      pointRadius: 6 * s,
      clip: 10 * s, // a kink at x = 0 or 1 shows whole
    });
  }
  const [yLow, yHigh] = extent(datasets.flatMap((d) => (d.data as { y: number }[]).map((p) => p.y)));
  const pad = 0.08 * (yHigh - yLow || 1);
  const caption = captionOf(straight);
  const kinkEntry = { text: 'kink', fillStyle: c.muted, strokeStyle: c.muted, pointStyle: 'triangle' as const, lineWidth: s };
  const targetEntry = { text: 'target', fillStyle: c.reference, strokeStyle: c.reference, lineWidth: 3 * s, pointStyle: 'line' as const };
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line' | 'scatter'>[] },
    options: baseOptions(
      'fit',
      o,
      linearScale({ min: 0, max: 1 }, s),
      linearScale({ min: yLow - pad, max: yHigh + pad, ticks: { includeBounds: false } }, s),
      {
        legend: [targetEntry, ...legendOf(o, data, groupsIn(chosen)), ...(marked ? [kinkEntry] : [])],
        caption,
        tooltip: (item) => `${item.dataset.label} · x ${level(at(item).x)} · y ${level(at(item).y)}`,
      },
    ) as never,
  };
}

/** What a model with no kink or bend inside [0, 1] is there: a sloped line, a constant, or zero. */
type Straight = 'line' | 'constant' | 'zero';

function straightKind(group: Preset['groups'][number], ys: number[], bends: Bend[], range: number): Straight | null {
  if (leakSlope(group.activation) === null) return null; // a smooth network is never exactly straight
  if (extent(ys.map(Math.abs))[1] <= 0.01 * range) return 'zero'; // whatever bends the dead output hides
  if (bends.length) return null;
  return Math.abs(ys[ys.length - 1] - ys[0]) > 0.01 * range ? 'line' : 'constant';
}

/** The fit chart's note on its straight models, one line per kind, naming a few of each. */
function captionOf(straight: Record<Straight, string[]>): string[] | undefined {
  const says: Record<Straight, string> = {
    line: 'all kinks outside [0, 1], a straight line there: the best-line plateau',
    constant: 'all kinks outside [0, 1], a constant there: the best-constant plateau',
    zero: 'f ≡ 0 on [0, 1]: the zero-output plateau',
  };
  const lines = (Object.keys(says) as Straight[])
    .filter((k) => straight[k].length)
    .map((k) => {
      const names = straight[k];
      return `${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')}: ${says[k]}`;
    });
  return lines.length ? lines : undefined;
}

/** `v` rounded up to a multiple of half its decade (0.56 → 0.6, 0.112 → 0.15), so the top tick is a round number. */
function roundedUp(v: number): number {
  const unit = 10 ** Math.floor(Math.log10(v)) / 2;
  return Number((Math.ceil(v / unit - 1e-9) * unit).toPrecision(12));
}

/** The learning rate each group trains with, against step: PyTorch's schedule, computed from its formula. */
function lrChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line'> {
  const s = o.scale ?? 1;
  const steps = data.preset.stop.maxSteps;
  const looks = looksOf(data);
  const groups = data.preset.groups.map((g, groupIndex) => ({ group: g.name, groupIndex }));
  const datasets: Dataset[] = groups.map(({ group, groupIndex }) => ({
    label: group,
    group,
    data: scheduleLine(data.preset.groups[groupIndex], steps),
    borderColor: groupColor(looks[groupIndex].family, o.theme),
    borderDash: dashOf(looks[groupIndex], s),
    borderWidth: 1.5 * s,
    pointRadius: 0,
    clip: 3 * s, // a schedule's troughs at lr 0 draw whole on the axis
  }));
  const [bottom, top] = extent(
    datasets.flatMap((d) => (d.data as { y: number }[]).map((p) => p.y)).filter((v) => v > 0),
    [1e-3, 1],
  );
  const y = o.lrLog ? logScale(bottom * 0.8, top * 1.4, s) : linearScale({ min: 0, max: roundedUp(top * 1.12) }, s);
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line'>[] },
    options: baseOptions('lr', o, logScale(1, Math.max(2, steps), s), y, {
      legend: legendOf(o, data, groups),
      tooltip: (item) => `${item.dataset.label} · step ${points(at(item).x - 1)} · lr ${level(at(item).y)}`,
    }) as never,
  };
}

/**
 * Each model's final validation loss (or the lowest it saw), one column per group (log scale), with the
 * limit and plateaus.
 */
function finalsChart(data: ChartData, o: ChartOptions): ChartConfiguration<'scatter'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const groups = data.preset.groups;
  const looks = looksOf(data);
  const lossOf = (m: ChartModel) => (o.finalsLoss === 'best' ? m.lossBest : m.lossFinal) ?? NaN;
  const datasets: Dataset[] = groups.map((g, gi) => {
    const mine = data.models.filter((m) => m.groupIndex === gi && lossOf(m) > 0);
    return {
      type: 'scatter' as const,
      label: g.name,
      group: g.name,
      data: mine.map((m, k) => ({ x: gi + (mine.length > 1 ? (k / (mine.length - 1) - 0.5) * 0.3 : 0), y: lossOf(m) })),
      backgroundColor: groupColor(looks[gi].family, o.theme, 0.75),
      borderColor: c.background === 'transparent' ? '#ffffff' : c.background,
      pointRadius: (mine.length > 50 ? 3.5 : 5) * s, // a sweep cell's hundred points still show apart
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
    options: baseOptions('finals', o, x, y, {
      legend: [], // the x axis names the groups
      annotations: referenceLines(data, c, s, 'beforeDatasetsDraw', false), // the points sit on their levels
      scales: references.length ? { levels: named } : {},
      tooltip: (item) => `${item.dataset.label} · ${o.finalsLoss === 'best' ? 'best' : 'final'} loss ${level(at(item).y)}`,
    }) as never,
  };
}

export const CHARTS = {
  loss: lossChart,
  bands: bandsChart,
  fit: fitChart,
  lr: lrChart,
  finals: finalsChart,
  reach: reachChart,
  heatmap: heatmapChart,
} as const satisfies Record<ChartKind, (data: ChartData, o: ChartOptions) => ChartConfiguration<'line' | 'scatter' | 'matrix'>>;
