// The fused kernel against the direct kernel (sample-by-sample evaluation and backpropagation) on
// random networks, including the edge cases: units with zero input weight, ReLU, linear, no output activation,
// and points exactly on a kink or on the output's root.
import { describe, expect, it } from 'vitest';
import { PointSet, TrainingData, type Batch } from '../electron/engine/data.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { initParams } from '../electron/engine/init.ts';
import { DirectKernel } from '../electron/engine/kernels/direct.ts';
import { FusedKernel } from '../electron/engine/kernels/fused.ts';
import { makeOptimizer } from '../electron/engine/optim.ts';
import { piecewiseLinearNet } from '../core/model/network.ts';
import type { Group, PresetInput } from '../core/preset/preset.ts';
import { TorchGenerator } from '../electron/engine/rng.ts';
import { presetWith } from './helpers.ts';

const activations = [
  { kind: 'leaky_relu', negativeSlope: 0.001 },
  { kind: 'leaky_relu', negativeSlope: 0.3 },
  { kind: 'relu' },
  { kind: 'linear' },
] as const;
const targets: PresetInput['target'][] = [
  { kind: 'step', threshold: 0.1, low: 0, high: 1 },
  { kind: 'ramp', from: 0.2, to: 0.7, low: -1, high: 2 },
  { kind: 'abs', center: 0.4 },
  { kind: 'sine', cycles: 2, amplitude: 1, offset: 0.5 },
  {
    kind: 'piecewise-linear',
    points: [
      [0, 0],
      [0.3, 1],
      [0.6, -0.5],
      [1, 0.2],
    ],
  },
];
const dataModes = [{ kind: 'fresh', batchSize: 37 }, { kind: 'fixed', batchSize: 64 }, { kind: 'grid' }] as const;

const relClose = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1e-12, Math.abs(a), Math.abs(b));

/**
 * Both kernels on one batch at the same parameters: the losses within `tol` relative, every gradient entry
 * within `tol` of the gradient's largest (an entry near 0 is a difference of sums the two kernels round apart).
 */
function expectSameStep(group: Group, params: Float32Array, grid: PointSet, batch: Batch, tol: number, label: string): Float64Array {
  const fused = new FusedKernel(group, params, grid);
  const direct = new DirectKernel(group, params, grid);
  expect(relClose(fused.trainLoss(batch), direct.trainLoss(batch), tol), `${label}: train loss`).toBe(true);
  expect(relClose(fused.valLoss(), direct.valLoss(), tol), `${label}: validation loss`).toBe(true);
  fused.backward();
  direct.backward();
  const scale = Math.max(...direct.grad.map(Math.abs));
  direct.grad.forEach((g, i) => expect(Math.abs(fused.grad[i] - g), `${label}: grad ${i}`).toBeLessThanOrEqual(tol * scale));
  return direct.grad;
}

