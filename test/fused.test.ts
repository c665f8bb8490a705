// The fused kernel against the direct kernel (sample-by-sample evaluation and backpropagation) on
// random networks, including the edge cases: units with zero input weight, ReLU, linear, no output activation.
import { describe, expect, it } from 'vitest';
import { PointSet, TrainingData } from '../electron/engine/data.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { DirectKernel } from '../electron/engine/kernels/direct.ts';
import { FusedKernel } from '../electron/engine/kernels/fused.ts';
import { piecewiseLinearNet } from '../core/model/network.ts';
import type { PresetInput } from '../core/preset/preset.ts';
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
