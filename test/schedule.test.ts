import { describe, expect, it } from 'vitest';
import { makeSchedule } from '../core/model/schedule.ts';
import { presetWith } from './helpers.ts';

function trace(schedule: object, optimizer: object, steps: number) {
  const g = presetWith({ schedule: schedule as never, optimizer: optimizer as never }).groups[0];
  const s = makeSchedule(g.schedule, g.optimizer);
  const lr: number[] = [];
  const momentum: (number | undefined)[] = [];
  for (let i = 0; i < steps; i++) {
    lr.push(s.lr);
    momentum.push(s.momentum);
    s.step();
  }
  return { lr, momentum };
}

// Expected values: opt.param_groups[0]['lr'] (and 'momentum') before each step, printed by PyTorch 1.13.
describe('LR schedules', () => {
  it('StepLR(step_size=3, gamma=0.5)', () => {
    expect(trace({ kind: 'step', stepSize: 3, gamma: 0.5 }, { kind: 'sgd', lr: 0.1 }, 10).lr).toEqual([
      0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125,
    ]);
  });

  it('CosineAnnealingLR(T_max=4, eta_min=0.01), past T_max too', () => {
    const expected = [
      0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363, 0.01, 0.023180194846605363, 0.05500000000000002,
      0.08681980515339469, 0.10000000000000006, 0.0868198051533947, 0.05500000000000005, 0.023180194846605412,
    ];
    const { lr } = trace({ kind: 'cosine', tMax: 4, etaMin: 0.01 }, { kind: 'sgd', lr: 0.1 }, 12);
    expect(lr).toHaveLength(expected.length);
    lr.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 15));
  });

  it('CyclicLR exp_range with cycle_momentum (base 0.01, max 0.1, up 2, down 3, gamma 0.9)', () => {
    const { lr, momentum } = trace(
      { kind: 'cyclic', mode: 'exp_range', baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2, stepSizeDown: 3, gamma: 0.9 },
      { kind: 'sgd', lr: 0.1, momentum: 0.5 },
      8,
    );
    const expectedLr = [0.01, 0.0505, 0.0829, 0.05374, 0.029683, 0.01, 0.03391484500000003, 0.053046721000000005];
    const expectedMomentum = [0.9, 0.8550000000000001, 0.8190000000000001, 0.8514, 0.8781300000000001, 0.9, 0.87342795, 0.85217031];
    expect([lr.length, momentum.length]).toEqual([expectedLr.length, expectedMomentum.length]);
    lr.forEach((v, i) => expect(v).toBeCloseTo(expectedLr[i], 15));
    momentum.forEach((v, i) => expect(v).toBeCloseTo(expectedMomentum[i], 15));
  });

  it('constant keeps the optimizer lr and leaves momentum alone', () => {
    const { lr, momentum } = trace({ kind: 'constant' }, { kind: 'adam', lr: 0.003 }, 3);
    expect(lr).toEqual([0.003, 0.003, 0.003]);
    expect(momentum).toEqual([undefined, undefined, undefined]);
  });
});
