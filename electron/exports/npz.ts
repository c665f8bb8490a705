// NumPy's .npz format: a zip of .npy arrays, as np.savez writes it (stored, uncompressed), for the
// snapshots `lab run --snapshots` writes. One line of Python loads them: `np.load("run.npz")`.
import { zipSync } from 'fflate';

export interface NpyArray {
  /** float32, or int64 for steps. */
  data: Float32Array | BigInt64Array;
  shape: number[];
}

/** One array in .npy format 1.0: the magic, a header padded to 64 bytes, the little-endian data. */
export function npy({ data, shape }: NpyArray): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : '<i8';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n'; // magic, version and length take 10 bytes
  const bytes = new Uint8Array(10 + header.length + data.byteLength);
  bytes.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  bytes.set(new TextEncoder().encode(header), 10);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length); // x86, ARM: little-endian
  return bytes;
}

/** The arrays as one .npz, each under its key (np.load's key: the name without .npy). */
export function npz(arrays: Map<string, NpyArray>): Uint8Array {
  // a fixed date, as np.savez's own is: the same run gives the same bytes
  const options = { level: 0, mtime: new Date('1980-01-01T00:00:00Z') } as const;
  return zipSync(Object.fromEntries([...arrays].map(([key, array]) => [`${key}.npy`, [npy(array), options]])));
}
