// NumPy's .npz format: a zip of .npy arrays, as np.savez writes it (stored, uncompressed), for models'
// snapshots (snapshots-file.ts). One line of Python loads them: `np.load("run.npz")`; readNpz reads back
// what this writes (float32 and int64 arrays, C order).
import { unzipSync, zipSync } from 'fflate';

export interface NpyArray {
  /** float32, or int64 for steps. */
  data: Float32Array | BigInt64Array;
  shape: number[];
}

/** One array in .npy format 1.0: the magic, a header padded to 64 bytes, the little-endian data. */
function npy({ data, shape }: NpyArray): Uint8Array {
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

/** The arrays of an .npz, by key; a file that is not one of ours is refused in one line (NpzError). */
/** `keys`: the arrays wanted, where not all: the others are not unpacked. */
export function readNpz(bytes: Uint8Array, keys?: readonly string[]): Map<string, NpyArray> {
  const wanted = keys && new Set(keys.map((key) => `${key}.npy`));
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (file) => !wanted || wanted.has(file.name) });
  } catch {
    throw new NpzError('not a .npz file (not a zip archive)');
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, entry] of Object.entries(entries)) {
    if (!name.endsWith('.npy')) throw new NpzError(`not a .npz file: it holds ${name}`);
    arrays.set(name.slice(0, -'.npy'.length), readNpy(entry, name));
  }
  return arrays;
}

export class NpzError extends Error {}

function readNpy(bytes: Uint8Array, name: string): NpyArray {
  const magic = new TextDecoder().decode(bytes.subarray(1, 6));
  if (bytes[0] !== 0x93 || magic !== 'NUMPY' || bytes[6] !== 1) throw new NpzError(`${name}: not a .npy array of format 1.0`);
  const headerLength = bytes[8] | (bytes[9] << 8);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header) || shape === undefined || (descr !== '<f4' && descr !== '<i8')) {
    throw new NpzError(`${name}: expected a float32 or int64 array in C order, got ${header.trim()}`);
  }
  const dims = shape
    .split(',')
    .filter((d) => d.trim() !== '')
    .map(Number);
  const data = bytes.slice(10 + headerLength); // a copy, aligned for the typed array
  const count = dims.reduce((n, d) => n * d, 1);
  if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0) || data.byteLength !== count * (descr === '<f4' ? 4 : 8)) {
    throw new NpzError(`${name}: ${data.byteLength} bytes of data for ${descr} of shape (${shape})`);
  }
  return { data: descr === '<f4' ? new Float32Array(data.buffer) : new BigInt64Array(data.buffer), shape: dims };
}
