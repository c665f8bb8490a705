// Animations for slides (`lab animate`): the app's animation frames (core/charts/animation.ts) drawn by
// Chart.js on @napi-rs/canvas and written as a GIF.
import { createCanvas } from '@napi-rs/canvas';
import { AnimationFrames, type AnimationRequest } from '../../core/charts/animation.ts';
import type { ChartData } from '../../core/charts/data.ts';

/** The animation of `request.models` as a GIF file's bytes, with its frame count. */
export function renderAnimation(data: ChartData, request: AnimationRequest): { gif: Buffer; frames: number } {
  const frames = new AnimationFrames(data, request, (width, height) => createCanvas(width, height));
  try {
    return { gif: Buffer.from(frames.gif()), frames: frames.steps.length };
  } finally {
    frames.destroy();
  }
}
