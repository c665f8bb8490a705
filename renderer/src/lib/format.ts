/** A loss for tables: four decimals, or scientific notation below 0.001; a dash for none. */
export function formatLoss(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '–' : v < 1e-3 ? v.toExponential(2) : v.toFixed(4);
}

/** When a run started, as a person reads it: "29 Nov 2026, 21:03". */
export function when(iso: string): string {
  return iso
    ? new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })
    : '';
}
