// The loss landscape around one model, as computed (electron/engine/landscape.ts) and drawn
// (core/charts/landscape.ts, slice.ts): its validation loss on a plane through its parameters at one of its
// snapshots, and on the line from its initial to its final parameters, with every number needed to
// recompute any point.
export const LANDSCAPE_FORMAT = 'minima-lab-landscape';
export const DIRECTIONS = ['random', 'pca'] as const;
export type Directions = (typeof DIRECTIONS)[number];

/** Points along each axis of the plane: odd (the model's point is the centre one); `lab landscape --grid`'s and the app's. */
export const LANDSCAPE_GRID = { min: 3, max: 1001, default: 101 } as const;

/** Everything needed to recompute any point: loss[j][i] is the loss at params + alpha[i]·d1 + beta[j]·d2. */
export interface Landscape {
  format: typeof LANDSCAPE_FORMAT;
  version: 1;
  /** GROUP#INDEX, as the result names the model. */
  model: string;
  step: number;
  directions: Directions;
  seed: number;
  span: number;
  params: number[];
  d1: number[];
  d2: number[];
  alpha: number[];
  beta: number[];
  loss: number[][];
  /** The snapshots' coordinates on the plane (pca only: random directions are not orthogonal to the path). */
  trajectory: { step: number[]; alpha: number[]; beta: number[] } | null;
  /** The loss on (1 − t)·initial + t·final parameters. */
  slice: { t: number[]; loss: number[] };
}
