// The reference levels a loss chart draws: the loss limit and the plateaus (best line, best constant,
// zero output), as annotation lines over the curves, each labelled on its line; close levels keep their
// labels apart by putting some below their line.
import { plateauLevels } from '../model/plateaus.ts';
import type { ChartData } from './data.ts';
import { level } from './figures.ts';
import { FONT_FAMILY, type Colors } from './theme.ts';

export const REFERENCE_DASHES = { limit: [2, 3], line: [8, 4], constant: [14, 4, 2, 4], zero: [4, 4] } as const;

/** A level the chart draws as a line: the loss limit or a plateau, its name and its value as written. */
export interface ReferenceLevel {
  id: keyof typeof REFERENCE_DASHES;
  name: string;
  value: number;
  figure: string;
}

/** The loss limit and the plateaus the chart draws as lines (none where it draws none). */
export function referenceLevels(data: ChartData): ReferenceLevel[] {
  if (data.references === false) return [];
  const names = { line: 'best line', constant: 'best constant', zero: 'zero output' } as const;
  const limit = data.preset.stop.lossLimit;
  return [
    { id: 'limit' as const, name: 'loss limit', value: limit, figure: String(limit) },
    ...plateauLevels(data.plateaus).map(([id, v]) => ({ id, name: names[id], value: v, figure: level(v) })),
  ].filter((l) => l.value > 0);
}

/** The loss limit and plateau levels the chart draws as lines (none where it draws none). */
export function levelsOf(data: ChartData): number[] {
  return referenceLevels(data).map((l) => l.value);
}

/** A level in words over the curves: "loss limit 0.005", "best line: loss 0.0658". */
export const levelText = (l: ReferenceLevel) => (l.id === 'limit' ? `${l.name} ${l.figure}` : `${l.name}: loss ${l.figure}`);

/** The levels whose labels sit below their line (the others above), so that close ones stay apart. */
export const LABELLED_BELOW: ReadonlySet<string> = new Set(['line', 'zero']);

/**
 * The loss limit and the plateaus as lines over the curves, labelled on the line (alternate labels below it,
 * so close levels stay apart) unless `labelled` is false: a chart that names them on an axis instead.
 */
export function referenceLines(
  data: ChartData,
  c: Colors,
  s: number,
  drawTime = 'afterDatasetsDraw',
  labelled = true,
): Record<string, object> {
  return Object.fromEntries(
    referenceLevels(data).map((l) => [
      l.id,
      {
        type: 'line',
        yMin: l.value,
        yMax: l.value,
        borderColor: c.referenceLine,
        borderWidth: 1.5 * s,
        borderDash: REFERENCE_DASHES[l.id].map((d) => d * s),
        drawTime,
        label: {
          display: labelled,
          content: levelText(l),
          position: l.id === 'limit' ? 'start' : 'end', // curves come down to the limit late: its label stays left, off them
          ...onLineLabel(c, s),
          yAdjust: (LABELLED_BELOW.has(l.id) ? 1 : -1) * 10 * s,
          drawTime: 'afterDatasetsDraw',
        },
      },
    ]),
  );
}

/** A dashed horizontal guide at `y` under the curves, named at its left end above the line. */
export function guideLine(y: number, text: string, c: { referenceLine: string; label: string; text: string }, s: number) {
  return {
    type: 'line',
    yMin: y,
    yMax: y,
    borderColor: c.referenceLine,
    borderWidth: 1.5 * s,
    borderDash: [8 * s, 4 * s],
    drawTime: 'beforeDatasetsDraw',
    label: { display: true, content: text, position: 'start', ...onLineLabel(c, s), yAdjust: -10 * s },
  };
}

/** How a label on a reference line looks: a small plate in the theme's label colour. */
export function onLineLabel(c: { label: string; text: string }, s: number) {
  return {
    backgroundColor: c.label,
    color: c.text,
    font: { family: FONT_FAMILY, size: Math.round(12 * s) },
    padding: { x: 4 * s, y: 2 * s },
    borderRadius: 3 * s,
  };
}
