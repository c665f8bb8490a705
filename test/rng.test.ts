import { describe, expect, it } from 'vitest';
import { initParams } from '../electron/engine/init.ts';
import { perModelSeed, TorchGenerator } from '../electron/engine/rng.ts';
import { FIXTURES, presetWith, readJson } from './helpers.ts';

describe('TorchGenerator', () => {
  it('is MT19937 with init_genrand: the reference 10000th output for seed 5489 is 4123659995', () => {
    const g = new TorchGenerator(5489);
    let v = 0;
    for (let i = 0; i < 10000; i++) v = g.nextUint32();
    expect(v).toBe(4123659995);
  });

  it('draws torch.rand values as (u32 & 0xFFFFFF) * 2^-24, and fillRand/discard follow the same stream', () => {
    const a = new TorchGenerator(2025);
    const b = new TorchGenerator(2025);
    const batch = new Float64Array(700); // crosses a twist of the 624-word state
    a.fillRand(batch);
    for (let i = 0; i < 700; i++) expect(batch[i]).toBe((b.nextUint32() & 0xffffff) / 2 ** 24);
    a.discard(1000);
    b.discard(400);
    b.discard(600);
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it("initialises nn.Linear layers as PyTorch does (the wide fixture's initial weights)", () => {
    const f = readJson<{ init: Record<string, number[] | number[][]> }>(`${FIXTURES}wide-cyclic-seed2025.json`);
    const expected = ['0.weight', '0.bias', '2.weight', '2.bias'].flatMap((k) => f.init[k].flat());
    const params = initParams(presetWith({ hidden: [8] }).groups[0], new TorchGenerator(2025));
    expect(Array.from(params)).toEqual(expected);
  });

  it('xavier and he initialisers draw weights within their bounds and start biases at zero', () => {
    for (const init of ['xavier-uniform', 'he-uniform'] as const) {
      const group = presetWith({ hidden: [16], init }).groups[0];
      const p = initParams(group, new TorchGenerator(1));
      const bound1 = init === 'xavier-uniform' ? Math.sqrt(6 / 17) : Math.sqrt(6);
      expect(p.slice(0, 16).every((w) => Math.abs(w) <= bound1)).toBe(true);
      expect(Array.from(p.slice(16, 32))).toEqual(new Array(16).fill(0));
      expect(p[48]).toBe(0);
    }
  });

  it('derives distinct per-model seeds', () => {
    const seeds = new Set<number>();
    for (let g = 0; g < 4; g++) for (let m = 0; m < 100; m++) seeds.add(perModelSeed(2025, g, m));
    expect(seeds.size).toBe(400);
  });
});
