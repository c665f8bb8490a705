// Exports: charts as PNG and SVG (drawn by Chart.js on @napi-rs/canvas), curves as CSV, the CLI's
// `chart` command, and "export all" through the handler table. One file past 350 lines on purpose: the
// chart kinds share one trained run and its fixtures, built once here.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelResult, RunResult } from '../core/results/events.ts';
import { planLocalRun } from '../electron/engine/plan.ts';
import { Run } from '../electron/engine/run.ts';
import { combine } from '../core/charts/combine.ts';
import { chartDataOf, type ChartModel } from '../core/charts/data.ts';
import { typicalOfEachGroup } from '../core/charts/fit.ts';
import { CHART_KINDS, THEMES, type Theme } from '../core/charts/kinds.ts';
import { ExportOptionsSchema } from '../core/charts/request.ts';
import { emptyCurves } from '../core/results/curves.ts';
import type { Landscape } from '../core/results/landscape.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { landscapeOf } from '../electron/engine/landscape.ts';
import type { Snapshots } from '../core/results/snapshots.ts';
import { parsePreset } from '../core/preset/parse.ts';
import { expandSweep } from '../core/preset/sweep.ts';
import { overlap, overlappingTicks, type Box } from '../core/charts/measure.ts';
import { parseCommand } from '../electron/cli/args.ts';
import { drawChart, renderChart } from '../electron/exports/charts.ts';
import { CSV_COLUMNS, curvesCsv } from '../electron/exports/csv.ts';
import type { RunRecord } from '../core/ipc/contract.ts';
import { createHandlers } from '../electron/ipc/handlers.ts';
import { RecordingClipboard, ScriptedDialogs } from './fakes.ts';
import { narrowAndWide, PRESETS, readJson } from './helpers.ts';
import { lab } from './lab.ts';
import { anchorOf, elementsNamed, parseXml, type XmlElement } from './svg.ts';

const preset = () => narrowAndWide('per-model', 2000, false);

/** A picture's pixels as RGBA, drawn over `under` (an SVG renderer's transparent background made opaque). */
async function pixelsOf(png: Buffer, under = 'transparent'): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const image = await loadImage(png);
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = under;
  ctx.fillRect(0, 0, image.width, image.height);
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height);
}

/** How much darker than white a box of a picture is, summed over its pixels. */
function inkIn({ data, width }: { data: Uint8ClampedArray; width: number }, box: Box): number {
  let ink = 0;
  for (let y = Math.floor(box.top); y < Math.ceil(box.top + box.height); y++)
    for (let x = Math.floor(box.left); x < Math.ceil(box.left + box.width); x++) {
      const i = (y * width + x) * 4;
      ink += 765 - data[i] - data[i + 1] - data[i + 2];
    }
  return ink;
}

/** Share of pixels in the central plot area that differ from the background colour. */
async function inkInPlotArea(png: Buffer, background: [number, number, number]): Promise<number> {
  const { data, width, height } = await pixelsOf(png);
  const [x0, y0, w, h] = [Math.round(width * 0.15), Math.round(height * 0.2), Math.round(width * 0.7), Math.round(height * 0.55)];
  let inked = 0;
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) {
      const i = (y * width + x) * 4;
      if (Math.abs(data[i] - background[0]) + Math.abs(data[i + 1] - background[1]) + Math.abs(data[i + 2] - background[2]) > 30) inked++;
    }
  return inked / (w * h);
}

/** A small sweep: the built-in width × schedule one with 6 seeds per cell, 1500 steps. */
function smallSweep() {
  const p = readJson<Record<string, any>>(join(PRESETS, 'sweep-width-vs-schedule.json'));
  return parsePreset({
    ...p,
    groups: [{ ...p.groups[0], models: 6 }],
    stop: { ...p.stop, maxSteps: 1500 },
    sweep: { ...p.sweep, curvesPerCell: 3 },
  });
}

describe('the fit chart unpicked', () => {
  const model = (id: number, groupIndex: number, index: number, lossFinal: number | null, finished = true, kept = true): ChartModel => ({
    id,
    group: `g${groupIndex}`,
    groupIndex,
    index,
    curves: emptyCurves(),
    params: kept ? [0.5, -1, 0.25] : [], // a sweep keeps the weights of some models of a cell only
    lossFinal,
    status: finished ? 'capped' : 'training',
    ...(finished ? { steps: 100 } : {}),
  });

  it("draws each finished group's median model by final loss among those with weights, diverged ones last, and a training group's first", () => {
    const models = [
      model(0, 0, 0, 0.09),
      model(1, 0, 1, 0.005),
      model(2, 0, 2, NaN),
      model(3, 0, 3, 0.0658),
      model(4, 0, 4, 0.0049),
      model(5, 1, 0, 0.9, false),
      model(6, 1, 1, 0.005),
      model(7, 2, 0, 0.2),
      model(8, 2, 1, 0.1),
      model(9, 3, 0, 0.3),
      model(10, 3, 1, 0.1, true, false),
      model(11, 3, 2, 0.2, true, false),
      model(12, 3, 3, 0.05),
      model(13, 4, 0, 0.1, true, false),
    ];
    // group 0 ranked 0.0049, 0.005, 0.0658, 0.09, NaN: the middle is model 3; group 2's lower middle is model 8;
    // group 3 among the models with weights (0.05, 0.3): model 12; group 4 kept none: nothing to draw
    expect(typicalOfEachGroup(models)).toEqual([3, 5, 8, 12]);
  });
});

