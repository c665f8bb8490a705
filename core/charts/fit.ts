// The fit chart: the target and the chosen models' fitted functions on [0, 1], each model's kinks and
// bends inside it marked, and a caption naming the models that are straight there (a plateau); by
// default the typical model of each group.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { bendsOf, leakSlope, predict, type Bend } from '../model/network.ts';
import { targetFunction } from '../model/target.ts';
import type { Preset } from '../preset/preset.ts';
import { extent, linearScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData, ChartModel } from './data.ts';
import { level } from './figures.ts';
import type { ChartOptions } from './request.ts';
import { groupsIn, legendOf } from './series.ts';
import { colorsOf, dashOf, looksOf, modelColor } from './theme.ts';

/**
 * The model of each group the fit chart draws when none is picked: once the whole group has finished, the
 * one with the median final loss (the lower of two middles) among those whose weights were kept (a sweep
 * keeps curvesPerCell a cell), so a group that mostly escaped shows an escape, not its first model's luck;
 * while it trains, its first model, so the drawing does not hop.
 */
export function typicalOfEachGroup(models: readonly ChartModel[]): number[] {
  const groups = new Map<number, ChartModel[]>();
  for (const m of models) (groups.get(m.groupIndex) ?? groups.set(m.groupIndex, []).get(m.groupIndex)!).push(m);
  const loss = (m: ChartModel) => (m.lossFinal !== null && Number.isFinite(m.lossFinal) ? m.lossFinal : Infinity); // diverged: last
  return [...groups.values()].flatMap((group) => {
    if (group.some((m) => m.steps === undefined)) return [group[0].id];
    const ranked = group.filter((m) => m.params.length > 0).sort((a, b) => loss(a) - loss(b) || a.index - b.index);
    return ranked.length ? [ranked[(ranked.length - 1) >> 1].id] : [];
  });
}

/** The target and the chosen models' fitted functions on [0, 1], with the kinks and bends inside it marked. */
export function fitChart(data: ChartData, o: ChartOptions): ChartConfiguration<'line' | 'scatter'> {
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
    options: chartJsOptions(
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
