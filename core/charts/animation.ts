// An animation of models training, for slides: its frame plan (the step each frame shows, log-spaced from
// step 0 to the last step of the longest model, and how long each frame stays, in a GIF's centiseconds)
// and its frames, each drawn on a canvas the caller makes (@napi-rs/canvas in `lab animate`, an
// OffscreenCanvas in the app): a header with the step counter and the models' names, the fit at that step,
// the validation loss drawn up to it on the whole run's step axis, and the hidden units' kink paths up to it.
// The charts are the app's own specs (spec.ts), each drawn on its own canvas and copied into the frame.
import type { ChartConfiguration } from 'chart.js';
import { scaleFor } from './chartjs-options.ts';
import { atStep, type ChartData, type ChartModel } from './data.ts';
import { snapshotIndexAt } from '../results/snapshots.ts';
import { points } from './figures.ts';
import type { Theme } from './kinds.ts';
import { Chart } from './register.ts';
import { modelLabel } from './series.ts';
import { exportConfig } from './spec.ts';
import { colorsOf, FONT_FAMILY, looksOf, modelColor } from './theme.ts';
import { GifWriter, paletteOf, type Rgba } from './gif.ts';

/** What an animation may be: GIF delays are whole centiseconds, and browsers slow anything under 2 to 10. */
export const ANIMATION_LIMITS = {
  fps: { min: 1, max: 50 },
  /** Seconds: a slide's animation, not a film. */
  seconds: { max: 120 },
  frames: { max: 3000 },
  /** 4K: a frame's pixels are held several times over while it is drawn and encoded. */
  pixels: 3840 * 2160,
} as const;

/** A GIF has no see-through background to put on a slide's own. */
export const ANIMATION_THEMES = ['light', 'dark'] as const satisfies readonly Theme[];
export type AnimationTheme = (typeof ANIMATION_THEMES)[number];

/** An animation unless told otherwise: a 720p slide, 4 seconds at 30 frames a second, on white. */
export const ANIMATION_DEFAULTS = { width: 1280, height: 720, fps: 30, seconds: 4, theme: 'light' } as const satisfies {
  width: number;
  height: number;
  fps: number;
  seconds: number;
  theme: AnimationTheme;
};

/** An animation to draw: its models (by id), size, pace and theme. */
export interface AnimationRequest {
  models: number[];
  width: number;
  height: number;
  fps: number;
  seconds: number;
  theme: AnimationTheme;
}

/**
 * The step each of `frames` frames shows, log-spaced on step + 1 (as the step axes are) from 0 to `last`:
 * strictly increasing where the run has a step for each frame, so every frame moves on.
 */
export function frameSteps(last: number, frames: number): number[] {
  if (frames === 1) return [last]; // a still: the end
  const steps: number[] = [];
  for (let k = 0; k < frames; k++) {
    const ideal = Math.round((last + 1) ** (k / (frames - 1))) - 1;
    const after = k === 0 ? 0 : steps[k - 1] + 1;
    // room left for the frames still to come, one step each where there are enough steps
    const room = Math.max(0, last - (frames - 1 - k));
    steps.push(Math.min(Math.max(ideal, after), Math.max(room, k === 0 ? 0 : steps[k - 1])));
  }
  return steps;
}

/**
 * Each frame's delay in centiseconds (a GIF's unit), so that frame k ends at round(100 (k + 1) / fps):
 * the whole lasts frames / fps seconds, and where 100 / fps is not whole (30 fps: 3.33 cs) the delays
 * alternate between its two neighbours (3 and 4), which plays at the asked rate on average.
 */
export function frameDelays(frames: number, fps: number): number[] {
  return Array.from({ length: frames }, (_, k) => Math.round((100 * (k + 1)) / fps) - Math.round((100 * k) / fps));
}

/** A frame rate as a GIF plays it: "30 fps (delays of 3 and 4 cs)" where 100 / fps is not whole. */
export function playedRate(fps: number): string {
  const delays = [...new Set(frameDelays(Math.max(fps, 2) * 2, fps))].sort((a, b) => a - b);
  return delays.length === 1 ? `${fps} fps` : `${fps} fps on average (delays of ${delays.join(' and ')} cs)`;
}