describe('the chart data of a run', () => {
  const stored: ModelResult = {
    id: 0,
    group: 'g0',
    groupIndex: 0,
    index: 0,
    lossInit: 0.5,
    lossFinal: 0.06,
    lossBest: 0.05,
    steps: 100,
    status: 'capped',
    outcome: 'line',
    initialParams: [0, 0, 0],
    finalParams: [0.5, -1, 0.25],
    curves: emptyCurves(),
  };
  const live: ChartModel = {
    id: 1,
    group: 'g0',
    groupIndex: 0,
    index: 1,
    curves: emptyCurves(),
    params: [1, 2, 3],
    lossFinal: null,
    status: 'training',
  };
  const run = { preset: preset(), plateaus: { constant: 0.2, line: 0.06, zero: 0.9 }, sweep: null };

  it("draws a stored model with its final weights and the app's models as they are, the same from a result and from a view", () => {
    const data = chartDataOf({ ...run, models: [stored, live] });
    expect(data.models[0]).toEqual({ ...stored, params: stored.finalParams });
    expect(data.models[1]).toBe(live); // a live run's rows are not copied on every redraw
    expect(data).toEqual({ ...run, models: data.models });
    expect(chartDataOf({ ...run, models: [{ ...stored, params: stored.finalParams }, live] })).toEqual(data);
  });
});

