// The statistics a sweep reports per cell: a proportion with its Wilson score interval, and the time to
// reach the loss limit as a time-to-event estimate (Kaplan–Meier), where a model that stops before it
// reaches (capped at the step limit, diverged, stopped) is censored rather than dropped or averaged in.

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** k of n, with a 95 % interval for the rate (low, high in [0, 1]; 0 and 1 for n = 0). */
export interface Proportion {
  k: number;
  n: number;
  low: number;
  high: number;
}

/** The Wilson score interval: sound at k = 0 and k = n and for small n, where the normal approximation is not. */
export function wilson(k: number, n: number, z = Z95): Proportion {
  if (n === 0) return { k, n, low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // exactly 0 (1) at k = 0 (k = n), where rounding would leave a hair off
  return { k, n, low: k === 0 ? 0 : center - half, high: k === n ? 1 : center + half };
}

/** The median of numbers (the mean of the middle two for an even count); null for none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One model's time to the event: when it reached the limit (`event`), or when it was last seen without reaching (censored). */
export interface Observation {
  time: number;
  event: boolean;
}

/**
 * The Kaplan–Meier estimate of S(t), the fraction not yet reached by time t, at each time with an
 * event, with a pointwise 95 % interval (Greenwood's variance on the log(−log S) scale, which keeps it
 * inside [0, 1]); and the times at which models were censored, with S there.
 */
export interface KaplanMeier {
  n: number;
  /** Event times, increasing; S steps down at each. `low` and `high` are NaN where S is 0 (no interval). */
  time: number[];
  survival: number[];
  low: number[];
  high: number[];
  /** Censoring times (each once), S at them, and how many models are still running after them. */
  censored: { time: number; survival: number; atRisk: number }[];
}

export function kaplanMeier(observations: Observation[], z = Z95): KaplanMeier {
  const sorted = [...observations].sort((a, b) => a.time - b.time);
  const km: KaplanMeier = { n: sorted.length, time: [], survival: [], low: [], high: [], censored: [] };
  let atRisk = sorted.length;
  let s = 1;
  let greenwood = 0;
  for (let i = 0; i < sorted.length;) {
    const t = sorted[i].time;
    let events = 0;
    let censored = 0;
    for (; i < sorted.length && sorted[i].time === t; i++) {
      if (sorted[i].event) events++;
      else censored++;
    }
    if (events) {
      s *= 1 - events / atRisk;
      greenwood += events === atRisk ? Infinity : events / (atRisk * (atRisk - events));
      const [low, high] = logLogInterval(s, greenwood, z);
      km.time.push(t);
      km.survival.push(s);
      km.low.push(low);
      km.high.push(high);
    }
    atRisk -= events + censored;
    if (censored) km.censored.push({ time: t, survival: s, atRisk });
  }
  return km;
}

/** exp(−exp(log(−log S) ± z·σ)), σ = √greenwood / |log S|: the interval for S, inside [0, 1]. */
function logLogInterval(s: number, greenwood: number, z: number): [number, number] {
  if (s <= 0 || !Number.isFinite(greenwood)) return [NaN, NaN]; // every model has reached: no interval (as in R's survival)
  if (s >= 1) return [1, 1];
  const sigma = Math.sqrt(greenwood) / Math.abs(Math.log(s));
  return [s ** Math.exp(z * sigma), s ** Math.exp(-z * sigma)];
}

/** A median time with its 95 % interval; null where the curve (or its band) never falls to one half. */
export interface MedianTime {
  median: number | null;
  low: number | null;
  high: number | null;
}

/** Within rounding of one half: a curve exactly at 0.5 takes the midpoint to the next event (as R's survival does). */
const HALF_TOLERANCE = 1e-9;

/** The first time a step curve falls to one half or below (the midpoint to the next step where it sits exactly at one half). */
function firstAtHalf(time: number[], curve: number[]): number | null {
  const k = curve.findIndex((v) => v <= 0.5 + HALF_TOLERANCE);
  if (k < 0) return null;
  if (Math.abs(curve[k] - 0.5) > HALF_TOLERANCE) return time[k];
  return k + 1 < time.length ? (time[k] + time[k + 1]) / 2 : time[k];
}

/**
 * The median time to the event and its interval (Brookmeyer–Crowley: the first times the band's lower
 * and upper edges fall to one half). With half or more of the models censored before reaching, there is no median: the
 * data say only that it lies beyond the cap.
 */
export function medianTime(km: KaplanMeier): MedianTime {
  return { median: firstAtHalf(km.time, km.survival), low: firstAtHalf(km.time, km.low), high: firstAtHalf(km.time, km.high) };
}
