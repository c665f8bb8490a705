// The loss landscape chart: a model's validation loss on a plane through its parameters (computed by
// electron/engine/landscape.ts), its cells coloured on a log scale (viridis, lower loss brighter, as the
// heatmap's) with the heatmap's colour bar, contour lines (d3-contour, on log loss) at the 1-2-5 levels and
// at the loss limit and plateaus, each of those dashed and named as the loss chart names them; with
// principal directions the trajectory on the plane, its start and the centre marked; with random ones the
// centre marked.
import type { Chart, ChartConfiguration, LegendItem } from 'chart.js';
import { contours } from 'd3-contour';
import type { Landscape } from '../results/landscape.ts';
import { linearScale } from './axes.ts';
import { chartJsOptions, type Dataset } from './chartjs-options.ts';
import type { ChartData } from './data.ts';
import { level, points } from './figures.ts';
import { textOn, viridis, type HeatDataset } from './heatmap.ts';
import { levelText, onLineLabel, REFERENCE_DASHES, referenceLevels, type ReferenceLevel } from './references.ts';
import type { ChartOptions } from './request.ts';
import { colorsOf, FONT_FAMILY } from './theme.ts';
import type { ChartText } from './titles.ts';
import { formatTick, logTicks } from './ticks.ts';

/**
 * Paints a landscape's cells (its first dataset, marked `landscape`) as plain rectangles, a row's run of one
 * colour as one, in place of the matrix elements' paths (which stay, for the tooltips): an SVG a third the
 * size. Registered with the chart types.
 */
export const landscapePlugin = {
  id: 'minima-landscape',
  beforeDatasetDraw(chart: Chart, args: { index: number }) {
    const dataset = chart.data.datasets[args.index] as unknown as { landscape?: true; data: { color: string }[] };
    if (!dataset.landscape) return;
    const elements = chart.getDatasetMeta(args.index).data as unknown as { x: number; y: number; width: number; height: number }[];
    const ctx = chart.ctx;
    ctx.save();
    for (let k = 0; k < elements.length;) {
      const e = elements[k];
      let end = k + 1;
      while (end < elements.length && dataset.data[end].color === dataset.data[k].color && elements[end].y === e.y) end++;
      const last = elements[end - 1];
      ctx.fillStyle = dataset.data[k].color;
      ctx.fillRect(e.x, e.y, last.x + last.width - e.x, e.height);
      k = end;
    }
    ctx.restore();
    return false; // drawn
  },
};

/** Where the trajectory went after the chosen step: dashed. */
const LATER_DASH = [5, 4];

/** The trajectory and its marks: a red-orange no part of viridis comes near. */
const PATH = '#ff5a36';

/** Where each loss sits on the colour bar: 0 (bottom, highest loss) to 1 (top, lowest: brightest), log. */
export interface LossScale {
  low: number;
  high: number;
  position(loss: number): number;
}

/** The log colour scale of a plane's losses (a flat plane spans a factor of 2 around its loss). */
export function lossScaleOf(plane: Landscape): LossScale {
  const positive = plane.loss.flat().filter((v) => v > 0 && Number.isFinite(v));
  let [low, high] = positive.length ? [Math.min(...positive), Math.max(...positive)] : [1e-3, 1];
  if (high <= low * 1.0001) [low, high] = [low / Math.SQRT2, high * Math.SQRT2];
  const position = (v: number) =>
    Math.min(1, Math.max(0, 1 - (Math.log(Math.max(v, low)) - Math.log(low)) / (Math.log(high) - Math.log(low))));
  return { low, high, position };
}

/** The contour levels: 1, 2 and 5 per decade within the plane's losses (eight log-even ones where fewer fit). */
export function contourLevels({ low, high }: LossScale): number[] {
  const ticks = logTicks(low, high)
    .map((t) => t.value)
    .filter((v) => v > low && v < high);
  if (ticks.length >= 3) return ticks;
  return Array.from({ length: 8 }, (_, k) => low * (high / low) ** ((k + 1) / 9));
}

/**
 * One contour of log loss as line segments on the plane (α, β), NaN between pieces: from sample to sample,
 * each crossing interpolated linearly in log loss (the grid's own edges, where d3 closes its rings, left out).
 */
