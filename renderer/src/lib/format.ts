/** A loss for tables: four decimals, or scientific notation below 0.001; a dash for none. */
export function formatLoss(v: number | null, digits = 4): string {
  return v === null || !Number.isFinite(v) ? '–' : v < 1e-3 ? v.toExponential(2) : v.toFixed(digits);
}
