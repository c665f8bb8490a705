// The fit chart: the target and the chosen models' fitted functions on [0, 1], each model's kinks and
// bends inside it marked, and a caption naming the models that are straight there (a plateau); by
// default the typical model of each group. With `units` (by default when it draws one model), each
// model's hidden units under it: w2ⱼ·act(w1ⱼx + b1ⱼ) as thin lines, fainter as |w2ⱼ| is smaller, their
// kinks marked, the units dead on [0, 1] grey and dotted, their sum plus b2 (the output's pre-activation)
// dashed, and how many are live on [0, 1] in the caption.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { bendsOf, hiddenUnits, leakSlope, predict, type Bend, type HiddenUnit } from '../model/network.ts';
import { targetFunction } from '../model/target.ts';
import type { Preset } from '../preset/preset.ts';
import { extent, linearScale } from './axes.ts';
import { at, chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData, ChartModel } from './data.ts';
import { level } from './figures.ts';
import type { ChartOptions } from './request.ts';
import { emphasisOf } from './highlight.ts';
import { groupsIn, legendOf, modelLabel } from './series.ts';
import { isDarkTheme } from './kinds.ts';
import { colorsOf, dashOf, fadedBy, looksOf, modelColor } from './theme.ts';

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

/** Whether the fit chart draws its models' hidden units when the options do not say: when it draws one model. */
export const unitsByDefault = (modelsDrawn: number) => modelsDrawn === 1;

/**
 * How far the units and their sum may stretch the y range beyond the fit's own, in fit ranges each way: enough
 * to show a dead output's sum below 0, while the fit keeps a third of the height at least; beyond, they run off.
 */