/** The last step of the longest animated model: where the animation ends. */
export function lastStepOf(models: readonly ChartModel[]): number {
  return Math.max(0, ...models.map((m) => m.snapshots?.step.at(-1) ?? m.steps ?? 0));
}

/** A canvas to draw on: an HTMLCanvasElement or OffscreenCanvas in the browser, @napi-rs/canvas's in Node. */
export interface FrameCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
}
export type CanvasFactory = (width: number, height: number) => FrameCanvas;

/** The 2D context calls a frame's composition makes (the browser's and @napi-rs/canvas's alike). */
interface Context2D {
  fillStyle: string | object;
  strokeStyle: string | object;
  lineWidth: number;
  font: string;
  textBaseline: string;
  textAlign: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  setLineDash(dash: number[]): void;
  drawImage(image: unknown, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Rgba };
}
const context = (canvas: FrameCanvas) => canvas.getContext('2d') as Context2D;

/** The charts' data as it was up to `step`: curves and snapshots cut there (the curves grow, frame by frame). */
function grownTo(data: ChartData, step: number): ChartData {
  const upTo = <T extends { step: number[] }>(series: T): T => {
    const n = series.step.findIndex((s) => s > step);
    if (n < 0) return series;
    return Object.fromEntries(Object.entries(series).map(([key, values]) => [key, (values as unknown[]).slice(0, n)])) as T;
  };
  return {
    ...data,
    models: data.models.map((m) => ({ ...m, curves: upTo(m.curves), snapshots: m.snapshots && upTo(m.snapshots) })),
  };
}

type Config = ChartConfiguration<'line' | 'scatter' | 'matrix'>;
type Axes = Record<string, { min?: number; max?: number }>;
type Panel = 'fit' | 'loss' | 'kinks';
const yAxisOf = (config: Config) => (config.options!.scales as Axes).y;

/** A frame's parts: the header band, then the fit on the left and the loss over the kink paths on the right. */
function layoutOf(width: number, height: number) {
  const header = Math.round(height * 0.11);
  const half = Math.round(width / 2);
  const body = height - header;
  const top = Math.round(body / 2);
  return {
    header,
    panels: {
      fit: { x: 0, y: header, width: half, height: body },
      loss: { x: half, y: header, width: width - half, height: top },
      kinks: { x: half, y: header + top, width: width - half, height: body - top },
    } satisfies Record<Panel, { x: number; y: number; width: number; height: number }>,
  };
}

/**
 * Draws an animation's frames: `frame(step)` the models as they were at that step. The charts are made
 * once and updated frame by frame; the axes that move as a run trains (the fit's values, the loss's range)
 * are held where the whole animation needs them, so nothing on a frame jumps but what trained.
 */
export class AnimationFrames {
  readonly steps: number[];
  readonly delays: number[];
  private readonly data: ChartData;
  private readonly frameCanvas: FrameCanvas;
  private readonly layout: ReturnType<typeof layoutOf>;
  private readonly scale: number;
  private readonly charts = new Map<Panel, { canvas: FrameCanvas; chart?: Chart }>();
  private readonly held: {
    fit: { min: number; max: number; captionLines: number; legend: Legend };
    loss: { min: number; max: number };
    kinks: { captionLines: number };
  };

  constructor(
    data: ChartData,
    private readonly request: AnimationRequest,
    makeCanvas: CanvasFactory,
  ) {
    // only the animated models: the loss chart draws them alone, and each group's one model its own colour
    this.data = { ...data, models: data.models.filter((m) => request.models.includes(m.id)) };
    this.steps = frameSteps(lastStepOf(this.data.models), Math.round(request.fps * request.seconds));
    this.delays = frameDelays(this.steps.length, request.fps);
    this.frameCanvas = makeCanvas(request.width, request.height);
    this.layout = layoutOf(request.width, request.height);
    this.scale = scaleFor(request.width, request.height);
    for (const [panel, box] of Object.entries(this.layout.panels))
      this.charts.set(panel as Panel, { canvas: makeCanvas(box.width, box.height) });
    // the fit changes only where an animated model's snapshot does: one configuration for each set of snapshots shown
    const shown = new Map<string, number>();
    for (const step of this.steps) {
      const key = this.data.models.map((m) => (m.snapshots?.step.length ? snapshotIndexAt(m.snapshots, step) : -1)).join();
      if (!shown.has(key)) shown.set(key, step);
    }
    const fits = [...shown.values()].map((step) => this.config('fit', atStep(this.data, step), step));
    const loss = yAxisOf(this.config('loss', this.data, this.steps.at(-1)!));
    const kinks = this.config('kinks', this.data, this.steps.at(-1)!);
    this.held = {
      fit: {
        min: Math.min(...fits.map((c) => yAxisOf(c).min!)),
        max: Math.max(...fits.map((c) => yAxisOf(c).max!)),
        captionLines: Math.max(...fits.map((c) => this.captionIn('fit', c).length)),
        // the legend that says most (the kinks' entry comes once a kink shows): one that grew would move the plot
        legend: fits.map(legendIn).reduce((most, l) => (entriesOf(l) > entriesOf(most) ? l : most)),
      },
      loss: { min: loss.min!, max: loss.max! },
      kinks: { captionLines: this.captionIn('kinks', kinks).length },
    };
  }

