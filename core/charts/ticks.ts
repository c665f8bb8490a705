// Axis ticks that read on a slide: log axes tick at 1, 2 and 5 per decade (Chart.js's auto-skip then
// thins them, keeping decades first, wherever labels would touch), and every label is written without
// trailing zeros: 1k, 10k, 1M; 0.005, 0.01, 0.1.

/** 0.005, 0.5, 2, 1k, 20k, 1M: the shortest exact form. */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  const compact = (v: number) => String(Number(v.toPrecision(4)));
  if (abs >= 1e6) return `${compact(value / 1e6)}M`;
  if (abs >= 1e3) return `${compact(value / 1e3)}k`;
  if (abs > 0 && abs < 1e-4) return value.toExponential(0).replace('e-', 'e−');
  return compact(value);
}

/** 1, 2 and 5 times each power of ten within [min, max]; the powers of ten are the major ticks. */
export function logTicks(min: number, max: number): { value: number; major: boolean }[] {
  const ticks: { value: number; major: boolean }[] = [];
  if (!(min > 0) || !(max >= min)) return ticks;
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const value = Number(`${m}e${e}`); // exact decimal: 5e-3, not 5 * 0.001
      if (value >= min * (1 - 1e-12) && value <= max * (1 + 1e-12)) ticks.push({ value, major: m === 1 });
    }
  }
  return ticks;
}

/** Tick options for a logarithmic axis: 1-2-5 ticks, thinned by Chart.js where they would touch. */
export function logTickOptions(padding: number) {
  return {
    autoSkip: true,
    autoSkipPadding: padding,
    maxRotation: 0,
    major: { enabled: true },
    callback: (value: number | string) => formatTick(Number(value)),
  };
}

/** The hook a logarithmic axis runs after Chart.js builds its ticks: ours replace them. */
export function replaceWithLogTicks(axis: { min: number; max: number; ticks: { value: number; major?: boolean }[] }): void {
  axis.ticks = logTicks(axis.min, axis.max);
}
