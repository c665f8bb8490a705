// Types for gifenc (it ships none): the parts the animation's GIF encoder uses.
declare module 'gifenc' {
  export type Palette = number[][];
  export interface FrameOptions {
    palette?: Palette;
    /** Milliseconds; the GIF stores centiseconds (rounded). */
    delay?: number;
    transparent?: boolean;
    transparentIndex?: number;
    /** 0 = loop forever. */
    repeat?: number;
    /** The GIF disposal method; -1 leaves gifenc's choice. */
    dispose?: number;
  }
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  export function GIFEncoder(): Encoder;
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number): Palette;
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette): Uint8Array;
}
