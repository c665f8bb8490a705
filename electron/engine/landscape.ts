// The loss landscape around one model: its validation loss on a plane through its parameters at one of its
// snapshots, along two directions — filter-normalised random ones (Li et al., NeurIPS 2018, as in their
// code: each neuron's incoming weights scaled to that neuron's norm in the model, bias directions zero;
// seeded) or the first two principal directions of the model's own trajectory (its snapshots minus the
// centre), with the trajectory projected onto them — and on the straight line from its initial to its
// final parameters (Goodfellow et al., ICLR 2015). Every loss is the training kernels' own validation loss.
import type { Group } from '../../core/preset/preset.ts';
import { LANDSCAPE_FORMAT, type Directions, type Landscape } from '../../core/results/landscape.ts';
import { shapeOf } from '../../core/model/network.ts';
import type { TrainedModel } from '../../core/results/events.ts';
import { modelName, SNAPSHOTS_KEPT_FOR } from '../../core/results/snapshots.ts';
import type { Experiment } from './experiment.ts';
import { TorchGenerator } from './rng.ts';
import { makeKernel, type CpuBackend } from './train.ts';

export interface LandscapeRequest {
  /** The step whose snapshot is the centre (default: the model's last). */
  step?: number;
  directions: Directions;
  /** Points along each axis (odd, so the centre is one of them). */
  grid: number;
  /** α and β run over [−span, span] (default: 1 for random directions, the trajectory's reach × 1.25 for pca). */
  span?: number;
  /** The random directions' seed. */
  seed: number;
  /** The kernel that computes the losses (default: fused where it applies, as training does). */
  backend?: CpuBackend;
}

/** A plane that cannot be drawn as asked, said in one line. */
export class LandscapeError extends Error {}

/** The slice's t: from half a path before the start to half after the end. */
const SLICE = { from: -0.5, to: 1.5, points: 201 };

/** `model`: a result with its snapshots (as training returns it, or as read back from its .npz). */
export function landscapeOf(exp: Experiment, model: TrainedModel, request: LandscapeRequest): Landscape {
  if (!Number.isInteger(request.grid) || request.grid < 3 || request.grid % 2 === 0) {
    throw new LandscapeError(`a landscape's grid takes an odd number of points from 3 (the centre one of them), got ${request.grid}`);
  }
  const group = exp.preset.groups[model.groupIndex];
  const { step: steps, params: rows } = model.snapshots;
  if (!steps.length) {
    throw new LandscapeError(`it kept no snapshots (they are kept for ${SNAPSHOTS_KEPT_FOR})`);
  }
  const size = shapeOf(group.hidden).size;
  if (rows[0].length !== size)
    throw new LandscapeError(`its snapshots hold ${rows[0].length} parameters, its network ${size}: not this model's`);
  const k = request.step === undefined ? steps.length - 1 : steps.lastIndexOf(request.step);
  if (k < 0) throw new LandscapeError(`it has no snapshot at step ${request.step} (it has ${describeSteps(steps)})`);
  const centre = rows[k];
  const path = rows.map((row) => row.map((v, p) => v - centre[p]));
  const [d1, d2] = request.directions === 'pca' ? principalDirections(path) : randomDirections(group, centre, request.seed);
  const trajectory =
    request.directions === 'pca' ? { step: steps, alpha: path.map((row) => dot(row, d1)), beta: path.map((row) => dot(row, d2)) } : null;
  const reach = trajectory ? Math.max(...trajectory.alpha.map(Math.abs), ...trajectory.beta.map(Math.abs)) : 0;
  const span = request.span ?? (trajectory ? (reach > 0 ? reach * 1.25 : 1) : 1);
  const axis = Array.from({ length: request.grid }, (_, i) => (span * (2 * i - (request.grid - 1))) / (request.grid - 1));
  const lossAt = validationLoss(exp, group, request.backend ?? 'fused');
  const loss = axis.map((b) => axis.map((a) => lossAt(centre.map((v, p) => v + a * d1[p] + b * d2[p]))));
  const t = Array.from({ length: SLICE.points }, (_, i) => SLICE.from + ((SLICE.to - SLICE.from) * i) / (SLICE.points - 1));
  const [start, end] = [model.initialParams, model.finalParams];
  return {
    format: LANDSCAPE_FORMAT,
    version: 1,
    model: modelName(model),
    step: steps[k],
    directions: request.directions,
    seed: request.seed,
    span,
    params: centre,
    d1,
    d2,
    alpha: axis,
    beta: axis,
    loss,
    trajectory,
    slice: { t, loss: t.map((s) => lossAt(start.map((v, p) => (1 - s) * v + s * end[p]))) },
  };
}

