// The .out log, line for line in the shape the seed script prints, with values formatted as
// PyTorch prints a CPU float32 scalar tensor (torch/_tensor_str.py, precision 4).

/** str(tensor) of a float32 scalar: tensor(0.9010), tensor(5.0000e-05), tensor(0.), tensor(nan). */
export function formatTensor(value: number): string {
  return `tensor(${formatFloat32(value)})`;
}

/** A value as PyTorch prints it inside tensor(...) after rounding it to float32. */
export function formatFloat32(value: number): string {
  const v = Math.fround(value);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.' : '0.';
  const abs = Math.abs(v);
  if (Number.isInteger(v)) return abs > 1e8 ? scientific(v) : `${v.toFixed(0)}.`;
  return abs > 1e8 || abs < 1e-4 ? scientific(v) : v.toFixed(4);
}

/** Python's '{:.4e}': two-digit exponent with its sign. */
function scientific(v: number): string {
  const [mantissa, exponent] = v.toExponential(4).split('e');
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/**
 * The first step at or after i that the seed's doPrint selects: 0, 1, 2, 5, 10; then 1 and 3 times each
 * power of ten up to 1e5; from 1e5 on, every multiple of the step's own power of ten.
 */
export function nextSeedPrint(i: number): number {
  if (i <= 10) return [0, 1, 2, 5, 5, 5, 10, 10, 10, 10, 10][i];
  const pow10 = 10 ** (String(i).length - 1);
  if (pow10 < 100000) return i <= pow10 ? pow10 : i <= 3 * pow10 ? 3 * pow10 : 10 * pow10;
  return Math.ceil(i / pow10) * pow10;
}

export const logLine = {
  groupHeader: (group: string) => `${group} training ...`,
  lossInit: (model: number, loss: number) => `iMod: ${model}  lossInit: ${formatTensor(loss)}`,
  step: (i: number, lossTrain: number, lossVal: number) =>
    `i: ${i} , lossTrain: ${formatTensor(lossTrain)} , lossVal: ${formatTensor(lossVal)}`,
  lossFinal: (model: number, loss: number, epochs: number) => `iMod: ${model}  lossFinl: ${formatTensor(loss)}  epochs: ${epochs}`,
};