  /**
   * A chart's caption as its panel can show it: a line wider than the panel broken where its clauses end
   * (at "; "), so that a note written for a whole slide does not run off a frame's half of one.
   */
  private captionIn(panel: Panel, config: Config): string[] {
    const ctx = context(this.charts.get(panel)!.canvas);
    ctx.font = `${Math.round(11 * this.scale)}px ${FONT_FAMILY}`; // the caption's own (chartjs-options.ts)
    const room = this.layout.panels[panel].width - 16 * this.scale;
    return captionOf(config).flatMap((line) => {
      const lines: string[] = [];
      for (const clause of line.split(/(?<=;) /)) {
        const joined = lines.length ? `${lines[lines.length - 1]} ${clause}` : clause;
        if (lines.length && ctx.measureText(joined).width <= room) lines[lines.length - 1] = joined;
        else lines.push(clause);
      }
      return lines;
    });
  }

  /** Sets a chart's caption to `lines`, blank lines after them up to `count`: a caption that grew would move the plot. */
  private static holdCaption(config: Config, lines: string[], count: number): void {
    const held = [...lines, ...Array<string>(Math.max(0, count - lines.length)).fill(' ')];
    Object.assign(config.options!.plugins!.subtitle!, { display: held.length > 0, text: held });
  }

  /** One chart's configuration at `step` (the cursor the step charts mark), at the panel's size, its fonts at the frame's scale. */
  private config(panel: Panel, data: ChartData, step: number): Config {
    const box = this.layout.panels[panel];
    return exportConfig(data, {
      kind: panel,
      format: 'png',
      width: box.width,
      height: box.height,
      pixelRatio: 1,
      // the header names the models: the step charts keep their room for the curves
      options: { theme: this.request.theme, scale: this.scale, fitModels: this.request.models, legend: panel === 'fit', step },
    });
  }

  /** The frame at `step`, drawn on the frame's canvas; its pixels are `pixels()`. */
  frame(step: number): FrameCanvas {
    const grown = grownTo(this.data, step);
    const fit = this.config('fit', atStep(this.data, step), step);
    Object.assign(yAxisOf(fit), { min: this.held.fit.min, max: this.held.fit.max });
    // a caption that comes and goes (a plateau's note) would move the plot: its lines are always there, blank when unsaid
    AnimationFrames.holdCaption(fit, this.captionIn('fit', fit), this.held.fit.captionLines);
    fit.options!.plugins!.legend = this.held.fit.legend;
    const loss = this.config('loss', grown, step);
    Object.assign(yAxisOf(loss), this.held.loss);
    const kinks = this.config('kinks', grown, step);
    AnimationFrames.holdCaption(kinks, this.captionIn('kinks', kinks), this.held.kinks.captionLines);
    const configs: Record<Panel, Config> = { fit, loss, kinks };
    const ctx = context(this.frameCanvas);
    this.header(ctx, step);
    for (const [panel, box] of Object.entries(this.layout.panels)) {
      const kept = this.charts.get(panel as Panel)!;
      const config = configs[panel as Panel];
      if (!kept.chart) kept.chart = new Chart(kept.canvas as unknown as HTMLCanvasElement, config as never);
      else {
        kept.chart.data = config.data as never;
        kept.chart.options = config.options as never;
        kept.chart.update('none');
      }
      ctx.drawImage(kept.canvas, box.x, box.y);
    }
    return this.frameCanvas;
  }

