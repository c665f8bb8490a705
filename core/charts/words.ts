// A drawn chart in words, for a screen reader (the canvas's text alternative): its title, what each axis
// shows and over what range, its series, its reference lines and a heatmap's cells, as drawn.
import type { Chart } from 'chart.js';
import type { ChartLayout } from './measure.ts';

/** At most this many series or cells are named one by one; the rest are counted. */
const NAMED = 12;

const text = (value: unknown): string => (Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '');

function listed(items: string[], what: string): string {
  if (!items.length) return '';
  const named = items.slice(0, NAMED).join('; ');
  return `${items.length} ${what}: ${named}${items.length > NAMED ? `; and ${items.length - NAMED} more` : ''}.`;
}

/** The chart as drawn (its layout from layoutOf), in a few sentences; `title` where the chart draws none (a card heads it). */
export function chartInWords(chart: Chart, layout: ChartLayout, title = text(chart.options.plugins?.title?.text)): string {
  const axes = Object.entries(chart.scales)
    .filter(([id]) => layout.ticks[id]?.length)
    .map(([id, scale]) => {
      const ticks = layout.ticks[id].map((t) => t.text).filter(Boolean);
      const name = text((scale.options as { title?: { display?: boolean; text?: unknown } }).title?.text) || id;
      const log = scale.type === 'logarithmic' ? ', log scale' : '';
      return `${name} from ${ticks[0]} to ${ticks[ticks.length - 1]}${log}`;
    });
  return [
    title && `${title}.`,
    axes.length ? `Axes: ${axes.join('; ')}.` : '',
    layout.cells.length
      ? listed(
          layout.cells.map((c) => `${c.group}: ${c.text}`),
          'cells',
        )
      : listed(layout.legend.filter(Boolean), 'series'),
    listed(
      layout.references.map((r) => r.text),
      'reference lines',
    ),
  ]
    .filter(Boolean)
    .join(' ');
}