export function contourPath(plane: Landscape, value: number): { x: number; y: number }[] {
  const n = plane.alpha.length;
  const m = plane.beta.length;
  const logs = plane.loss.flat().map((v) => Math.log(Math.max(v, Number.MIN_VALUE)));
  const [shape] = contours()
    .size([n, m])
    .thresholds([Math.log(value)])(logs);
  // d3 puts sample i at i + 0.5 and closes each ring through points on the grid's edge (0 and n), not interpolated: no contour
  const step = (axis: number[]) => (axis[axis.length - 1] - axis[0]) / (axis.length - 1);
  const [da, db] = [step(plane.alpha), step(plane.beta)];
  const edge = ([x, y]: number[]) => x <= 0 || x >= n || y <= 0 || y >= m;
  const out: { x: number; y: number }[] = [];
  for (const ring of shape.coordinates.flat()) {
    let open = false;
    for (let k = 1; k < ring.length; k++) {
      const [p, q] = [ring[k - 1], ring[k]];
      if (edge(p) || edge(q)) {
        open = false;
        continue;
      }
      if (!open) {
        if (out.length) out.push({ x: NaN, y: NaN });
        out.push({ x: plane.alpha[0] + (p[0] - 0.5) * da, y: plane.beta[0] + (p[1] - 0.5) * db });
        open = true;
      }
      out.push({ x: plane.alpha[0] + (q[0] - 0.5) * da, y: plane.beta[0] + (q[1] - 0.5) * db });
    }
  }
  return out;
}

/** A contour to name on the chart, and the words. */
interface Named {
  id: string;
  text: string;
  contour: { x: number; y: number }[];
}

/** Where each contour's name went on a chart of this size (null: nowhere it fits), by id. */
type Placement = Map<string, { x: number; y: number } | null>;
const placements = new WeakMap<Chart, { size: string; placed: Placement }>();

/**
 * Where to name each contour on the chart as drawn, in pixels: at one of its points where the name fits
 * inside the plot, clear of the names already placed and of the points to keep clear (the marks, the path), as far
 * from them as can be; a name that fits nowhere is left out. Worked out once per chart size.
 */
function placeNames(chart: Chart, named: Named[], clear: { x: number; y: number }[], s: number): Placement {
  const area = chart.chartArea;
  if (!area || !chart.scales.x) return new Map(); // asked before the layout: nothing to place yet
  const size = `${chart.width}x${chart.height}:${area.left},${area.top},${area.right},${area.bottom}`;
  const known = placements.get(chart);
  if (known?.size === size) return known.placed;
  const [xs, ys] = [chart.scales.x, chart.scales.y];
  const pixel = (p: { x: number; y: number }) => ({ x: xs.getPixelForValue(p.x), y: ys.getPixelForValue(p.y) });
  const ctx = chart.ctx;
  ctx.save();
  ctx.font = `${Math.round(12 * s)}px ${FONT_FAMILY}`;
  const boxes: { left: number; right: number; top: number; bottom: number }[] = clear.map(pixel).map((p) => ({
    left: p.x - 10 * s,
    right: p.x + 10 * s,
    top: p.y - 10 * s,
    bottom: p.y + 10 * s,
  }));
  const placed: Placement = new Map();
  for (const { id, text, contour } of named) {
    const [w, h] = [ctx.measureText(text).width + 12 * s, 20 * s]; // the plate's padding and a margin
    let best: { x: number; y: number } | null = null;
    let room = -1;
    for (const p of contour) {
      if (Number.isNaN(p.x)) continue;
      const at = pixel(p);
      const box = { left: at.x - w / 2, right: at.x + w / 2, top: at.y - h / 2, bottom: at.y + h / 2 };
      if (box.left < area.left || box.right > area.right || box.top < area.top || box.bottom > area.bottom) continue;
      const gap = Math.min(
        Infinity,
        ...boxes.map((b) => Math.max(b.left - box.right, box.left - b.right, b.top - box.bottom, box.top - b.bottom)),
      );
      if (gap > 0 && gap > room) [best, room] = [p, gap];
    }
    if (best) {
      const at = pixel(best);
      boxes.push({ left: at.x - w / 2, right: at.x + w / 2, top: at.y - h / 2, bottom: at.y + h / 2 });
    }
    placed.set(id, best);
  }
  ctx.restore();
  placements.set(chart, { size, placed });
  return placed;
}

/** The chart's own title and axis titles: which model, which step, which directions. */
export function landscapeText(plane: Landscape | undefined): ChartText {
  if (!plane) return { title: 'Loss landscape around a model', xLabel: 'α', yLabel: 'β' };
  const at = `${plane.model} at step ${points(plane.step)}`;
  return plane.directions === 'pca'
    ? {
        title: `Loss landscape around ${at}`,
        xLabel: 'α: first principal direction of its trajectory',
        yLabel: 'β: second principal direction',
      }
    : {
        title: `Loss landscape around ${at}`,
        xLabel: `α: filter-normalised random direction 1 (seed ${plane.seed})`,
        yLabel: 'β: random direction 2',
      };
}

/** A level named as the loss chart names it: "best line 0.0658", "loss limit 0.005". */
const named = (l: ReferenceLevel) => `${l.name} ${l.figure}`;