const UNIT_ROOM = 1;

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
      order: 2, // under the models and their units: a model that fits it shows, where it fits
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
  const drawn: DrawnUnits[] = [];
  const unitless: string[] = [];
  let marked = false;
  for (const m of chosen) {
    const group = data.preset.groups[m.groupIndex];
    const e = emphasisOf(o, m.id);
    const tint = (alpha: number) => modelColor(looks[m.groupIndex].family, m.index, sizes.get(m.groupIndex) ?? 1, o.theme, alpha * e.alpha);
    const color = tint(1);
    const ys = predict(group, m.params, xs);
    const name = `${m.group} #${m.index}`;
    const named = modelLabel(o, data, m); // the caption's words: the legend's name for the group
    datasets.push({
      type: 'line',
      label: name,
      group: m.group,
      model: m.id,
      data: xs.map((x, i) => ({ x, y: ys[i] })),
      borderColor: color,
      borderDash: dashOf(looks[m.groupIndex], s),
      borderWidth: 2 * e.width * s,
      pointRadius: 0,
      order: e.order,
    });
    const bends = bendsOf(group, m.params);
    const kind = straightKind(group, ys, bends, range);
    if (kind) straight[kind].push(named);
    // a bend too slight to see on this chart is not marked
    const visible = bends.filter((b) => Math.abs(b.slopeChange) >= 0.05 * range);
    if (visible.length) marked = true;
    datasets.push({
      type: 'scatter',
      label: `${name} kink`,
      group: m.group,
      model: m.id,
      data: visible.map((b) => ({ x: b.x, y: b.y })),
      borderColor: c.outline,
      backgroundColor: color,
      borderWidth: 1.5 * s,
      pointStyle: 'triangle',
      pointRadius: 6 * s,
      clip: 10 * s, // a kink at x = 0 or 1 shows whole
      order: e.order,
    });
    if (!(o.units ?? unitsByDefault(chosen.length))) continue;
    const net = hiddenUnits(group, m.params, xs);
    const sum = net && xs.map((_, i) => net.units.reduce((z, u) => z + u.ys[i], net.b2));
    if (net) drawn.push({ name, named, group: m.group, tint, units: net.units, preActivation: group.outputActivation ? sum : null });
    else unitless.push(named);
  }
  // the y range is the fit's; units stretch it by at most UNIT_ROOM fit ranges each way, so a unit with a
  // large weight out cannot flatten the fit, and run off the plot beyond that
  const [fitLow, fitHigh] = extent(datasets.flatMap((d) => (d.data as { y: number }[]).map((p) => p.y)));
  const fitSpan = fitHigh - fitLow || 1;
  const [unitLow, unitHigh] = extent(
    drawn.flatMap((d) => [...d.units.flatMap((u) => u.ys), ...(d.preActivation ?? [])]),
    [fitLow, fitHigh],
  );
  const low = Math.min(fitLow, Math.max(unitLow, fitLow - UNIT_ROOM * fitSpan));
  const high = Math.max(fitHigh, Math.min(unitHigh, fitHigh + UNIT_ROOM * fitSpan));
  const pad = 0.08 * (high - low || 1);
  const view = { min: low - pad, max: high + pad };
  const units = unitSets(drawn, xs, view, o);
  datasets.push(...units.datasets);
  const kinkEntry = { text: 'kink', fillStyle: c.muted, strokeStyle: c.muted, pointStyle: 'triangle' as const, lineWidth: s };
  const targetEntry = { text: 'target', fillStyle: c.reference, strokeStyle: c.reference, lineWidth: 3 * s, pointStyle: 'line' as const };
  // in its model's colour; of several models', in the text's
  const unitColor = drawn.length === 1 ? drawn[0].tint(1) : c.text;
  const unitEntries = drawn.length
    ? [
        ...(units.live ? [{ text: 'hidden unit', ...solid(unitColor), lineWidth: s, pointStyle: 'line' as const }] : []),
        ...(units.dead ? [{ text: 'dead on [0, 1]', ...deadLook(o.theme, s), pointStyle: 'line' as const }] : []),
        // the range is the fit's, stretched by at most UNIT_ROOM: what runs beyond is marked where it leaves
        ...(units.cut
          ? [{ text: 'beyond the plot', ...solid(c.muted), pointStyle: 'triangle' as const, rotation: 180, lineWidth: s }]
          : []),
        ...(drawn.some((d) => d.preActivation)
          ? [
              {
                text: 'Σ units + b2',
                ...solid(unitColor),
                lineWidth: 1.5 * s,
                lineDash: OUTPUT_DASH.map((d) => d * s),
                pointStyle: 'line' as const,
              },
            ]
          : []),
      ]
    : [];
  const caption = [...(captionOf(straight) ?? []), ...unitsCaption(drawn, unitless)];
  return {
    type: 'line',
    data: { datasets: datasets as ChartDataset<'line' | 'scatter'>[] },
    options: chartJsOptions('fit', o, linearScale({ min: 0, max: 1 }, s), linearScale({ ...view, ticks: { includeBounds: false } }, s), {
      legend: [targetEntry, ...legendOf(o, data, groupsIn(chosen)), ...(marked ? [kinkEntry] : []), ...unitEntries],
      caption: caption.length ? caption : undefined,
      tooltip: (item) => `${item.dataset.label} · x ${level(at(item).x)} · y ${level(at(item).y)}`,
    }) as never,
  };
}

/** A drawn model's hidden units, and what drawing them needs. */
interface DrawnUnits {
  /** Its datasets' label ("net_1_CyclicLR #2") and its name in the caption ("1→16→1 · CyclicLR #2"). */
  name: string;
  named: string;
  group: string;
  /** The model's colour at an opacity. */
  tint: (alpha: number) => string;
  units: HiddenUnit[];
  /** Their sum plus b2 at each x, where an output activation bends it into the model (else it is the model). */
  preActivation: number[] | null;
}

/** The output unit's own lines, dashed: its pre-activation under the fit, its bend on the kink paths. */
export const OUTPUT_DASH = [7, 4];

const solid = (color: string) => ({ fillStyle: color, strokeStyle: color });

/** A dead unit's grey, dotted: apart from the models' colours and from the live units' solid lines. */
function deadLook(theme: ChartOptions['theme'], s: number) {
  const grey = isDarkTheme(theme) ? 'rgba(156, 163, 175, 0.8)' : 'rgba(107, 114, 128, 0.8)';
  return { ...solid(grey), lineWidth: s, lineDash: [2 * s, 2.5 * s] };
}

/**
 * The units' thin lines (under the models), each unit's kink on [0, 1] as a dot (a bending unit is 0 at its
 * kink: act(0) = 0), their sum plus b2 dashed where an output activation bends it, and a triangle on the
 * plot's edge where one of these runs off it.
 */
