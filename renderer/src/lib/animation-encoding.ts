// An animation's file made in the window: its frames drawn by the composer `lab animate` uses
// (core/charts/animation.ts) on OffscreenCanvases, then a GIF (core/charts/gif.ts), or a WebM (VP9) or
// MP4 (H.264) through the browser's own video encoder (WebCodecs), muxed by mediabunny. A frame at a
// time on the window's thread, giving way between frames so the progress bar and Cancel stay live.
import { BufferTarget, CanvasSource, canEncodeVideo, Mp4OutputFormat, Output, QUALITY_HIGH, WebMOutputFormat } from 'mediabunny';
import { AnimationFrames, type AnimationRequest } from '../../../core/charts/animation.ts';
import type { ChartData } from '../../../core/charts/data.ts';
import type { AnimationFormat } from '../../../core/ipc/contract.ts';

export const FORMAT_NAMES: Record<AnimationFormat, string> = { gif: 'GIF', webm: 'WebM (VP9)', mp4: 'MP4 (H.264)' };
const CODECS = { webm: { codec: 'vp9', name: 'VP9' }, mp4: { codec: 'avc', name: 'H.264' } } as const;

/** An animation's composer on the window's OffscreenCanvases (Chart.js draws on them as on a Node canvas). */
export const framesOf = (data: ChartData, request: AnimationRequest): AnimationFrames =>
  new AnimationFrames(data, request, (width, height) => new OffscreenCanvas(width, height));

/** Why this window cannot write `format` at this size, or null where it can. */
export async function whyNot(format: AnimationFormat, width: number, height: number): Promise<string | null> {
  if (format === 'gif') return null;
  const { codec, name } = CODECS[format];
  if (typeof VideoEncoder === 'undefined') return `this window has no video encoder (WebCodecs), so no ${name}`;
  const can = await canEncodeVideo(codec, { width, height, quality: QUALITY_HIGH }).catch(() => false);
  return can ? null : `this window’s video encoder cannot write ${name} at ${width} × ${height}`;
}

/** Lets the window handle what waits (a click on Cancel, the progress bar's repaint) before the next frame. */
const giveWay = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface Encoding {
  /** Called after each frame with how many are done. */
  progress(done: number, total: number): void;
  /** Checked between frames: true stops the encoding, which then resolves to null. */
  cancelled(): boolean;
}

/** The animation's file, or null when cancelled; a failure (a video encoder's, mid-way) says which format failed. */
export async function encodeAnimation(
  data: ChartData,
  request: AnimationRequest,
  format: AnimationFormat,
  encoding: Encoding,
): Promise<Uint8Array | null> {
  const frames = framesOf(data, request);
  await giveWay(); // setting up the composer takes a moment of its own
  try {
    return format === 'gif' ? await gifOf(frames, encoding) : await videoOf(frames, request.fps, format, encoding);
  } catch (err) {
    throw new Error(`The ${FORMAT_NAMES[format]} could not be made: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    frames.destroy();
  }
}

async function gifOf(frames: AnimationFrames, encoding: Encoding): Promise<Uint8Array | null> {
  const total = frames.steps.length;
  const gif = frames.gifFrames();
  for (let next = gif.next(); ; next = gif.next()) {
    if (next.done) return next.value;
    encoding.progress(next.value, total);
    await giveWay();
    if (encoding.cancelled()) return null;
  }
}

async function videoOf(frames: AnimationFrames, fps: number, format: 'webm' | 'mp4', encoding: Encoding): Promise<Uint8Array | null> {
  const { steps } = frames;
  const canvas = frames.frame(steps[0]) as OffscreenCanvas;
  const output = new Output({
    // the index at the front, so a player starts before it has the whole file
    format: format === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(),
    target: new BufferTarget(),
  });
  const source = new CanvasSource(canvas, { codec: CODECS[format].codec, quality: QUALITY_HIGH });
  output.addVideoTrack(source, { frameRate: fps });
  await output.start();
  for (const [k, step] of steps.entries()) {
    if (k > 0) frames.frame(step);
    await source.add(k / fps, 1 / fps);
    encoding.progress(k + 1, steps.length);
    await giveWay();
    if (encoding.cancelled()) {
      await output.cancel();
      return null;
    }
  }
  await output.finalize();
  return new Uint8Array(output.target.buffer!);
}
