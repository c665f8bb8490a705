// How the charts look: the font slides render, each theme's colours and background, and one colour
// family per group with a distinguishable shade per model.
import type { Chart } from 'chart.js';
import type { SweepInfo } from '../preset/sweep.ts';
import { coordinatesOf, dimensionsOf } from './heatmap-view.ts';
import { isDarkTheme, type Theme } from './kinds.ts';

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
  /** Around points drawn over curves: the background's colour, or the slide's a transparent one is put on. */
  outline: string;
}

export function colorsOf(theme: Theme): Colors {
  const transparent = theme === 'transparent-light' || theme === 'transparent-dark';
  return isDarkTheme(theme)
    ? {
        text: '#e5e7eb',
        muted: '#9ca3af',
        grid: 'rgba(229,231,235,0.14)',
        reference: '#f9fafb',
        referenceLine: 'rgba(249,250,251,0.7)',
        background: transparent ? 'transparent' : '#111827',
        label: 'rgba(17,24,39,0.85)',
        outline: '#111827',
      }
    : {
        text: '#1f2937',
        muted: '#6b7280',
        grid: 'rgba(31,41,55,0.12)',
        reference: '#111827',
        referenceLine: 'rgba(75,85,99,0.8)',
        background: transparent ? 'transparent' : '#ffffff',
        label: 'rgba(255,255,255,0.85)',
        outline: '#ffffff',
      };
}

/** Fills the chart's background before it draws (nothing for a transparent one). */
export function backgroundPlugin(theme: Theme): { id: string; beforeDraw: (chart: Pick<Chart, 'ctx' | 'width' | 'height'>) => void } {
  const color = colorsOf(theme).background;
  return {
    id: 'minima-background',
    beforeDraw: (chart) => {
      if (color === 'transparent') return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };
}

/** Hues of the group colour families: blue, red, green, amber, violet, pink, cyan, lime. */
const HUES = [221, 0, 158, 32, 265, 330, 190, 88];

/** Solid, dashed, dotted, dash-dot (in pixels at scale 1): what tells groups of one colour apart. */
const DASHES: readonly (readonly number[])[] = [[], [10, 5], [2.5, 3.5], [14, 4, 3, 4]];

/** How a group's lines are told apart: its colour family (`family` of the colour functions) and its dash. */
export interface GroupLook {
  family: number;
  dash: readonly number[];
}

/**
 * Each group's look. Up to eight groups: a colour each, solid. More: a sweep takes a colour per value of its
 * longest axis that the hues tell apart and a dash per combination of its other values, so that a dash means
 * one thing across the chart (12 cells of width × schedule: a colour per width, CyclicLR dashed); other
 * groups (runs compared) take the eight colours again, dashed, then dotted.
 */
export function looksOf(data: { preset: { groups: { name: string }[] }; sweep?: SweepInfo | null }): GroupLook[] {
  const groups = data.preset.groups;
  const cycled = groups.map((_, g) => ({ family: g % HUES.length, dash: DASHES[Math.floor(g / HUES.length) % DASHES.length] }));
  const sweep = data.sweep;
  if (groups.length <= HUES.length || !sweep) return cycled;
  const sizes = dimensionsOf(sweep).map((d) => d.labels.length);
  const hued = sizes.reduce((best, n, k) => (n <= HUES.length && (best < 0 || n > sizes[best]) ? k : best), -1);
  const combinations = sizes.reduce((product, n, k) => (k === hued ? product : product * n), 1);
  if (hued < 0 || combinations > DASHES.length) return cycled;
  const cells = new Map(sweep.cells.map((c) => [c.group, c]));
  return groups.map((g, k) => {
    const cell = cells.get(g.name);
    if (!cell) return cycled[k];
    const at = coordinatesOf(sweep, cell);
    const others = at.reduce((index, v, d) => (d === hued ? index : index * sizes[d] + v), 0);
    return { family: at[hued], dash: DASHES[others] };
  });
}

/** A look's dash at the chart's scale. */
export const dashOf = (look: GroupLook, s: number): number[] => look.dash.map((d) => d * s);

/**
 * How opaque a hidden unit is drawn: by its weight out beside its model's largest (a unit the output hardly
 * hears fades, yet stays in sight); a diverged one, or a model whose weights out are all 0, faintest.
 */
export function fadedBy(weightOut: number, largest: number): number {
  const share = largest > 0 && Number.isFinite(weightOut) ? Math.abs(weightOut) / largest : 0;
  return Math.round(1000 * (0.3 + 0.7 * share)) / 1000; // three digits: a colour an SVG writes out
}

/** A colour family's own colour (its middle shade): legends, bands, medians. */
export function groupColor(family: number, theme: Theme, alpha = 1): string {
  return shade(family, 0.5, theme, alpha);
}

/** Model `index` of `count` in its group: darker to lighter shades of the group's colour family. */
export function modelColor(family: number, index: number, count: number, theme: Theme, alpha = 1): string {
  return shade(family, count > 1 ? index / (count - 1) : 0.5, theme, alpha);
}

function shade(family: number, t: number, theme: Theme, alpha: number): string {
  const hue = HUES[family % HUES.length];
  // the darkest shade stays a colour, not near-black beside the grey reference lines
  const [darkest, lightest] = isDarkTheme(theme) ? [52, 80] : [34, 64];
  const lightness = darkest + (lightest - darkest) * t;
  return `hsla(${hue}, 78%, ${lightness.toFixed(1)}%, ${alpha})`;
}
