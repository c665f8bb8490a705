import { describe, expect, it } from 'vitest';
import { makeOptimizer } from '../electron/engine/optim.ts';
import { presetWith } from './helpers.ts';

const grads = [
  [0.5, -1.0, 0.25],
  [0.1, 0.2, -0.3],
  [-0.7, 0.4, 0.05],
  [0.3, 0.3, 0.3],
];

function trajectory(optimizer: object): number[][] {
  const config = presetWith({ optimizer: optimizer as never }).groups[0].optimizer;
  const params = Float32Array.from([1, -2, 0.5]);
  const opt = makeOptimizer(config, 3);
  return grads.map((g) => {
    opt.step(params, Float64Array.from(g), config.lr);
    return Array.from(params);
  });
}

// Expected: the parameters after each step of torch.optim with p.grad set to `grads`, printed by PyTorch 1.13.
describe('optimizers', () => {
  it.each([
    [
      { kind: 'sgd', lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 },
      [
        [0.9490000009536743, -1.8980000019073486, 0.47450000047683716],
        [0.8954356908798218, -1.8188713788986206, 0.472217857837677],
        [0.8956010341644287, -1.774382472038269, 0.4663333594799042],
        [0.8741229176521301, -1.7541003227233887, 0.4397108852863312],
      ],
    ],
    [
      { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true },
      [
        [0.9049999713897705, -1.809999942779541, 0.45249998569488525],
        [0.8454999923706055, -1.7669999599456787, 0.4892500042915344],
        [0.9339500069618225, -1.7862999439239502, 0.4858250021934509],
        [0.8935549855232239, -1.8246699571609497, 0.43024250864982605],
      ],
    ],
    [
      { kind: 'sgd', lr: 0.05, weightDecay: 0.1 },
      [
        [0.9699999690055847, -1.9399999380111694, 0.48499998450279236],
        [0.9601499438285828, -1.9402999877929688, 0.49757498502731323],
        [0.9903491735458374, -1.9505984783172607, 0.4925871193408966],
        [0.970397412776947, -1.9558454751968384, 0.47512418031692505],
      ],
    ],
    [
      { kind: 'adam', lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.05 },
      [
        [0.9900000095367432, -1.9900000095367432, 0.49000003933906555],
        [0.9818562269210815, -1.9844417572021484, 0.49112021923065186],
        [0.9833261966705322, -1.982431411743164, 0.49057888984680176],
        [0.9818316698074341, -1.9820947647094727, 0.4859684705734253],
      ],
    ],
  ])('%j follows torch.optim', (optimizer, expected) => {
    const steps = trajectory(optimizer);
    expect(steps).toHaveLength(expected.length);
    steps.forEach((step, k) => step.forEach((p, i) => expect(Math.abs(p - expected[k][i]), `step ${k} param ${i}`).toBeLessThan(1e-6)));
  });
});