describe('fused kernel', () => {
  it('supports exactly one hidden layer with a piecewise-linear activation', () => {
    expect(piecewiseLinearNet(presetWith({ hidden: [8] }).groups[0])).toBe(true);
    expect(piecewiseLinearNet(presetWith({ hidden: [8, 8] }).groups[0])).toBe(false);
    expect(piecewiseLinearNet(presetWith({ hidden: [8], activation: { kind: 'tanh' } }).groups[0])).toBe(false);
  });

  let trial = 0;
  for (const activation of activations)
    for (const outputActivation of [true, false])
      for (const data of dataModes) {
        it(`agrees with direct evaluation: ${activation.kind}${'negativeSlope' in activation ? ` ${activation.negativeSlope}` : ''}, output activation ${outputActivation}, ${data.kind} data`, () => {
          const rng = new TorchGenerator(++trial);
          for (const target of targets) {
            const hidden = 1 + (rng.nextUint32() % 12);
            const preset = presetWith({ hidden: [hidden], activation, outputActivation, data }, { target, validation: { points: 1001 } });
            const exp = experimentOf(preset);
            const group = preset.groups[0];
            for (let k = 0; k < 6; k++) {
              const params = new Float32Array(3 * hidden + 1).map(() => rng.uniform(-2, 2));
              if (k === 1) params[0] = 0; // a unit with no kink
              if (k === 2) {
                params[0] = 0;
                params[hidden] = -0.5;
              } // a unit that is never active
              if (k === 3) {
                // every kink outside [0, 1]: one linear piece covers the data
                for (let j = 0; j < hidden; j++) {
                  params[j] = 1;
                  params[hidden + j] = 2;
                  params[2 * hidden + j] = 0.1;
                }
                params[3 * hidden] = 5;
              }
              const fused = new FusedKernel(group, params, exp.gridPoints);
              const direct = new DirectKernel(group, params, exp.gridPoints);
              const batch = new TrainingData(group, new TorchGenerator(k), exp.target, exp.grid, exp.gridPoints).next();
              expect(relClose(fused.trainLoss(batch), direct.trainLoss(batch), 1e-11)).toBe(true);
              expect(relClose(fused.valLoss(), direct.valLoss(), 1e-11)).toBe(true);
              fused.backward();
              direct.backward();
              const scale = Math.max(...direct.grad.map(Math.abs));
              expect(fused.grad).toHaveLength(direct.grad.length);
              fused.grad.forEach((g, i) => expect(Math.abs(g - direct.grad[i]), `grad ${i}`).toBeLessThanOrEqual(1e-10 * scale + 1e-14));
            }
          }
        });
      }

  // xavier and he start every bias at zero: every kink and the output's root at x = 0, a grid point. PyTorch
  // takes a pre-activation of exactly 0 as the negative side there, for the units active left of their kink too.
  const onKinks = [{ kind: 'leaky_relu', negativeSlope: 0.01 }, { kind: 'leaky_relu', negativeSlope: 0.3 }, { kind: 'relu' }] as const;
  for (const init of ['xavier-uniform', 'he-uniform'] as const)
    for (const activation of onKinks)
      for (const outputActivation of [true, false])
        it(`agrees with direct evaluation step for step on the grid from ${init} init: ${activation.kind}${'negativeSlope' in activation ? ` ${activation.negativeSlope}` : ''}, output activation ${outputActivation}`, () => {
          // y(0) = 0.5: the point on the kinks has a residual, so its gradient counts
          const target = { kind: 'sine', cycles: 1.3, amplitude: 1, offset: 0.5 } as const;
          for (const hidden of [2, 4, 7, 16]) {
            const optimizer = { kind: 'adam', lr: 0.01 } as const;
            const preset = presetWith(
              { hidden: [hidden], activation, outputActivation, init, optimizer, data: { kind: 'grid' } },
              { target, validation: { points: 101 } },
            );
            const exp = experimentOf(preset);
            const group = preset.groups[0];
            const params = initParams(group, new TorchGenerator(hidden));
            const w1 = params.subarray(0, hidden);
            expect(w1.some((w) => w > 0) && w1.some((w) => w < 0), 'units active right and left of x = 0').toBe(true);
            const adam = makeOptimizer(group.optimizer, params.length);
            const batch = new TrainingData(group, new TorchGenerator(0), exp.target, exp.grid, exp.gridPoints).next();
            for (let step = 0; step < 5; step++) {
              const grad = expectSameStep(group, params, exp.gridPoints, batch, 1e-12, `width ${hidden}, step ${step}`);
              adam.step(params, grad, 0.01); // the direct kernel's trajectory: PyTorch's
            }
          }
        });

  it('agrees with direct evaluation on a sample exactly on a kink or the output root in a fresh or fixed batch', () => {
    const rng = new TorchGenerator(5);
    const xs = Float64Array.from({ length: 40 }, () => rng.uniform(0, 1));
    // x = 0 on the kinks of zero-bias units; 0.5 on the kink of w1 = -2, b1 = 1; 0.25 (twice) on the root of 0.25 - x
    xs[3] = 0;
    xs[17] = 0.5;
    xs[29] = 0.25;
    xs[30] = 0.25;
    const ys = xs.map((x) => Math.cos(5 * x) + 0.3);
    const fresh: Batch = { x: xs, y: ys, points: null };
    const fixed: Batch = { x: xs, y: ys, points: new PointSet(xs, ys, false) };
    const networks: [string, number[]][] = [
      // w1 (H), b1 (H), w2 (H), b2
      ['zero biases', [0.9, -0.7, 1.3, -0.4, 0, 0, 0, 0, 0.8, 1.1, -0.6, 0.5, 0]],
      ['a kink at 0.5, active left', [-2, 0.7, 1, 0.1, 0.6, -0.3, 0]],
      ['the output root at 0.25, descending', [-1, 1, 1, -0.75]],
    ];
    for (const activation of onKinks)
      for (const outputActivation of [true, false]) {
        const preset = presetWith({ hidden: [1], activation, outputActivation }, { validation: { points: 101 } });
        const grid = experimentOf(preset).gridPoints;
        for (const [name, values] of networks) {
          const hidden = (values.length - 1) / 3;
          const group = { ...preset.groups[0], hidden: [hidden] };
          for (const [kind, batch] of [
            ['fresh', fresh],
            ['fixed', fixed],
          ] as const)
            expectSameStep(
              group,
              Float32Array.from(values),
              grid,
              batch,
              1e-12,
              `${name}, ${activation.kind}, output ${outputActivation}, ${kind}`,
            );
        }
      }
  });

  it('computes the seed grid validation in closed form to 1e-13 of direct evaluation', () => {
    const preset = presetWith({ hidden: [8] });
    const exp = experimentOf(preset);
    const rng = new TorchGenerator(99);
    for (let k = 0; k < 50; k++) {
      const params = new Float32Array(25).map(() => rng.uniform(-1, 1));
      const fused = new FusedKernel(preset.groups[0], params, exp.gridPoints).valLoss();
      const direct = new DirectKernel(preset.groups[0], params, exp.gridPoints).valLoss();
      expect(Math.abs(fused - direct)).toBeLessThan(1e-13);
    }
  });

  it('counts sorted points at or below a value on the grid and in a general set alike', () => {
    const xs = Float64Array.from({ length: 11 }, (_, i) => i / 10);
    const grid = new PointSet(xs, xs, true);
    const searched = new PointSet(xs.slice().reverse(), xs, false);
    for (const t of [-1, 0, 0.05, 0.1, 0.55, 0.99, 1, 2]) expect(grid.countUpTo(t)).toBe(searched.countUpTo(t));
  });
});
