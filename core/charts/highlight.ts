// One model followed across every chart: picked in the models table or by clicking it in a chart (a loss
// curve, a final-loss point, a fitted function), it is drawn over the others and stronger in each chart
// that draws models, and every other model fades, so its path reads at a glance on a crowded slide.
import type { ChartOptions } from './request.ts';

/** How a model is drawn: its colour's opacity and its line's width as multiples of the chart's own, and its layer. */
export interface Emphasis {
  /** It is the model followed. */
  followed: boolean;
  alpha: number;
  width: number;
  /** Chart.js's dataset order: lower is drawn later, on top. */
  order: number;
}

const PLAIN: Emphasis = { followed: false, alpha: 1, width: 1, order: 0 };
/** Over every other dataset (the fit's target is 2, its units 1 and 0.5). */
const FOLLOWED: Emphasis = { followed: true, alpha: 1, width: 2, order: -1 };
/** Faint enough for the followed model to stand out, still there to compare it with. */
const FADED: Emphasis = { followed: false, alpha: 0.25, width: 1, order: 0 };

/** How model `id` is drawn under the options: plainly when none is followed. */
export function emphasisOf(o: Pick<ChartOptions, 'highlight'>, id: number): Emphasis {
  if (o.highlight === undefined) return PLAIN;
  return o.highlight === id ? FOLLOWED : FADED;
}