function unitSets(drawn: DrawnUnits[], xs: number[], view: { min: number; max: number }, o: ChartOptions) {
  const s = o.scale ?? 1;
  const datasets: Dataset[] = [];
  let [live, dead, cut] = [false, false, false];
  /** Where a line leaves the plot, a triangle on the edge pointing the way it went; whether it does. */
  const leaving = (ys: number[], label: string, color: string, group: string) => {
    const side = ys.map((y) => (y > view.max ? 1 : y < view.min ? -1 : 0));
    const exits = side.flatMap((e, i) => (e !== 0 && side[i - 1] !== e ? [{ x: xs[i], y: e > 0 ? view.max : view.min, e }] : []));
    if (exits.length)
      datasets.push({
        type: 'scatter',
        label: `${label} beyond the plot`,
        group,
        data: exits.map(({ x, y }) => ({ x, y })),
        backgroundColor: color,
        borderWidth: 0,
        pointStyle: 'triangle',
        pointRadius: 5 * s,
        pointRotation: exits.map(({ e }) => (e < 0 ? 180 : 0)),
        clip: 6 * s,
      });
    return exits.length > 0;
  };
  for (const d of drawn) {
    if (d.preActivation) {
      cut = leaving(d.preActivation, `${d.name} Σ units + b2`, d.tint(0.85), d.group) || cut;
      datasets.push({
        type: 'line',
        label: `${d.name} Σ units + b2`,
        group: d.group,
        data: xs.map((x, i) => ({ x, y: d.preActivation![i] })),
        borderColor: d.tint(0.85),
        borderDash: OUTPUT_DASH.map((v) => v * s),
        borderWidth: 1.5 * s,
        pointRadius: 0,
        order: 0.5, // over the units, under the models
      });
    }
    const largest = Math.max(...d.units.map((u) => Math.abs(u.weightOut)).filter(Number.isFinite), 0);
    d.units.forEach((u, j) => {
      const alpha = fadedBy(u.weightOut, largest);
      const look = u.live
        ? { borderColor: d.tint(alpha), borderDash: [] }
        : { borderColor: deadLook(o.theme, s).strokeStyle, borderDash: deadLook(o.theme, s).lineDash };
      dead ||= !u.live;
      live ||= u.live;
      const label = `${d.name} unit ${j} (w2 ${level(u.weightOut)}${u.live ? '' : ', dead on [0, 1]'})`;
      datasets.push({
        type: 'line',
        label,
        group: d.group,
        data: xs.map((x, i) => ({ x, y: u.ys[i] })),
        ...look,
        borderWidth: s,
        pointRadius: 0,
        order: 1,
      });
      if (u.kink !== null && u.kink >= 0 && u.kink <= 1)
        datasets.push({
          type: 'scatter',
          label: `${label} kink`,
          group: d.group,
          data: [{ x: u.kink, y: 0 }],
          backgroundColor: look.borderColor,
          borderWidth: 0,
          pointRadius: 3 * s,
          clip: 4 * s,
        });
      cut = leaving(u.ys, label, look.borderColor, d.group) || cut;
    });
  }
  return { datasets, live, dead, cut };
}

/**
 * The units' note, one line (the legend names the lines; a long caption would crowd a card's plot): how many
 * of each model's units are live on [0, 1], what a unit's line is, what the model is of them. No subscripts:
 * an SVG's fonts may lack them.
 */
function unitsCaption(drawn: DrawnUnits[], unitless: string[]): string[] {
  const live = drawn.map((d) => `${d.named}: ${d.units.filter((u) => u.live).length} of ${d.units.length}`).join(', ');
  const model = drawn.every((d) => d.preActivation)
    ? 'act(Σ units + b2)'
    : drawn.every((d) => !d.preActivation)
      ? 'Σ units + b2'
      : 'Σ units + b2, through act where it has one';
  return [
    ...(drawn.length ? [`${live} units live on [0, 1]; each w2·act(w1·x + b1), fainter as |w2| is smaller; the model is ${model}`] : []),
    ...unitless.map((name) => `${name}: no units drawn (only for a network with one hidden layer)`),
  ];
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
