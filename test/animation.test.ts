// The animation's frame plan (which step each frame shows, how long it stays) and its GIF encoding, read
// back with gifuct-js as a viewer shows it. The frames themselves are drawn by `lab animate` (animate.test.ts).
import { decompressFrames, parseGIF } from 'gifuct-js';
import { describe, expect, it } from 'vitest';
import { frameDelays, frameSteps, playedRate } from '../core/charts/animation.ts';
import { GifWriter, paletteOf } from '../core/charts/gif.ts';
import { shownFrames } from './gif-frames.ts';

describe('the frame plan', () => {
  it('runs from step 0 to the last, strictly increasing, log-spaced on step + 1', () => {
    const steps = frameSteps(1_000_000, 120);
    expect(steps).toHaveLength(120);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(1_000_000);
    for (let k = 1; k < steps.length; k++) expect(steps[k]).toBeGreaterThan(steps[k - 1]);
    // each of the last frames 10^(6/119) ≈ 1.123 times the one before; frame 60 near 10^(360/119) ≈ 1060
    expect((steps[119] + 1) / (steps[118] + 1)).toBeCloseTo(1.1231, 3);
    expect((steps[100] + 1) / (steps[99] + 1)).toBeCloseTo(1.1231, 2);
    expect(Math.abs(steps[60] + 1 - 1060)).toBeLessThanOrEqual(1);
  });

  it('moves on a step a frame where the log spacing would repeat one', () => {
    expect(frameSteps(10, 5)).toEqual([0, 1, 2, 5, 10]);
    expect(frameSteps(1_000_000, 120).slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('repeats steps only where the run has fewer steps than frames', () => {
    const steps = frameSteps(3, 6);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(3);
    expect(new Set(steps)).toEqual(new Set([0, 1, 2, 3]));
    for (let k = 1; k < steps.length; k++) expect(steps[k]).toBeGreaterThanOrEqual(steps[k - 1]);
  });

  it('gives each frame its delay in whole centiseconds, the whole lasting frames / fps seconds', () => {
    expect(frameDelays(20, 10)).toEqual(Array(20).fill(10));
    expect(frameDelays(5, 50)).toEqual([2, 2, 2, 2, 2]);
    const thirty = frameDelays(120, 30);
    expect(thirty.slice(0, 6)).toEqual([3, 4, 3, 3, 4, 3]);
    expect(thirty.reduce((a, b) => a + b)).toBe(400);
    expect(frameDelays(7, 7).reduce((a, b) => a + b)).toBe(100);
    expect(playedRate(25)).toBe('25 fps');
    expect(playedRate(30)).toBe('30 fps on average (delays of 3 and 4 cs)');
  });
});

describe('the GIF', () => {
  const [width, height] = [64, 48];
  /** A white frame with a grey band and a red square at x, in four flat colours. */
  function frame(x: number): Uint8Array {
    const rgba = new Uint8Array(width * height * 4).fill(255);
    for (let p = 0; p < width * height; p++) {
      const [px, py] = [p % width, Math.floor(p / width)];
      const color =
        px >= x && px < x + 8 && py >= 20 && py < 28 ? [220, 30, 40] : py < 6 ? [90, 100, 110] : py === 40 ? [20, 60, 200] : null;
      if (color) rgba.set(color, p * 4);
    }
    return rgba;
  }

  it('shows every frame as drawn, with its delay, through one palette', () => {
    const frames = [0, 8, 16, 16, 40].map(frame);
    const writer = new GifWriter(width, height, paletteOf([frames[0], frames.at(-1)!]));
    frames.forEach((f, k) => writer.add(f, k + 2));
    const shown = shownFrames(writer.bytes());
    expect([shown.width, shown.height]).toEqual([width, height]);
    expect(shown.frames.map((f) => f.centiseconds)).toEqual([2, 3, 4, 5, 6]);
    shown.frames.forEach((f, k) => expect(Buffer.from(f.rgba).equals(Buffer.from(frames[k])), `frame ${k}`).toBe(true));
  });

  it('stores only what changed after the first frame (the rest transparent, left in place)', () => {
    const writer = new GifWriter(width, height, paletteOf([frame(0)]));
    for (const x of [0, 0, 4]) writer.add(frame(x), 5);
    const frames = decompressFrames(parseGIF(writer.bytes().slice().buffer), false);
    const transparent = (k: number) => frames[k].pixels.filter((p) => p === frames[k].transparentIndex).length;
    expect(frames[0].transparentIndex).toBeUndefined();
    expect(transparent(1)).toBe(width * height); // nothing moved
    // the square moved 4 pixels right: 4 columns of 8 rows uncovered, 4 covered
    expect(width * height - transparent(2)).toBe(2 * 4 * 8);
    expect(frames.slice(1).every((f) => f.disposalType === 1)).toBe(true);
  });
});
