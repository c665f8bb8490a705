// What a drawn chart put where: its plot area, every tick label's box, its legend and its entries, and its
// reference-line labels. The app exposes it to the end-to-end tests and the exporter's tests read it,
// so "no label overlaps another" is checked on what was drawn, at every size.
import type { Chart } from 'chart.js';
import annotation from 'chartjs-plugin-annotation';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ChartLayout {
  /** The canvas's size in CSS pixels. */
  width: number;
  height: number;
  plotArea: Box;
  /** Per axis, each tick label and the box it was drawn in. */
  ticks: Record<string, { text: string; box: Box }[]>;
  /** The legend's entries, an entry of two lines as one. */
  legend: string[];
  /** Where the legend was drawn and each of its entries (none where it is not drawn: hidden, or a list beside the canvas on screen). */
  legendArea: Box | null;
  legendEntries: Box[];
  /** Every series drawn, by its label ("modelsB #3", "modelsB median of 20"). */
  series: string[];
  references: { text: string; box: Box }[];
  /** A heatmap's cells: the group each stands for, its words, and where it was drawn. */
  cells: { group: string; text: string; box: Box }[];
}

interface LabelItem {
  label: string | string[];
  font: { string: string; lineHeight: number };
  textOffset: number;
  options: { rotation: number; textAlign: string; textBaseline: string; translation: [number, number] };
}

/** The box a tick label was drawn in (Chart.js draws it at its translation, rotated, at textOffset). */
function labelBox(ctx: Chart['ctx'], item: LabelItem): { text: string; box: Box } {
  const all = Array.isArray(item.label) ? item.label : [item.label];
  // a label of several lines: the first placed as a one-line label is, the others under it; empty lines
  // (which move a label off its tick) take no room
  const written = all.flatMap((line, k) => (line === '' ? [] : [k]));
  const first = written[0] ?? 0;
  const lines = written.length ? all.slice(first, written[written.length - 1] + 1) : [];
  ctx.save();
  ctx.font = item.font.string;
  const width = Math.max(0, ...lines.map((line) => ctx.measureText(line).width));
  ctx.restore();
  const lineHeight = item.font.lineHeight;
  const height = lineHeight * lines.length;
  const { textAlign, textBaseline, rotation, translation } = item.options;
  const x0 = textAlign === 'right' || textAlign === 'end' ? -width : textAlign === 'center' ? -width / 2 : 0;
  const y0 =
    item.textOffset + first * lineHeight + (textBaseline === 'top' ? 0 : textBaseline === 'bottom' ? -lineHeight : -lineHeight / 2);
  const corners = [
    [x0, y0],
    [x0 + width, y0],
    [x0, y0 + height],
    [x0 + width, y0 + height],
  ].map(([x, y]) => [
    translation[0] + x * Math.cos(rotation) - y * Math.sin(rotation),
    translation[1] + x * Math.sin(rotation) + y * Math.cos(rotation),
  ]);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return {
    text: lines.join(' '),
    box: {
      left: Math.min(...xs),
      top: Math.min(...ys),
      width: Math.max(...xs) - Math.min(...xs),
      height: Math.max(...ys) - Math.min(...ys),
    },
  };
}

export function layoutOf(chart: Chart): ChartLayout {
  const area = chart.chartArea;
  const ticks: ChartLayout['ticks'] = {};
  for (const [id, scale] of Object.entries(chart.scales)) {
    const items = (scale as unknown as { getLabelItems(): LabelItem[] }).getLabelItems();
    ticks[id] = items.map((item) => labelBox(chart.ctx, item));
  }
  const legend = (chart.legend?.legendItems ?? []).map((item) => (Array.isArray(item.text) ? item.text.join(' ') : item.text)); // an entry on two lines
  const drawn = chart.legend && chart.legend.width > 0 && chart.legend.height > 0 ? chart.legend : null;
  const hitBoxes = (drawn as unknown as { legendHitBoxes?: Box[] } | null)?.legendHitBoxes ?? [];
  const references = annotation
    .getAnnotations(chart)
    .map((a) => ((a.options as { type?: string }).type === 'label' ? a : a.label)) // a line's label, or a label of its own
    .filter((label) => label && (label.options as { display?: boolean }).display !== false)
    .map((label) => {
      const content = (label!.options as { content?: unknown }).content;
      return { text: String(content ?? ''), box: { left: label!.x, top: label!.y, width: label!.width, height: label!.height } };
    });
  const matrix = (chart.config as { type?: string }).type === 'matrix';
  const elements = matrix ? (chart.getDatasetMeta(0).data as unknown as { x: number; y: number; width: number; height: number }[]) : [];
  const cells = matrix
    ? (chart.data.datasets[0].data as unknown as { group: string; lines: string[] }[]).map((d, k) => ({
        group: d.group,
        text: d.lines.join(' '),
        box: { left: elements[k]?.x ?? 0, top: elements[k]?.y ?? 0, width: elements[k]?.width ?? 0, height: elements[k]?.height ?? 0 },
      }))
    : [];
  return {
    width: chart.width,
    height: chart.height,
    plotArea: { left: area.left, top: area.top, width: area.width, height: area.height },
    ticks,
    legend,
    legendArea: drawn && { left: drawn.left, top: drawn.top, width: drawn.width, height: drawn.height },
    legendEntries: hitBoxes.map(({ left, top, width, height }) => ({ left, top, width, height })),
    series: chart.data.datasets.map((d) => String(d.label ?? '')),
    references,
    cells,
  };
}

/** Whether two boxes share any area (touching edges do not count). */
export function overlap(a: Box, b: Box): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

/** Every pair of tick labels on one axis that overlap, named for a test's message. */
export function overlappingTicks(layout: ChartLayout): string[] {
  const found: string[] = [];
  for (const [axis, labels] of Object.entries(layout.ticks)) {
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (overlap(labels[i].box, labels[j].box)) found.push(`${axis}: "${labels[i].text}" and "${labels[j].text}"`);
      }
    }
  }
  return found;
}