/**
 * The validation loss at given parameters, as the training loop measures it (float32 parameters): one
 * kernel, its parameters set in place for each point (the fused kernel's closed form where it applies).
 */
function validationLoss(exp: Experiment, group: Group, backend: CpuBackend): (params: number[]) => number {
  const kernel = makeKernel(backend, group, new Float32Array(shapeOf(group.hidden).size), exp);
  return (values) => {
    kernel.params.set(values);
    kernel.paramsChanged();
    return kernel.valLoss();
  };
}

/** Two Gaussian directions, each neuron's incoming weights scaled to that neuron's norm in `params`; biases 0. */
export function randomDirections(group: Group, params: number[], seed: number): [number[], number[]] {
  const shape = shapeOf(group.hidden);
  const rng = new TorchGenerator(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const direction = () => {
    const d = new Array<number>(shape.size).fill(0);
    for (let l = 0; l + 1 < shape.widths.length; l++) {
      const inputs = shape.widths[l];
      for (let row = 0; row < shape.widths[l + 1]; row++) {
        const at = shape.weightAt[l] + row * inputs;
        for (let i = 0; i < inputs; i++) d[at + i] = gaussian();
        const scale = norm(params.slice(at, at + inputs)) / norm(d.slice(at, at + inputs));
        for (let i = 0; i < inputs; i++) d[at + i] *= scale;
      }
    }
    return d;
  };
  return [direction(), direction()];
}

/**
 * The first two principal directions of the rows (orthonormal): power iteration on their Gram matrix, which
 * is deflated by each direction found; each search starts from the Gram matrix's largest column, in its range.
 */
export function principalDirections(rows: number[][]): [number[], number[]] {
  const size = rows[0].length;
  const gram = Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0)));
  const found: number[][] = [];
  let firstValue = 0;
  for (let c = 0; c < 2; c++) {
    let v = unit(orthogonalTo([...gram].sort((a, b) => norm(b) - norm(a))[0], found));
    for (let it = 0; it < 1000; it++) {
      const next = unit(
        orthogonalTo(
          gram.map((row) => dot(row, v)),
          found,
        ),
      );
      const moved = norm(next.map((x, i) => x - v[i]));
      v = next;
      if (moved < 1e-13) break;
    }
    const value = dot(
      v,
      gram.map((row) => dot(row, v)),
    );
    // a path with no (further) extent spans no plane
    if (!(value > 1e-12 * (c === 0 ? 1 : firstValue))) {
      throw new LandscapeError(
        c === 0
          ? 'its trajectory never moved: it has no principal directions (use random directions)'
          : 'its trajectory lies on a line: it has no second principal direction (use random directions)',
      );
    }
    if (c === 0) firstValue = value;
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) gram[i][j] -= value * v[i] * v[j];
    found.push(v);
  }
  return [found[0], found[1]];
}

function orthogonalTo(v: number[], basis: number[][]): number[] {
  let out = v;
  for (const b of basis) {
    const along = dot(out, b);
    out = out.map((x, i) => x - along * b[i]);
  }
  return out;
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function norm(v: number[]): number {
  return Math.sqrt(dot(v, v));
}

function unit(v: number[]): number[] {
  const n = norm(v);
  return n > 0 ? v.map((x) => x / n) : v.map((_, i) => (i === 0 ? 1 : 0));
}

function describeSteps(steps: number[]): string {
  return steps.length > 6 ? `${steps.slice(0, 3).join(', ')}, …, ${steps.slice(-2).join(', ')}` : steps.join(', ');
}
