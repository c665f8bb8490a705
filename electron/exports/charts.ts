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

/** Draws one chart and reads back the image, with where it put its labels. */
export async function drawChart(data: ChartData, request: ChartRequest): Promise<{ image: Buffer; layout: ChartLayout }> {
  const { width, height, format } = request;
  const config = exportConfig(data, request);
  /** Draws on the canvas, reads the image out, then frees the chart (which would clear the canvas). */
  const drawn = async (canvas: object, read: () => Buffer | Promise<Buffer>) => {
    const chart = new Chart(canvas as HTMLCanvasElement, config as never);
    try {
      chart.draw();
      return { image: await read(), layout: layoutOf(chart) };
    } finally {
      chart.destroy();
    }
  };
  if (format === 'svg') {
    const svg = createCanvas(width, height, SvgExportFlag.NoPrettyXML);
    return drawn(svg, () => Buffer.from(wholeTextSvg(svg.getContent().toString('utf8'))));
  }
  const png = createCanvas(width, height); // Chart.js grows it to width × ratio for its devicePixelRatio
  return drawn(png, () => png.encode('png'));
}

export async function renderChart(data: ChartData, request: ChartRequest): Promise<Buffer> {
  return (await drawChart(data, request)).image;
}