describe('exports', () => {
  let result: RunResult;
  let sweep: RunResult;
  let snapshots: ReadonlyMap<number, Snapshots>; // the result's models', for the kink paths
  let landscape: Landscape; // around a wide model, with its trajectory: the landscape and slice charts
  beforeAll(async () => {
    const run = new Run(planLocalRun(expandSweep(preset()), { workers: 2 }));
    result = await run.start();
    snapshots = run.snapshots;
    const wide = result.models.find((m) => m.groupIndex === 1)!;
    landscape = landscapeOf(
      experimentOf(result.preset),
      { ...wide, snapshots: snapshots.get(wide.id)! },
      { directions: 'pca', grid: 51, seed: 0 },
    );
    sweep = await new Run(planLocalRun(expandSweep(smallSweep()), { workers: 2 })).start();
  }, 60_000);

  it.each([
    ['loss', 1920, 1080, 1],
    ['fit', 1280, 720, 1],
    ['lr', 1280, 720, 1],
    ['finals', 640, 360, 3],
  ] as const)('draws the %s chart as a PNG of the asked size with a drawn plot area', async (kind, width, height, pixelRatio) => {
    const png = await renderChart(chartDataOf(result), { kind, format: 'png', width, height, pixelRatio, options: { theme: 'light' } });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width * pixelRatio, height * pixelRatio]);
    expect(await inkInPlotArea(png, [255, 255, 255])).toBeGreaterThan(0.005);
  });

  it('draws dark and transparent backgrounds, a transparent one with the ink of its slide', async () => {
    const data = chartDataOf(result);
    const drawn = async (theme: Theme) => {
      const { image, layout } = await drawChart(data, {
        kind: 'loss',
        format: 'png',
        width: 400,
        height: 300,
        pixelRatio: 1,
        options: { theme },
      });
      const { data: rgba, width } = await pixelsOf(image);
      const pixel = (x: number, y: number) => Array.from(rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4));
      // the tick labels' pixels: over no background even an antialiased edge has the text's colour, fainter
      const ink = Object.values(layout.ticks)
        .flat()
        .flatMap(({ box }) =>
          Array.from({ length: Math.floor(box.height) }, (_, dy) =>
            Array.from({ length: Math.floor(box.width) }, (_, dx) => pixel(Math.round(box.left) + dx, Math.round(box.top) + dy)),
          ).flat(),
        )
        .filter((p) => p[3] > 96);
      const lightness = ink.reduce((sum, p) => sum + (p[0] + p[1] + p[2]) / 3, 0) / ink.length;
      return { corner: pixel(1, 1), inked: ink.length, lightness };
    };
    const dark = await drawn('dark');
    const forLight = await drawn('transparent-light');
    const forDark = await drawn('transparent-dark');
    expect(dark.corner).toEqual([17, 24, 39, 255]);
    expect(forLight.corner[3]).toBe(0);
    expect(forDark.corner[3]).toBe(0);
    expect(forLight.inked).toBeGreaterThan(50);
    expect(forDark.inked).toBeGreaterThan(50);
    expect(forLight.lightness).toBeLessThan(80); // #1f2937 on a light slide
    expect(forDark.lightness).toBeGreaterThan(200); // #e5e7eb on a dark slide
  });

  it("reads the older theme name 'transparent' as transparent-light: in a request and in lab chart --theme", () => {
    const options = { theme: 'transparent', legend: true };
    expect(ExportOptionsSchema.parse(options).theme).toBe('transparent-light');
    expect(ExportOptionsSchema.safeParse({ ...options, theme: 'clear' }).success).toBe(false);
    const themeAsked = (theme: string) => {
      const asked = parseCommand(['chart', 'result.json', '--chart', 'loss', '--theme', theme, '--out', 'loss.png']);
      return asked.command === 'chart' && asked.request.options.theme;
    };
    expect(themeAsked('transparent')).toBe('transparent-light');
    expect(themeAsked('transparent-dark')).toBe('transparent-dark');
  });

  it('writes vector SVG that parses at the asked size and holds a path per series, with the edited title', async () => {
    const svg = await renderChart(chartDataOf(result), {
      kind: 'loss',
      format: 'svg',
      width: 1280,
      height: 720,
      pixelRatio: 1,
      options: { theme: 'light', title: 'Narrow against wide' },
    });
    const text = svg.toString('utf8');
    const image = await loadImage(svg); // resvg parses and renders it
    expect([image.width, image.height]).toEqual([1280, 720]);
    // each model has its own shade of its group's hue: 3 distinct blues (narrow), 4 distinct reds (wide)
    const strokes = [...text.matchAll(/<path[^>]*stroke="#([0-9A-F]{6})"/g)].map((m) => m[1]);
    const shades = (hue: (r: number, b: number) => boolean) =>
      new Set(strokes.filter((hex) => hue(parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(4, 6), 16)))).size;
    expect(shades((r, b) => b > r + 60)).toBeGreaterThanOrEqual(3);
    expect(shades((r, b) => r > b + 60)).toBeGreaterThanOrEqual(4);
    expect(text).toContain('Narrow against wide');
  });

  it.each(
    CHART_KINDS.flatMap((kind) =>
      [
        [480, 270, 0.4], // as small as a chart gets on screen: here 1-2-5 ticks would touch
        [1280, 720, 0.55],
        [1920, 1080, 0.55],
        [3840, 2160, 0.55],
      ].flatMap(([width, height, plot]) => THEMES.map((theme) => [kind, width, height, theme, plot] as const)),
    ),
  )('draws %s at %i×%i (%s) with no tick labels or reference labels overlapping', async (kind, width, height, theme, plot) => {
    // the seed's own horizon: its x axis spans six decades of steps (a heatmap needs a sweep)
    const data = kind === 'heatmap' ? chartDataOf(sweep) : { ...chartDataOf(result, snapshots), landscape };
    const seedLong = { ...data, preset: { ...data.preset, stop: { ...data.preset.stop, maxSteps: 1_000_001 } } };
    const { layout } = await drawChart(seedLong, { kind, format: 'png', width, height, pixelRatio: 1, options: { theme } });
    const ticks = Object.values(layout.ticks).flat();
    expect(ticks.length).toBeGreaterThan(6);
    expect(overlappingTicks(layout)).toEqual([]);
    const cut = ticks.filter(({ box }) => box.left < 0 || box.left + box.width > width || box.top < 0 || box.top + box.height > height);
    expect(cut.map((t) => t.text)).toEqual([]); // none cut off at the picture's edge
    const refs = layout.references;
    refs.forEach((a, i) => refs.slice(i + 1).forEach((b) => expect(overlap(a.box, b.box), `${a.text} / ${b.text}`).toBe(false)));
    // the plot area takes most of the picture (of a slide, more than half)
    expect(layout.plotArea.height).toBeGreaterThan(height * plot);
  });

  it('draws the time-to-reach curve flat until the step a model reached the limit, then up', async () => {
    const data = chartDataOf(result);
    const cap = data.preset.stop.maxSteps;
    const mine = data.models.filter((m) => m.groupIndex === 0);
    // one model of the group reaches at step 599 (x = 600), the others run to the cap
    const models = mine.map((m, k) => ({
      ...m,
      status: k === 0 ? ('reached' as const) : ('capped' as const),
      steps: k === 0 ? 599 : cap - 1,
    }));
    const { image, layout } = await drawChart(
      { ...data, models },
      { kind: 'reach', format: 'png', width: 1280, height: 720, pixelRatio: 1, options: { theme: 'light' } },
    );
    const picture = await loadImage(image);
    const { createCanvas } = await import('@napi-rs/canvas');
    const canvas = createCanvas(picture.width, picture.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(picture, 0, 0);
    const { left, top, width, height } = layout.plotArea;
    // the axis runs from the first step (x = 1) to the cap, log scaled; the plot runs on to 104 %
    const xOf = (step: number) => Math.round(left + (width * Math.log(step)) / Math.log(cap));
    const yOf = (share: number) => Math.round(top + height * (1 - share / 1.04));
    /** Whether the column at `step` has a line (dark, not the band's tint) within 4 px of `share`. */
    const lineAt = (step: number, share: number) => {
      const px = ctx.getImageData(xOf(step), yOf(share) - 4, 1, 9).data;
      for (let i = 0; i < px.length; i += 4) if (765 - px[i] - px[i + 1] - px[i + 2] > 250) return true;
      return false;
    };
    /** Whether the pixel at `step`, `share` is tinted: not the white background, not a line. */
    const tintAt = (step: number, share: number) => {
      const [r, g, b] = ctx.getImageData(xOf(step), yOf(share), 1, 1).data;
      return 765 - r - g - b > 15 && 765 - r - g - b < 250;
    };
    const share = 1 / mine.length;
    expect(mine).toHaveLength(3);
    expect(layout.ticks.x.map((t) => t.text)).toContain('100');
    expect([lineAt(300, share), lineAt(300, 0.02)]).toEqual([false, false]); // not yet reached: on the axis at 0
    expect(lineAt(1500, share)).toBe(true);
    // the 95 % band: before the reach, Wilson's for 0 of 3 (0–56 %); from it on to the cap, 1 reached in 3 (about 5–95 %)
    expect([tintAt(300, 0.3), tintAt(300, 0.65), tintAt(1500, 0.65), tintAt(1900, 0.65)]).toEqual([true, false, true, true]);

    expect(layout.references.map((r) => r.text)).toEqual(['half reached: the median steps']);

    // none of 3 reached, in either group: no curve, band or tick anywhere on the plot, the chart says so
    const none = await drawChart(
      { ...data, models: data.models.map((m) => ({ ...m, status: 'capped' as const, steps: cap - 1 })) },
      { kind: 'reach', format: 'png', width: 1280, height: 720, pixelRatio: 1, options: { theme: 'light' } },
    );
    expect(none.layout.ticks.x[0].text).toBe('1'); // from the first step, as when some reached
    expect(none.layout.series).toEqual([]);
    const message = none.layout.references.find((r) => r.text.includes('no model reached the limit'));
    expect(message?.text).toBe(`no model reached the limit,loss ${data.preset.stop.lossLimit} within 2,000 steps`);
    ctx.clearRect(0, 0, picture.width, picture.height);
    ctx.drawImage(await loadImage(none.image), 0, 0);
    const area = none.layout.plotArea;
    /** Columns of the plot's lower quarter with a pixel in colour (a group's line, band or tick; the grid is grey). */
    const inked = new Set<number>();
    for (let x = Math.ceil(area.left) + 1; x < area.left + area.width - 1; x += 3) {
      const px = ctx.getImageData(x, Math.round(area.top + area.height * 0.75), 1, Math.ceil(area.height * 0.25) + 2).data;
      for (let i = 0; i < px.length; i += 4)
        if (Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 12) inked.add(x);
    }
    expect([...inked]).toEqual([]);
  });

  it('writes SVG text as whole strings in a font list slides have', async () => {
    const { image, layout } = await drawChart(chartDataOf(result), {
      kind: 'loss',
      format: 'svg',
      width: 1920,
      height: 1080,
      pixelRatio: 1,
      options: { theme: 'light' },
    });
    const svg = image.toString('utf8');
    const texts = [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)];
    const contents = texts.map((m) => m[2]);
    for (const whole of ['Loss against step', 'step + 1', 'validation MSE loss', 'best line: loss 0.0658', 'loss limit 0.005'])
      expect(contents).toContain(whole);
    const labels = Object.values(layout.ticks).flat();
    expect(labels.length).toBeGreaterThan(10);
    for (const label of labels) expect(contents).toContain(label.text);
    for (const [, attributes] of texts) {
      expect(attributes).toMatch(/ font-family="Helvetica, Arial, &apos;Liberation Sans&apos;, sans-serif"/);
      expect(attributes).toMatch(/ x="-?[\d.]+" y="-?[\d.]+"/); // one position: the string's start
    }
    // a caption's lines, drawn under one transform, stay apart: one element each (a 1→1→1 model made a
    // straight line on [0, 1], its one unit live: the plateau's line, then the units')
    const data = chartDataOf(result);
    const { id, group, index } = data.models[0];
    expect(group).toBe('narrow'); // named in the caption as the legend names its group
    const straight = { ...data, models: data.models.map((m) => (m.id === id ? { ...m, params: [1, 0.5, 1, 0] } : m)) };
    const fit = await renderChart(straight, {
      kind: 'fit',
      format: 'svg',
      width: 1280,
      height: 720,
      pixelRatio: 1,
      options: { theme: 'light', fitModels: [id] },
    });
    const lines = [...fit.toString('utf8').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(lines).toEqual(
      expect.arrayContaining([
        `narrow · 1→1→1 #${index}: all kinks outside [0, 1], a straight line there: the best-line plateau`,
        `narrow · 1→1→1 #${index}: 1 of 1 units live on [0, 1]; each w2·act(w1·x + b1), fainter as |w2| is smaller; the model is act(Σ units + b2)`,
      ]),
    );
  });

  it.each(CHART_KINDS)('writes the %s chart as well-formed SVG with each label once and each point a circle', async (kind) => {
    const data = kind === 'heatmap' ? chartDataOf(sweep) : { ...chartDataOf(result, snapshots), landscape };
    const { image, layout } = await drawChart(data, {
      kind,
      format: 'svg',
      width: 1280,
      height: 720,
      pixelRatio: 1,
      options: { theme: 'light' },
    });
    const svg = parseXml(image.toString('utf8'));
    const texts = elementsNamed(svg, 'text').map((t) => {
      const { x, y } = anchorOf(t);
      return `${t.text} at ${x.toFixed(1)}, ${y.toFixed(1)}`;
    });
    expect(texts.filter((t, k) => texts.indexOf(t) !== k)).toEqual([]); // the chart was drawn once
    const contents = new Set(elementsNamed(svg, 'text').map((t) => t.text));
    const ticks = Object.values(layout.ticks).flat();
    expect(ticks.length).toBeGreaterThan(4);
    for (const tick of [...layout.ticks.x, ...layout.ticks.y]) if (!tick.text.includes(' ')) expect(contents).toContain(tick.text);
    const paths = elementsNamed(svg, 'path').map((p) => p.attributes.d);
    expect(paths.filter((d) => d.length > 4000 && !/[LC]/.test(d))).toEqual([]); // no circle left as a path of curves
    if (kind === 'finals') {
      const filled = elementsNamed(svg, 'circle').filter((c) => c.attributes.fill !== 'none');
      expect(filled).toHaveLength(result.models.filter((m) => m.lossFinal! > 0).length);
    }
  });

  it('writes a sweep as big as the built-in one (1,200 models) as a finals SVG under 2 MB', async () => {
    // the small sweep's models, each cell's 6 taken over and over to the built-in's 100
    const data = chartDataOf(sweep);
    const cells = data.preset.groups.map((_, gi) => data.models.filter((m) => m.groupIndex === gi));
    const models = cells.flatMap((mine, gi) =>
      Array.from({ length: 100 }, (_, index) => ({ ...mine[index % mine.length], id: gi * 100 + index, index })),
    );
    expect(models).toHaveLength(1200);
    const { image } = await drawChart(
      { ...data, models },
      { kind: 'finals', format: 'svg', width: 1920, height: 1080, pixelRatio: 1, options: { theme: 'light' } },
    );
    expect(image.length).toBeLessThan(2_000_000);
    const circles = elementsNamed(parseXml(image.toString('utf8')), 'circle').filter((c) => c.attributes.fill !== 'none');
    expect(circles).toHaveLength(models.filter((m) => m.lossFinal! > 0).length);
  });

  it.each([
    [1920, 1080],
    [1280, 720],
    [640, 360], // the columns lettered (their names would not fit): the levels' labels alone have two lines
  ])('writes each line of a label of several lines as its own text where the PNG draws it (%i×%i)', async (width, height) => {
    const { image, layout } = await drawChart(chartDataOf(sweep), {
      kind: 'finals',
      format: 'svg',
      width,
      height,
      pixelRatio: 1,
      options: { theme: 'light' },
    });
    const labelsByTransform = new Map<string | undefined, XmlElement[]>();
    for (const t of elementsNamed(parseXml(image.toString('utf8')), 'text'))
      labelsByTransform.set(t.attributes.transform, [...(labelsByTransform.get(t.attributes.transform) ?? []), t]);
    const lettered = width === 640;
    expect(layout.ticks.x.map((t) => t.text).join('') === 'ABCDEFGHIJKL').toBe(lettered);
    const labels = [
      ...(lettered ? [] : ['1', '2', '3', '4', '8', '16']).flatMap((w) => [
        [`1→${w}→1`, 'SGD 0.1'],
        [`1→${w}→1`, 'CyclicLR'],
      ]),
      ['loss limit', '0.005'],
      ['best line', '0.0658'],
      ['best constant', '0.0901'],
      ['zero output', '0.900'],
    ];
    for (const lines of labels) {
      const tick = Object.values(layout.ticks)
        .flat()
        .find((t) => t.text === lines.join(' '));
      expect(tick, lines.join(' ')).toBeDefined();
      const { left, top, width: w, height: h } = tick!.box;
      const inBox = (t: XmlElement) => {
        const { x, y } = anchorOf(t);
        return x >= left - 1 && x <= left + w + 1 && y >= top - 1 && y <= top + h + 1; // a pixel's leeway
      };
      // a label's lines, each its own element under the label's transform, each starting inside the box the
      // PNG's label takes, the second under the first
      const drawn = [...labelsByTransform.values()].find((ts) => ts.every(inBox) && ts.map((t) => t.text).join('\n') === lines.join('\n'));
      expect(drawn, lines.join(' ')).toBeDefined();
      expect(Number(drawn![1].attributes.y)).toBeGreaterThan(Number(drawn![0].attributes.y));
    }
  });

  it("looks in Inkscape as its PNG: every label's ink where the PNG has it, little else apart", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-inkscape-'));
    const request = { kind: 'finals', width: 1280, height: 720, pixelRatio: 1, options: { theme: 'light' } } as const;
    const { image: png, layout } = await drawChart(chartDataOf(sweep), { ...request, format: 'png' });
    writeFileSync(join(dir, 'finals.svg'), await renderChart(chartDataOf(sweep), { ...request, format: 'svg' }));
    execFileSync('inkscape', ['--export-type=png', `--export-filename=${join(dir, 'inkscape.png')}`, join(dir, 'finals.svg')], {
      stdio: 'ignore',
    });
    const drawn = await pixelsOf(png);
    const inkscape = await pixelsOf(readFileSync(join(dir, 'inkscape.png')), 'white');
    expect([inkscape.width, inkscape.height]).toEqual([1280, 720]);
    // each label (the group names and the levels, two lines each) drawn where the PNG draws it: the
    // same ink in its box, give or take the fonts' shapes
    const labels = [...layout.ticks.x, ...layout.ticks.y, ...layout.ticks.levels];
    expect(labels.length).toBeGreaterThan(20);
    for (const { text, box } of labels) {
      const ratio = inkIn(inkscape, box) / inkIn(drawn, box);
      expect(ratio, text).toBeGreaterThan(0.75);
      expect(ratio, text).toBeLessThan(1.5);
    }
    // and the rest (points, lines, grid) as the PNG: a channel differs by under 3 of 255 on average
    let difference = 0;
    for (let i = 0; i < drawn.data.length; i++) if (i % 4 !== 3) difference += Math.abs(drawn.data[i] - inkscape.data[i]);
    expect(difference / ((drawn.data.length * 3) / 4)).toBeLessThan(3);
  });

  it('draws a crowded legend beside the plot in SVG as in PNG, in Inkscape and in rsvg-convert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-legend-svg-'));
    // 14 groups of two runs: a column of run names, and groups with their notes, some on two lines
    const data = combine([
      { data: chartDataOf(result), prefix: '1. Plain' },
      { data: chartDataOf(sweep), prefix: '2. Sweep: width vs schedule, 1…' },
    ]);
    const request = { kind: 'bands', width: 960, height: 540, pixelRatio: 1, options: { theme: 'light' } } as const;
    const { image: png, layout } = await drawChart(data, { ...request, format: 'png' });
    writeFileSync(join(dir, 'bands.svg'), await renderChart(data, { ...request, format: 'svg' }));
    expect(layout.legend).toHaveLength(16); // 2 runs, 14 groups
    expect(layout.legend).toContain('1→16→1 · CyclicLR (median of 3 of 6 models drawn)');
    const drawn = await pixelsOf(png);
    const renderers = {
      inkscape: ['inkscape', ['--export-type=png', `--export-filename=${join(dir, 'inkscape.png')}`, join(dir, 'bands.svg')]],
      'rsvg-convert': ['rsvg-convert', ['--output', join(dir, 'rsvg-convert.png'), join(dir, 'bands.svg')]],
    } as const;
    for (const [name, [command, args]] of Object.entries(renderers)) {
      execFileSync(command, args, { stdio: 'ignore' });
      const other = await pixelsOf(readFileSync(join(dir, `${name}.png`)), 'white');
      expect([other.width, other.height], name).toEqual([960, 540]);
      // each entry's ink (symbol and text) where the PNG puts it, give or take the fonts' shapes
      for (const [k, box] of layout.legendEntries.entries()) {
        const ratio = inkIn(other, box) / inkIn(drawn, box);
        expect(ratio, `${name}: ${layout.legend[k]}`).toBeGreaterThan(0.75);
        expect(ratio, `${name}: ${layout.legend[k]}`).toBeLessThan(1.5);
      }
      let difference = 0;
      for (let i = 0; i < drawn.data.length; i++) if (i % 4 !== 3) difference += Math.abs(drawn.data[i] - other.data[i]);
      expect(difference / ((drawn.data.length * 3) / 4), name).toBeLessThan(3);
    }
  });

  it('writes the curves as CSV: the documented columns, one row per stored point', () => {
    const lines = curvesCsv(result).trimEnd().split('\n');
    expect(lines[0]).toBe('group,model,step,lossTrain,lossVal,lr');
    expect(CSV_COLUMNS).toEqual(['group', 'model', 'step', 'lossTrain', 'lossVal', 'lr']);
    expect(lines.length - 1).toBe(result.models.reduce((n, m) => n + m.curves.step.length, 0));
    const first = result.models[0];
    expect(lines[1].split(',').map((v, k) => (k === 0 ? v : Number(v)))).toEqual([
      'narrow',
      0,
      0,
      first.curves.lossTrain[0],
      first.curves.lossVal[0],
      first.curves.lr[0],
    ]);
  });

  it('lab chart draws from a result file or a run folder; bad input gets one line and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-chart-'));
    writeFileSync(join(dir, 'result.json'), JSON.stringify(result));
    const png = await lab([
      'chart',
      dir,
      '--chart',
      'finals',
      '--size',
      '1280x720',
      '--theme',
      'dark',
      '--title',
      'Finals',
      '--out',
      join(dir, 'finals.png'),
    ]);
    expect(png.status).toBe(0);
    const bytes = readFileSync(join(dir, 'finals.png'));
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1280, 720]);
    const svg = await lab(['chart', join(dir, 'result.json'), '--chart', 'fit', '--format', 'svg', '--out', join(dir, 'fit.svg')]);
    expect(svg.status).toBe(0);
    expect(readFileSync(join(dir, 'fit.svg'), 'utf8')).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*width="1920" height="1080"/);
    expect(await lab(['chart', dir, '--chart', 'pie', '--out', 'x.png'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^lab: --chart: expected one of loss, bands, fit, lr, finals, reach, heatmap, kinks, got 'pie'\n/),
    });
    expect(await lab(['chart', dir, '--chart', 'loss', '--size', 'big', '--out', 'x.png'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^lab: --size: expected WIDTHxHEIGHT/),
    });
    expect(await lab(['chart', join(PRESETS, 'seed-narrow-sgd.json'), '--chart', 'loss', '--out', join(dir, 'x.png')])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/not a Minima Lab result/),
    });
    const underFile = join(dir, 'finals.png', 'loss.png');
    expect(await lab(['chart', dir, '--chart', 'loss', '--out', underFile])).toMatchObject({
      status: 2,
      stderr: `lab: ${underFile}: cannot write the file: a folder on its path is a file (EEXIST)\n`,
    });
  }, 60_000);

  it('lab chart compares several results as Compare does (bands, reach, finals); another chart says it draws one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-compare-chart-'));
    // a run folder with the name it was given in the app (its meta.json), and a result file, named by its preset
    mkdirSync(join(dir, 'run'));
    writeFileSync(join(dir, 'run', 'result.json'), JSON.stringify(result));
    const record = {
      id: 'plain',
      name: 'Plain, renamed',
      startedAt: '2025-12-06T09:00:00Z',
      backend: 'fused',
      models: 7,
      status: 'finished',
      error: null,
    };
    writeFileSync(join(dir, 'run', 'meta.json'), JSON.stringify(record));
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify(sweep));
    const texts = (file: string) => [...readFileSync(file, 'utf8').matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const kind of ['bands', 'reach', 'finals']) {
      const out = join(dir, `${kind}.svg`);
      expect(await lab(['chart', join(dir, 'run'), join(dir, 'sweep.json'), '--chart', kind, '--size', '1280x720', '--out', out])).toEqual({
        status: 0,
        stdout: '',
        stderr: `wrote ${out} (svg, 1280x720; 2 runs compared)\n`,
      });
      const drawn = texts(out);
      // 14 groups: each run named once, as Compare numbers it, over its groups
      expect(drawn, kind).toEqual(expect.arrayContaining(['1. Plain, renamed', '2. Sweep: width vs schedule, 1…']));
      const key = kind === 'finals' ? 'N: ' : '';
      expect(
        drawn.some((t) => t.startsWith(`${key}1→16→1 · CyclicLR`)),
        kind,
      ).toBe(true);
    }
    // each run to its own cap: the sweep's 1,500 steps, the run's 2,000
    expect(texts(join(dir, 'reach.svg'))).toContain('each run to its own step cap: 2,000 steps (run 1), 1,500 steps (run 2)');
    expect(await lab(['chart', join(dir, 'run'), join(dir, 'sweep.json'), '--chart', 'lr', '--out', join(dir, 'lr.svg')])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^lab: --chart lr draws one result, not 2: several are compared in --chart bands, reach, finals\n/),
    });
  }, 60_000);

  it('exports a run as one folder, a chart to the clipboard, and data through the dialogs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'minima-exports-'));
    const dialogs = new ScriptedDialogs();
    const clipboard = new RecordingClipboard();
    let stored: (record: RunRecord) => void;
    const done = new Promise<RunRecord>((resolve) => {
      stored = resolve;
    });
    const table = createHandlers({
      dataDir,
      builtInPresets: PRESETS,
      dialogs,
      clipboard,
      send: (m) => {
        if (m.kind === 'stored') stored(m.record);
      },
    });
    const call = async (method: string, arg: unknown) => {
      const reply = await table.dispatch(method, arg);
      if (!reply.ok) throw new Error(reply.error);
      return reply.value;
    };
    const record = (await call('startRun', { preset: preset(), backend: 'fused', workers: 2 })) as RunRecord;
    await done;
    dialogs.nextFolder = dataDir;
    const folder = (await call('exportAllCharts', { id: record.id })) as string;
    expect(readdirSync(folder).sort()).toEqual([
      'bands.png',
      'bands.svg',
      'curves.csv',
      'finals.png',
      'finals.svg',
      'fit.png',
      'fit.svg',
      'loss.png',
      'loss.svg',
      'lr.png',
      'lr.svg',
      'models.jsonl',
      'reach.png',
      'reach.svg',
      'result.json',
      'run.out',
      'table.csv',
    ]);
    expect(readFileSync(join(folder, 'run.out'), 'utf8').split('\n')[0]).toMatch(/^Minima Lab /);
    const chart = {
      id: record.id,
      kind: 'fit',
      format: 'png',
      width: 1280,
      height: 720,
      pixelRatio: 2,
      theme: 'light',
      legend: false,
      fitModels: [0, 3],
    };
    expect(await call('exportChart', { ...chart, to: 'clipboard' })).toBe('clipboard');
    expect([clipboard.png!.readUInt32BE(16), clipboard.png!.readUInt32BE(20)]).toEqual([2560, 1440]);
    dialogs.nextSave = join(dataDir, 'curves.csv');
    expect(await call('exportData', { id: record.id, format: 'csv' })).toBe(dialogs.nextSave);
    expect(readFileSync(dialogs.nextSave, 'utf8').split('\n')[0]).toBe('group,model,step,lossTrain,lossVal,lr');
    dialogs.nextSave = join(dataDir, 'result.json');
    await call('exportData', { id: record.id, format: 'json' });
    expect(readJson<RunResult>(dialogs.nextSave).models).toHaveLength(7);
    expect(await table.dispatch('exportChart', { ...chart, kind: 'pie', to: 'file' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^exportChart: kind: /),
    });
  }, 60_000);
});