export function landscapeChart(data: ChartData, o: ChartOptions): ChartConfiguration<'matrix'> {
  const s = o.scale ?? 1;
  const c = colorsOf(o.theme);
  const plane = data.landscape;
  const text = landscapeText(plane);
  const axis = (values: number[] | undefined) => {
    const half = values ? (values[values.length - 1] - values[0]) / (values.length - 1) / 2 : 0.5;
    const [min, max] = values ? [values[0] - half, values[values.length - 1] + half] : [-1, 1];
    return linearScale({ min, max, ticks: { includeBounds: false } }, s); // the cells' outer halves: no tick of their own
  };
  if (!plane) {
    const options = chartJsOptions('landscape', o, axis(undefined), axis(undefined), {
      legend: [],
      text,
      caption: ['no landscape computed for this run: lab landscape RESULT --model GROUP#INDEX --out FILE.png draws one'],
    });
    return { type: 'matrix', data: { datasets: [] }, options } as never;
  }
  const scale = lossScaleOf(plane);
  const [n, m] = [plane.alpha.length, plane.beta.length];
  const cells = plane.beta.flatMap((b, j) =>
    plane.alpha.map((a, i) => ({
      x: a,
      y: b,
      loss: plane.loss[j][i],
      color: viridis(scale.position(plane.loss[j][i])),
      lines: [],
      picked: false,
    })),
  );
  const levels = contourLevels(scale);
  const references = referenceLevels(data);
  const onPlane = references.filter((l) => l.value > scale.low && l.value < scale.high);
  const offPlane = references.filter((l) => !onPlane.includes(l));
  // each contour in the colour that reads on the cells at its level: dark on bright, white on dark
  const lineColor = (v: number) => (textOn(viridis(scale.position(v))) === '#ffffff' ? 'rgba(255,255,255,0.75)' : 'rgba(17,24,39,0.6)');
  const paths = new Map(onPlane.map((l) => [l.id, contourPath(plane, l.value)]));
  const contourDatasets: Dataset[] = [
    ...levels.map((v) => ({
      type: 'line' as const,
      label: `contour: loss ${formatTick(v)}`,
      data: contourPath(plane, v),
      borderColor: lineColor(v),
      borderWidth: 1 * s,
      pointRadius: 0,
      spanGaps: false,
    })),
    ...onPlane.map((l) => ({
      type: 'line' as const,
      label: named(l),
      data: paths.get(l.id)!,
      borderColor: lineColor(l.value),
      borderDash: REFERENCE_DASHES[l.id].map((d) => d * s),
      borderWidth: 2.5 * s,
      pointRadius: 0,
      spanGaps: false,
    })),
  ];
  const marks: Dataset[] = [];
  const centre = `step ${points(plane.step)}`;
  const mark = (label: string, x: number, y: number, style: 'circle' | 'rectRot', fill: string) => ({
    type: 'scatter' as const,
    label,
    data: [{ x, y }],
    pointStyle: style,
    pointRadius: 8 * s,
    pointHoverRadius: 9 * s,
    backgroundColor: fill,
    borderColor: style === 'circle' ? PATH : '#ffffff',
    borderWidth: 2.5 * s,
  });
  const path = plane.trajectory;
  if (path) {
    const line = path.alpha.map((x, k) => ({ x, y: path.beta[k] }));
    // the path to the chosen step solid; where the model went after it, dashed and thin: a room reads the
    // solid line as the way it came
    const chosen = path.step.lastIndexOf(plane.step) + 1;
    const [before, after] = [line.slice(0, chosen), line.slice(chosen - 1)];
    // a white casing under the path keeps it apart from the cells and contours under it
    marks.push(
      { type: 'line', label: 'trajectory casing', data: before, borderColor: 'rgba(255,255,255,0.8)', borderWidth: 5 * s, pointRadius: 0 },
      { type: 'line', label: 'trajectory', data: before, borderColor: PATH, borderWidth: 2.5 * s, pointRadius: 0 },
      ...(after.length > 1
        ? [
            {
              type: 'line' as const,
              label: 'trajectory later',
              data: after,
              borderColor: PATH,
              borderWidth: 1.5 * s,
              borderDash: LATER_DASH.map((d) => d * s),
              pointRadius: 0,
            },
          ]
        : []),
      mark(`step ${points(path.step[0])}`, path.alpha[0], path.beta[0], 'circle', '#ffffff'),
    );
  }
  marks.push(mark(centre, 0, 0, 'rectRot', PATH));
  const ticks = [
    ...onPlane.map((l) => ({ text: named(l), position: scale.position(l.value) })),
    ...levels.map((v) => ({ text: formatTick(v), position: scale.position(v) })),
  ];
  const heat: HeatDataset['heat'] = { ticks, scale: s, text: c.text, grid: c.grid };
  // short entries (the title names the model, the bar each level's value): the plane keeps the room
  const legend: Partial<LegendItem>[] = [
    ...(path
      ? [
          { text: 'trajectory', strokeStyle: PATH, fillStyle: PATH, lineWidth: 3 * s, pointStyle: 'line' as const },
          ...(path.step.at(-1)! > plane.step
            ? [
                {
                  text: 'later',
                  strokeStyle: PATH,
                  fillStyle: PATH,
                  lineWidth: 1.5 * s,
                  lineDash: LATER_DASH.map((d) => d * s),
                  pointStyle: 'line' as const,
                },
              ]
            : []),
          {
            text: `step ${points(path.step[0])}`,
            strokeStyle: PATH,
            fillStyle: '#ffffff',
            lineWidth: 2 * s,
            pointStyle: 'circle' as const,
          },
        ]
      : []),
    { text: centre, strokeStyle: PATH, fillStyle: PATH, lineWidth: s, pointStyle: 'rectRot' as const },
  ];
  // each plateau named on its contour, as the loss chart names its lines, where the name fits at the size drawn
  const names: Named[] = onPlane.map((l) => ({ id: l.id, text: levelText(l), contour: paths.get(l.id)! }));
  const clear = [{ x: 0, y: 0 }, ...(path ? path.alpha.map((x, k) => ({ x, y: path.beta[k] })) : [])]; // the marks and the path
  const at = (chart: Chart, id: string) => placeNames(chart, names, clear, s).get(id);
  const annotations = Object.fromEntries(
    names.map(({ id, text }) => [
      id,
      {
        type: 'label',
        xValue: ({ chart }: { chart: Chart }) => at(chart, id)?.x ?? 0,
        yValue: ({ chart }: { chart: Chart }) => at(chart, id)?.y ?? 0,
        display: ({ chart }: { chart: Chart }) => Boolean(at(chart, id)),
        content: text,
        ...onLineLabel(c, s),
        drawTime: 'afterDatasetsDraw',
      },
    ]),
  );
  // the bar says the rest (log scale, the contours' levels): a caption only for the levels the plane never reaches
  const outside = offPlane.map((l) => `${named(l)} ${l.value > scale.high ? 'above' : 'below'} every point of the plane`);
  const shared = chartJsOptions('landscape', o, axis(plane.alpha), axis(plane.beta), {
    legend,
    annotations,
    text,
    caption: outside.length ? [outside.join(' · ')] : undefined,
    tooltip: (item) => {
      const raw = item.raw as { x: number; y: number; loss?: number };
      const where = `α ${level(raw.x)} · β ${level(raw.y)}`;
      return raw.loss === undefined ? `${item.dataset.label} · ${where}` : `${where} · loss ${level(raw.loss)}`;
    },
  });
  const longest = Math.max(0, ...ticks.map((t) => t.text.length));
  const options = {
    ...shared,
    normalized: false, // contours and the trajectory go back and forth in α
    interaction: { mode: 'nearest' as const, intersect: true },
    plugins: {
      ...shared.plugins,
      title: { ...shared.plugins.title, fullSize: false },
      subtitle: { ...shared.plugins.subtitle, fullSize: false },
    },
    scales: {
      x: { ...shared.scales.x, offset: false, grid: { display: false } },
      y: { ...shared.scales.y, offset: false, reverse: false, grid: { display: false } },
      // room for the colour bar and its labels: an empty axis at the right (padding would narrow the legend too)
      bar: {
        type: 'linear' as const,
        position: 'right' as const,
        grid: { display: false },
        border: { display: false },
        ticks: { display: false },
        afterFit: (axis: { width: number }) => {
          axis.width = (36 + 6.5 * longest) * s;
        },
      },
    },
  };
  // cells a pixel wider than their share: no seams between them, on screen or in an SVG
  const side = (extent: number, count: number) => extent / count + 1;
  return {
    type: 'matrix',
    data: {
      datasets: [
        {
          label: text.title,
          data: cells,
          heat,
          landscape: true,
          backgroundColor: cells.map((cell) => cell.color),
          borderWidth: 0,
          order: 2, // drawn first, under the contours (1) and the trajectory and marks (0)
          width: ({ chart }: { chart: Chart }) => side(chart.chartArea?.width ?? 0, n),
          height: ({ chart }: { chart: Chart }) => side(chart.chartArea?.height ?? 0, m),
        },
        ...contourDatasets.map((d) => ({ ...d, order: 1 })),
        ...marks.map((d, k) => ({ ...d, order: -k })), // each over the one before: casing, path, start, centre
      ],
    },
    options,
  } as never;
}
