// How the charts look: the font slides render, each theme's colours, and one colour family per group
// with a distinguishable shade per model.
import type { Theme } from './kinds.ts';

/** Metric-compatible families first, so a slide shows the text at the width it was laid out with. */
export const FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', sans-serif";

export interface Colors {
  text: string;
  muted: string;
  grid: string;
  /** The target function. */
  reference: string;
  /** The reference lines: a little see-through, so the curves sitting on a plateau show under its line. */
  referenceLine: string;
  /** The chart's background ('transparent' draws none). */
  background: string;
  /** Behind reference-line labels, so they read over the curves. */
  label: string;
}

export function colorsOf(theme: Theme): Colors {
  return theme === 'dark'
    ? {
        text: '#e5e7eb',
        muted: '#9ca3af',
        grid: 'rgba(229,231,235,0.14)',
        reference: '#f9fafb',
        referenceLine: 'rgba(249,250,251,0.7)',
        background: '#111827',
        label: 'rgba(17,24,39,0.85)',
      }
    : {
        text: '#1f2937',
        muted: '#6b7280',
        grid: 'rgba(31,41,55,0.12)',
        reference: '#111827',
        referenceLine: 'rgba(75,85,99,0.8)',
        background: theme === 'light' ? '#ffffff' : 'transparent',
        label: 'rgba(255,255,255,0.85)',
      };
}

/** Hues of the group colour families: blue, red, green, amber, violet, pink, cyan, lime. */
const HUES = [221, 0, 158, 32, 265, 330, 190, 88];

/** A group's own colour (its middle shade): legends, bands, medians. */
export function groupColor(groupIndex: number, theme: Theme, alpha = 1): string {
  return shade(groupIndex, 0.5, theme, alpha);
}

/** Model `index` of `count` in its group: darker to lighter shades of the group's hue. */
export function modelColor(groupIndex: number, index: number, count: number, theme: Theme, alpha = 1): string {
  return shade(groupIndex, count > 1 ? index / (count - 1) : 0.5, theme, alpha);
}

function shade(groupIndex: number, t: number, theme: Theme, alpha: number): string {
  const hue = HUES[groupIndex % HUES.length];
  // the darkest shade stays a colour, not near-black beside the grey reference lines
  const [darkest, lightest] = theme === 'dark' ? [52, 80] : [34, 64];
  const lightness = darkest + (lightest - darkest) * t;
  return `hsla(${hue}, 78%, ${lightness.toFixed(1)}%, ${alpha})`;
}