describe('sweep exports', () => {
  let result: RunResult;
  beforeAll(async () => {
    result = await new Run(planLocalRun(expandSweep(smallSweep()), { workers: 2 })).start();
  }, 60_000);

  it('draws the heatmap: a cell per combination in viridis, its k/n and interval written in it, a colour bar', async () => {
    const { image, layout } = await drawChart(chartDataOf(result), {
      kind: 'heatmap',
      format: 'svg',
      width: 1920,
      height: 1080,
      pixelRatio: 1,
      options: { theme: 'light' },
    });
    expect(layout.cells).toHaveLength(12);
    const svg = image.toString('utf8');
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    for (const s of result.summary) {
      expect(texts).toContain(`${s.reach.k}/${s.reach.n}`);
      expect(texts).toContain(`${Math.round(s.reach.low * 100)}–${Math.round(s.reach.high * 100)} %`);
    }
    for (const tick of ['0 %', '50 %', '100 %', 'Hidden widths', 'LR schedule', '16', 'CyclicLR']) expect(texts).toContain(tick);
    // each cell filled with the colour of its rate: 0 % the darkest viridis, 100 % the brightest
    const fills = new Set([...svg.matchAll(/fill="#([0-9A-F]{6})"/gi)].map((m) => m[1].toLowerCase()));
    const rates = result.summary.map((s) => s.reach.k / s.reach.n);
    if (rates.includes(0)) expect(fills).toContain('440154');
    if (rates.includes(1)) expect(fills).toContain('fde725');
  });

  it('draws median steps with "not reached" at the cap, the darkest end, also where no cell reached', async () => {
    const data = chartDataOf(result);
    const cap = data.preset.stop.maxSteps;
    const none = { ...data, models: data.models.map((m) => ({ ...m, status: 'capped' as const, steps: cap - 1 })) };
    const { image, layout } = await drawChart(none, {
      kind: 'heatmap',
      format: 'svg',
      width: 1280,
      height: 720,
      pixelRatio: 1,
      options: { theme: 'light', heatmap: { statistic: 'steps' } },
    });
    expect(layout.cells).toHaveLength(12);
    for (const c of layout.cells) expect(c.text).toMatch(/^not reached n = \d+$/);
    const svg = image.toString('utf8');
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    // the colour bar's ticks: the figures not on an axis ("200", "500", "1k")
    const axes = new Set(Object.values(layout.ticks).flatMap((ticks) => ticks.map((t) => t.text)));
    const barTicks = texts
      .filter((t) => !axes.has(t) && /^\d+k?$/.test(t))
      .map((t) => (t.endsWith('k') ? Number(t.slice(0, -1)) * 1000 : Number(t)));
    expect(barTicks.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...barTicks)).toBeLessThanOrEqual(cap); // the bar ends at the cap, where "not reached" sits
    const cellFills = [...svg.matchAll(/fill="#([0-9A-F]{6})"/gi)].map((m) => m[1].toLowerCase()).filter((f) => f === '440154');
    expect(cellFills.length).toBeGreaterThanOrEqual(12); // every cell the darkest viridis, not mid-scale
  });

  it('draws a cell no group names (a result edited by hand) as one with no models, not a crash', async () => {
    const data = chartDataOf(result);
    const sweep = { ...data.sweep!, cells: data.sweep!.cells.map((c, k) => (k === 0 ? { ...c, group: 'renamed' } : c)) };
    const options = { theme: 'light' as const };
    const { layout } = await drawChart(
      { ...data, sweep },
      { kind: 'heatmap', format: 'png', width: 960, height: 540, pixelRatio: 1, options },
    );
    expect(layout.cells.find((c) => c.group === 'renamed')?.text).toBe('–');
  });

  it('draws the heatmap by another statistic and with the axes swapped', async () => {
    const { layout } = await drawChart(chartDataOf(result), {
      kind: 'heatmap',
      format: 'png',
      width: 1280,
      height: 720,
      pixelRatio: 1,
      options: { theme: 'dark', heatmap: { x: 1, y: 0, statistic: 'escape' } },
    });
    expect(layout.ticks.x.map((t) => t.text)).toEqual(['SGD 0.1', 'CyclicLR']);
    expect(layout.ticks.y.map((t) => t.text)).toEqual(['1', '2', '3', '4', '8', '16']);
    const cell = layout.cells.find((c) => c.group === 'net_8_CyclicLR')!;
    const s = result.summary.find((g) => g.group === 'net_8_CyclicLR')!;
    expect(cell.text).toBe(`${s.escape.k}/${s.escape.n} ${Math.round(s.escape.low * 100)}–${Math.round(s.escape.high * 100)} %`);
  });

  it('lab chart --chart heatmap|reach from a sweep; a heatmap of a run without a sweep is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minima-sweep-chart-'));
    writeFileSync(join(dir, 'result.json'), JSON.stringify(result));
    const heat = await lab(['chart', dir, '--chart', 'heatmap', '--statistic', 'steps', '--x', 'schedule', '--out', join(dir, 'heat.svg')]);
    expect(heat.stderr).toBe(`wrote ${join(dir, 'heat.svg')} (svg, 1920x1080)\n`);
    expect(readFileSync(join(dir, 'heat.svg'), 'utf8')).toContain('Median steps to reach the limit, per cell');
    expect((await lab(['chart', dir, '--chart', 'reach', '--out', join(dir, 'reach.png')])).status).toBe(0);
    expect(await lab(['chart', dir, '--chart', 'heatmap', '--x', 'optimizer.lr', '--out', join(dir, 'x.png')])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^lab: --x: expected one of the sweep's fields hidden, schedule, got 'optimizer.lr'\n/),
    });
    const plain = mkdtempSync(join(tmpdir(), 'minima-plain-chart-'));
    writeFileSync(join(plain, 'result.json'), JSON.stringify({ ...result, sweep: null }));
    expect(await lab(['chart', plain, '--chart', 'heatmap', '--out', join(plain, 'x.png')])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--chart heatmap needs a sweep's result \(this run has no sweep\)\n$/),
    });
  }, 60_000);

  it('exports a sweep: the table, one line per model, the heatmap in "export all", charts of chosen cells and of runs compared', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'minima-sweep-exports-'));
    const dialogs = new ScriptedDialogs();
    const clipboard = new RecordingClipboard();
    const stored = new Map<string, (record: RunRecord) => void>();
    const table = createHandlers({
      dataDir,
      builtInPresets: PRESETS,
      dialogs,
      clipboard,
      send: (m) => {
        if (m.kind === 'stored') stored.get(m.runId)?.(m.record);
      },
    });
    const call = async (method: string, arg: unknown) => {
      const reply = await table.dispatch(method, arg);
      if (!reply.ok) throw new Error(reply.error);
      return reply.value;
    };
    const start = async (p: unknown) => {
      const record = (await call('startRun', { preset: p, backend: 'fused', workers: 2 })) as RunRecord;
      await new Promise((resolve) => stored.set(record.id, resolve));
      return record;
    };
    const swept = await start(smallSweep());
    const plain = await start({ ...preset(), name: 'Plain' });

    dialogs.nextSave = join(dataDir, 'table.csv');
    await call('exportData', { id: swept.id, format: 'table' });
    const rows = readFileSync(dialogs.nextSave, 'utf8').trimEnd().split('\n');
    expect(rows[0].startsWith('cell,hidden,schedule,models,modelsPlanned,reached,reachRate,reachLow,reachHigh,')).toBe(true);
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 5))).toEqual(
      ['1', '2', '3', '4', '8', '16'].flatMap((w) => [
        [`net_${w}_SGD 0.1`.replace(' ', '-'), w, 'SGD 0.1', '6', '6'],
        [`net_${w}_CyclicLR`, w, 'CyclicLR', '6', '6'],
      ]),
    );
    dialogs.nextSave = join(dataDir, 'models.jsonl');
    await call('exportData', { id: swept.id, format: 'jsonl' });
    const lines = readFileSync(dialogs.nextSave, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(72);
    expect(JSON.parse(lines[71])).toMatchObject({ group: 'net_16_CyclicLR', base: 'net', axes: { hidden: [16] }, model: 5 });

    dialogs.nextFolder = dataDir;
    const folder = (await call('exportAllCharts', { id: swept.id })) as string;
    expect(readdirSync(folder)).toEqual(expect.arrayContaining(['heatmap.png', 'heatmap.svg', 'reach.svg', 'table.csv', 'models.jsonl']));

    const chart = { kind: 'bands', format: 'svg', width: 1280, height: 720, pixelRatio: 1, theme: 'light', legend: true, to: 'clipboard' };
    await call('exportChart', { ...chart, id: swept.id, groups: ['net_16_SGD-0.1', 'net_1_CyclicLR'] });
    const cells = clipboard.text!;
    // each cell named by what its values are; the note they share said once, under the chart
    expect(cells).toContain('>1→16→1 · SGD 0.1<');
    expect(cells).toContain('>1→1→1 · CyclicLR<');
    expect(cells).toContain('>each group: median of 3 of 6 models drawn, 10–90 % band<');
    expect(cells).not.toContain('1→8→1 · SGD 0.1');
    await call('exportChart', { ...chart, kind: 'reach', id: plain.id, compareWith: [swept.id] });
    const compared = clipboard.text!;
    // beside CyclicLR cells, the plain run's groups say how they train; 14 groups: each run named once, over its groups
    expect(compared).toContain('>1. Plain<');
    expect(compared).toContain('>narrow · 1→1→1 · SGD 0.1 (');
    expect(compared).toContain('>2. Sweep: width vs schedule, 1…<');
    expect(compared).toContain('>1→16→1 · CyclicLR (');
  }, 120_000);
});