  /** The frame's pixels, RGBA. */
  pixels(): Rgba {
    return context(this.frameCanvas).getImageData(0, 0, this.request.width, this.request.height).data;
  }

  /** The step counter on the left, the models' names in their colours on the right. */
  private header(ctx: Context2D, step: number): void {
    const { width } = this.request;
    const height = this.layout.header;
    const c = colorsOf(this.request.theme);
    const s = this.scale;
    ctx.fillStyle = c.background;
    ctx.fillRect(0, 0, width, height);
    const pad = Math.round(16 * s);
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    ctx.fillStyle = c.text;
    ctx.font = `bold ${Math.round(24 * s)}px ${FONT_FAMILY}`;
    const last = this.steps.at(-1)!;
    ctx.fillText(`step ${points(step)}`, pad, height / 2);
    // "of …" where the last step's count ends: it stays put as the counter runs
    const counted = ctx.measureText(`step ${points(last)}`).width;
    ctx.font = `${Math.round(16 * s)}px ${FONT_FAMILY}`;
    ctx.fillStyle = c.muted;
    ctx.fillText(`of ${points(last)}`, pad + counted + 10 * s, height / 2);
    // the models, right-aligned, one per line: a swatch of the line each draws with, then its name
    const looks = looksOf(this.data);
    const sizes = new Map<number, number>();
    for (const m of this.data.models) sizes.set(m.groupIndex, (sizes.get(m.groupIndex) ?? 0) + 1);
    const models = this.data.models;
    const line = Math.min(height / (models.length + 0.5), 22 * s);
    ctx.font = `${Math.round(Math.min(15 * s, line * 0.8))}px ${FONT_FAMILY}`;
    ctx.textAlign = 'right';
    models.forEach((m, k) => {
      const y = height / 2 + (k - (models.length - 1) / 2) * line;
      const name = modelLabel({ theme: this.request.theme }, this.data, m);
      ctx.fillStyle = c.text;
      ctx.fillText(name, width - pad, y);
      const x = width - pad - ctx.measureText(name).width - 8 * s;
      ctx.strokeStyle = modelColor(looks[m.groupIndex].family, m.index, sizes.get(m.groupIndex) ?? 1, this.request.theme);
      ctx.lineWidth = 3 * s;
      ctx.setLineDash(looks[m.groupIndex].dash.map((d) => d * s));
      ctx.beginPath();
      ctx.moveTo(x - 28 * s, y);
      ctx.lineTo(x, y);
      ctx.stroke();
      ctx.setLineDash([]);
    });
  }

  /** The whole animation as a GIF: one palette from its first, middle and last frames, then each frame in turn. */
  gif(): Uint8Array {
    const encoding = this.gifFrames();
    let next = encoding.next();
    while (!next.done) next = encoding.next();
    return next.value;
  }

  /**
   * The GIF a frame at a time: yields the count of frames encoded (0 once the palette is made, then after
   * each frame) and returns the file's bytes, so the app can give way to its window between frames (and
   * stop between them).
   */
  *gifFrames(): Generator<number, Uint8Array, void> {
    const { steps } = this;
    const sample = (step: number) => {
      this.frame(step);
      return this.pixels().slice();
    };
    const palette = paletteOf([steps[0], steps[steps.length >> 1], steps.at(-1)!].map(sample));
    const writer = new GifWriter(this.request.width, this.request.height, palette);
    yield 0; // the palette took three frames' drawing
    for (const [k, step] of steps.entries()) {
      this.frame(step);
      writer.add(this.pixels(), this.delays[k]);
      yield k + 1;
    }
    return writer.bytes();
  }

  /** Frees the charts (the app's canvases outlive them). */
  destroy(): void {
    for (const kept of this.charts.values()) kept.chart?.destroy();
  }
}

const captionOf = (config: Config): string[] => {
  const text = config.options!.plugins!.subtitle!.text;
  return config.options!.plugins!.subtitle!.display ? (Array.isArray(text) ? (text as string[]) : [text ?? '']) : [];
};

type Legend = NonNullable<NonNullable<Config['options']>['plugins']>['legend'];
const legendIn = (config: Config): Legend => config.options!.plugins!.legend;
const entriesOf = (legend: Legend) => (legend?.labels?.generateLabels?.(undefined as never) ?? []).length;
