// Charts for slides and papers, drawn by Chart.js in Node on @napi-rs/canvas (its SVG canvas writes
// vector SVG) from the same chart specs the app draws on screen. The desktop app exports through here
// too, so a chart looks the same from the app and from `lab chart`.
import { createCanvas, SvgExportFlag } from '@napi-rs/canvas';
import type { ChartData } from '../../core/charts/data.ts';
import { layoutOf, type ChartLayout } from '../../core/charts/measure.ts';
import { Chart } from '../../core/charts/register.ts';
import type { ChartRequest } from '../../core/charts/request.ts';
import { exportConfig } from '../../core/charts/spec.ts';
import { FONT_FAMILY } from '../../core/charts/theme.ts';

/**
 * Skia writes each text run with one x per glyph, in the font it resolved, and splits a string drawn to
 * a maximum width (Chart.js's axis titles, some annotation labels) into one element per word. Slides want
 * whole strings in a font list they have: the first glyph's position keeps the layout, the family list
 * keeps the width, and the words of one string (adjacent elements under the same transform on one line, or
 * joined by the empty elements that stand for its spaces) join again.
 */
function wholeTextSvg(svg: string): string {
  const family = FONT_FAMILY.replace(/'/g, '&apos;');
  interface Run {
    attributes: string;
    x: string;
    y: string;
    words: string[];
  }
  const runs: (Run | string)[] = []; // text runs, and whatever lies between them
  const texts = /<text([^>]*)>([^<]*)<\/text>/g;
  let last = 0;
  for (let m = texts.exec(svg); m; m = texts.exec(svg)) {
    const [, raw, content] = m;
    if (m.index > last) runs.push(svg.slice(last, m.index));
    last = m.index + m[0].length;
    const first = (name: string) => new RegExp(` ${name}="([^",]*)`).exec(raw)?.[1].trim() ?? '';
    const attributes = raw.replace(/ (x|y)="[^"]*"/g, '').replace(/ font-family="[^"]*"/, ` font-family="${family}"`);
    const previous = runs[runs.length - 1];
    // a split string's words: under one transform, or (untransformed) with the empty element Skia writes for each space
    const split = attributes.includes(' transform=') || content === '' || (typeof previous === 'object' && previous.words.at(-1) === '');
    // (a caption's lines share a transform too, each on its own y)
    const sameLine = typeof previous === 'object' && (previous.y === first('y') || content === '' || previous.words.at(-1) === '');
    if (typeof previous === 'object' && previous.attributes === attributes && split && sameLine) previous.words.push(content);
    else runs.push({ attributes, x: first('x'), y: first('y'), words: [content] });
  }
  const text = (r: Run) => `<text${r.attributes} x="${r.x}" y="${r.y}">${r.words.filter(Boolean).join(' ')}</text>`;
  return runs.map((r) => (typeof r === 'string' ? r : text(r))).join('') + svg.slice(last);
}

/** The circle a path of Skia's draws, when it is one: a move, then only quadratic segments round a centre, closed. */
function circleOf(d: string): { cx: number; cy: number; r: number } | undefined {
  if (/[^MQZ\d.\-e ]/.test(d) || !d.startsWith('M') || d.lastIndexOf('M') > 0) return undefined;
  const segments = d.split(/(?=[QZ])/).filter((s) => s !== 'Z');
  if (segments.length < 9) return undefined; // Skia writes a circle's arc as a hundred-odd segments
  // the points the path passes through: where it starts and where each segment ends
  const points = segments.map((s) => s.slice(1).trim().split(/\s+/).map(Number).slice(-2));
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [left, right, top, bottom] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const [cx, cy, r] = [(left + right) / 2, (top + bottom) / 2, (right - left) / 2];
  const tolerance = 0.01 * r;
  const round = points.every(([x, y]) => Math.abs(Math.hypot(x - cx, y - cy) - r) <= tolerance);
  const closed = Math.hypot(xs[0] - xs.at(-1)!, ys[0] - ys.at(-1)!) <= tolerance;
  // each step a small turn, so the path goes round once rather than back and forth over part of it
  const angles = points.map(([x, y]) => Math.atan2(y - cy, x - cx));
  const smallSteps = angles.slice(1).every((a, k) => Math.abs(Math.atan2(Math.sin(a - angles[k]), Math.cos(a - angles[k]))) < Math.PI / 4);
  return r > 0 && round && closed && smallSteps && Math.abs(bottom - top - 2 * r) <= 2 * tolerance ? { cx, cy, r } : undefined;
}

/**
 * Skia writes each circle (a scatter's points, the legend's) as a path of a hundred-odd segments, 5 KB a
 * dot, so a sweep's finals chart ran to tens of megabytes: each becomes the `<circle>` it is, with the
 * path's paint and transform.
 */
function circlesSvg(svg: string): string {
  const figure = (v: number) => String(Number(v.toFixed(3)));
  return svg.replace(/<path([^>]*) d="([^"]*)"([^>]*)\/>/g, (path, before: string, d: string, after: string) => {
    const circle = circleOf(d);
    return circle ? `<circle${before} cx="${figure(circle.cx)}" cy="${figure(circle.cy)}" r="${figure(circle.r)}"${after}/>` : path;
  });
}

/** Draws one chart and reads back the image, with where it put its labels. */
export async function drawChart(data: ChartData, request: ChartRequest): Promise<{ image: Buffer; layout: ChartLayout }> {
  const { width, height, format } = request;
  const config = exportConfig(data, request);
  /**
   * Draws on the canvas, reads the image out, then frees the chart (which would clear the canvas). Chart.js
   * draws an unanimated chart as it is made: drawing it again would put every element in an SVG twice.
   */
  const drawn = async (canvas: object, read: () => Buffer | Promise<Buffer>) => {
    const chart = new Chart(canvas as HTMLCanvasElement, config as never);
    try {
      return { image: await read(), layout: layoutOf(chart) };
    } finally {
      chart.destroy();
    }
  };
  if (format === 'svg') {
    const svg = createCanvas(width, height, SvgExportFlag.NoPrettyXML);
    return drawn(svg, () => Buffer.from(circlesSvg(wholeTextSvg(svg.getContent().toString('utf8')))));
  }
  const png = createCanvas(width, height); // Chart.js grows it to width × ratio for its devicePixelRatio
  return drawn(png, () => png.encode('png'));
}

export async function renderChart(data: ChartData, request: ChartRequest): Promise<Buffer> {
  return (await drawChart(data, request)).image;
}
