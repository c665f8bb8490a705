// An animation as a GIF (gifenc), shared by `lab animate` and the app: one palette for every frame, so a
// colour never flickers between frames, and each frame after the first only its changed pixels (the rest
// transparent over the frame before), which keeps a chart animation a few MB.
import * as gifenc from 'gifenc';
import type { Palette } from 'gifenc';

// Node loads gifenc's CommonJS build, whose exports it sees only as the default one; a bundler its ES module's names
const { applyPalette, GIFEncoder, quantize } = 'quantize' in gifenc ? gifenc : (gifenc as unknown as { default: typeof gifenc }).default;

/** One frame's pixels, RGBA, row by row (a canvas's getImageData().data). */
export type Rgba = Uint8Array | Uint8ClampedArray;

/** Colours a frame may use; the last index of a GIF's 256 stands for "as the frame before". */
const COLORS = 255;
const UNCHANGED = COLORS;

/** Every nth pixel of the sample frames makes the palette: charts repeat their colours, and quantizing is the slow part. */
const PALETTE_STRIDE = 3;

/**
 * The animation's one palette, from a few of its frames (the first, one mid-way, the last: the growing
 * curves' colours and the frame's own are all in them).
 */
export function paletteOf(samples: readonly Rgba[]): Palette {
  const pixels = samples.reduce((n, s) => n + Math.ceil(s.length / 4 / PALETTE_STRIDE), 0);
  const sampled = new Uint8Array(pixels * 4);
  let at = 0;
  for (const s of samples) {
    for (let p = 0; p < s.length; p += 4 * PALETTE_STRIDE, at += 4) {
      sampled[at] = s[p];
      sampled[at + 1] = s[p + 1];
      sampled[at + 2] = s[p + 2];
      sampled[at + 3] = 255;
    }
  }
  const palette = quantize(sampled, COLORS);
  // a GIF's table holds a power of two: the unused entries (the transparent one among them) padded black
  while (palette.length <= UNCHANGED) palette.push([0, 0, 0]);
  return palette;
}

/** Writes frames one at a time into a GIF that loops forever; `bytes` once every frame is in. */
export class GifWriter {
  private readonly gif = GIFEncoder();
  private previous: Uint8Array | null = null;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly palette: Palette,
  ) {}

  /** A frame shown for `centiseconds` (a GIF's unit of delay). */
  add(rgba: Rgba, centiseconds: number): void {
    // gifenc reads the pixels as whole 32-bit words of their buffer: a view into a larger one is copied out
    const own = rgba.byteOffset === 0 && rgba.byteLength === rgba.buffer.byteLength ? rgba : rgba.slice();
    const index = applyPalette(own, this.palette.slice(0, COLORS));
    const delay = centiseconds * 10;
    const previous = this.previous;
    this.previous = index;
    if (!previous) {
      this.gif.writeFrame(index, this.width, this.height, { palette: this.palette, delay, repeat: 0 });
      return;
    }
    const changes = index.slice();
    for (let p = 0; p < changes.length; p++) if (changes[p] === previous[p]) changes[p] = UNCHANGED;
    // dispose 1: each frame stays under the next, whose transparent pixels show it
    this.gif.writeFrame(changes, this.width, this.height, { delay, transparent: true, transparentIndex: UNCHANGED, dispose: 1 });
  }

  bytes(): Uint8Array {
    this.gif.finish();
    return this.gif.bytes();
  }
}
