// PyTorch's CPU generator: MT19937 seeded with the standard init_genrand(seed).
// torch.rand / uniform_ on float32 use one 32-bit draw per element: (u32 & 0xFFFFFF) * 2^-24.

const N = 624;
const M = 397;

// The state is kept as Int32 so V8 stays in small-integer arithmetic (same bits as uint32).
export class TorchGenerator {
  private readonly state = new Int32Array(N);
  private index = N;

  constructor(seed: number) {
    const mt = this.state;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) | 0; // 1812433253 * prev + i, in 32-bit arithmetic
    }
  }

  /** The next 32-bit output of MT19937. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    return temper(this.state[this.index++]) >>> 0;
  }

  /** One float32 element of torch.rand: a multiple of 2^-24 in [0, 1). */
  nextFloat(): number {
    return (this.nextUint32() & 0xffffff) * TWO_TO_MINUS_24;
  }

  /** Fills `out` as torch.rand(out.length) does, element by element. */
  fillRand(out: Float64Array | Float32Array): void {
    const mt = this.state;
    const n = out.length;
    let i = 0;
    while (i < n) {
      if (this.index >= N) this.twist();
      // as many values as the state holds before the next twist, without a check per value
      let k = this.index;
      const end = Math.min(n, i + N - k);
      for (; i < end; i++) out[i] = (temper(mt[k++]) & 0xffffff) * TWO_TO_MINUS_24;
      this.index = k;
    }
  }

  /** The generator's state words and position, for a device that continues this stream where it stands. */
  snapshot(): { state: Uint32Array; index: number } {
    return { state: new Uint32Array(this.state), index: this.index };
  }

  /** Continues from where a device left the stream: its state words and position (as snapshot() gives them). */
  restore(state: Uint32Array, index: number): void {
    this.state.set(state);
    this.index = index;
  }

  /** Draws and discards n values (PyTorch would have consumed them). */
  discard(n: number): void {
    for (let i = 0; i < n; i++) {
      if (this.index >= N) this.twist();
      this.index++;
    }
  }

  /**
   * Tensor.uniform_(from, to) on float32: u * (to - from) + from, with the multiply-add fused as
   * PyTorch's vectorised CPU build does (u * width is exact in float64, so one rounding remains).
   */
  uniform(from: number, to: number): number {
    const f = Math.fround(from);
    const width = Math.fround(Math.fround(to) - f);
    return Math.fround(this.nextFloat() * width + f);
  }

  private twist(): void {
    const mt = this.state;
    let i = 0;
    for (; i < N - M; i++) mt[i] = mt[i + M] ^ mix(mt[i], mt[i + 1]);
    for (; i < N - 1; i++) mt[i] = mt[i + M - N] ^ mix(mt[i], mt[i + 1]);
    mt[N - 1] = mt[M - 1] ^ mix(mt[N - 1], mt[0]);
    this.index = 0;
  }
}

// MT19937's constants as signed int32 (|0), so no operation leaves V8's integer fast path.
const UPPER = 0x80000000 | 0;
const MATRIX_A = 0x9908b0df | 0;
const TEMPER_B = 0x9d2c5680 | 0;
const TEMPER_C = 0xefc60000 | 0;
const TWO_TO_MINUS_24 = 5.9604644775390625e-8;

function mix(current: number, next: number): number {
  const y = (current & UPPER) | (next & 0x7fffffff);
  return (y >>> 1) ^ (-(y & 1) & MATRIX_A);
}

function temper(x: number): number {
  let y = x ^ (x >>> 11);
  y ^= (y << 7) & TEMPER_B;
  y ^= (y << 15) & TEMPER_C;
  return y ^ (y >>> 18);
}

/** An independent 32-bit seed for one model, derived from the run seed (splitmix32-style mixing). */
export function perModelSeed(seed: number, group: number, model: number): number {
  let h = (seed >>> 0) ^ Math.imul(group + 1, 0x9e3779b9) ^ Math.imul(model + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
