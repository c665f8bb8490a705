// A GIF read back as a viewer shows it (gifuct-js): each frame whole, its transparent pixels the frame
// before's (what disposal 1, "leave in place", means), with its delay in centiseconds.
import { decompressFrames, parseGIF } from 'gifuct-js';

export interface ShownGif {
  width: number;
  height: number;
  frames: { rgba: Uint8ClampedArray; centiseconds: number; disposal: number }[];
}

export function shownFrames(bytes: Uint8Array): ShownGif {
  const parsed = parseGIF(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const { width, height } = parsed.lsd;
  const screen = new Uint8ClampedArray(width * height * 4);
  const frames = decompressFrames(parsed, true).map((frame) => {
    const { left, top, width: w, height: h } = frame.dims;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const from = (y * w + x) * 4;
        if (frame.patch[from + 3] === 0) continue;
        screen.set(frame.patch.subarray(from, from + 4), ((top + y) * width + left + x) * 4);
      }
    }
    // gifuct-js gives the delay in ms
    return { rgba: screen.slice(), centiseconds: frame.delay / 10, disposal: frame.disposalType };
  });
  return { width, height, frames };
}
