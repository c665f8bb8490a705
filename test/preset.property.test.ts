// The preset parser against generated input (fast-check): whatever it is given, it accepts a preset or
// throws one PresetError with one short line; and every preset it accepts trains for a few steps on the
// CPU kernels without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePreset, PresetError } from '../core/preset/parse.ts';
import { experimentOf } from '../electron/engine/experiment.ts';
import { makeTrainer, trainOwnStreams } from '../electron/engine/streams.ts';
import { quietHooks } from './helpers.ts';

/** Generated presets: the full count in CI, a tenth of it in a developer's fast loop. */
const RUNS = process.env.CI ? 2500 : 250;

/** Numbers as presets get them wrong: edge values, huge, negative, fractional, not numbers at all. */
const anyNumber = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e-300, 1e300, Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 31), 4096, 4097, 1e6, 1e6 + 1),
  fc.double(),
  fc.integer({ min: -10, max: 10_000 }),
);
const anyValue = fc.oneof(anyNumber, fc.string({ maxLength: 20 }), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));
/** Mostly a valid value, now and then anything at all: enough presets pass for training to be exercised, and every field gets wrong. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 30 }, { arbitrary: anyValue as fc.Arbitrary<unknown>, weight: 1 });
const int = (min: number, max: number) => fc.integer({ min, max });
const real = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const group = fc
  .record({
    name: mostly(fc.constantFrom('models', 'modelsB', 'g', 'wide')),
    models: mostly(int(1, 3)),
    hidden: mostly(fc.array(int(1, 12), { maxLength: 3 })),
    activation: mostly(
      fc.oneof(
        fc.record({ kind: fc.constant('leaky_relu'), negativeSlope: real(0, 1) }),
        fc.constantFrom({ kind: 'relu' }, { kind: 'tanh' }, { kind: 'sigmoid' }, { kind: 'linear' }),
      ),
    ),
    outputActivation: mostly(fc.boolean()),
    init: mostly(fc.constantFrom('torch-default', 'xavier-uniform', 'he-uniform')),
    data: mostly(fc.oneof(fc.record({ kind: fc.constantFrom('fresh', 'fixed'), batchSize: int(1, 300) }), fc.constant({ kind: 'grid' }))),
    optimizer: mostly(
      fc.oneof(
        fc.record({ kind: fc.constant('sgd'), lr: real(1e-6, 10), momentum: real(0, 0.99), weightDecay: real(0, 0.1) }),
        fc.record({ kind: fc.constant('adam'), lr: real(1e-6, 1), beta1: real(0, 0.99) }),
      ),
    ),
    schedule: mostly(
      fc.oneof(
        fc.constant({ kind: 'constant' }),
        fc.record({
          kind: fc.constant('cyclic'),
          mode: fc.constantFrom('triangular', 'triangular2', 'exp_range'),
          baseLr: real(1e-4, 0.1),
          maxLr: real(1e-3, 1),
          stepSizeUp: int(1, 50),
          gamma: real(0.5, 1),
          cycleMomentum: fc.constant(false),
        }),
        fc.record({ kind: fc.constant('step'), stepSize: int(1, 10), gamma: real(0.1, 1) }),
        fc.record({ kind: fc.constant('cosine'), tMax: int(1, 10), etaMin: real(0, 0.01) }),
      ),
    ),
    extra: fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, { arbitrary: anyValue, weight: 1 }),
  })
  .map(({ extra, ...g }) => (extra === undefined ? g : { ...g, extra }));

const preset = fc.record({
  format: mostly(fc.constant('minima-lab-preset')),
  version: mostly(fc.constant(1)),
  name: mostly(fc.string({ minLength: 1, maxLength: 30 })),
  description: mostly(fc.string({ maxLength: 40 })),
  seed: mostly(int(0, 2 ** 32)),
  rng: mostly(fc.constantFrom('torch', 'per-model')),
  target: mostly(
    fc.oneof(
      fc.record({ kind: fc.constant('step'), threshold: real(0, 1), low: real(-2, 2), high: real(-2, 2) }),
      fc.record({ kind: fc.constant('ramp'), from: real(0, 0.5), to: real(0.5, 1) }),
      fc.record({ kind: fc.constant('abs'), center: real(0, 1) }),
      fc.record({ kind: fc.constant('sine'), cycles: real(0, 5), amplitude: real(0, 2) }),
      fc.record({
        kind: fc.constant('piecewise-linear'),
        points: fc.constant([
          [0, 0],
          [0.5, 1],
          [1, 0],
        ]),
      }),
    ),
  ),
  validation: mostly(fc.record({ points: mostly(int(2, 2000)) })),
  stop: mostly(fc.record({ maxSteps: mostly(int(1, 5)), lossLimit: mostly(real(0, 0.1)) })),
  log: mostly(fc.record({ models: fc.array(int(0, 3), { maxLength: 2 }), steps: fc.constantFrom('seed', 'none') })),
  groups: mostly(fc.uniqueArray(group, { minLength: 1, maxLength: 3, selector: (g) => g.name })),
  extra: fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, { arbitrary: anyValue, weight: 1 }),
});

describe('the preset parser on generated presets', () => {
  it('accepts a preset or names one problem in one short line; every preset it accepts trains', () => {
    let accepted = 0;
    fc.assert(
      fc.property(preset, ({ extra, ...input }) => {
        const data = extra === undefined ? input : { ...input, extra };
        let parsed;
        try {
          parsed = parsePreset(data, 'generated.json');
        } catch (err) {
          expect(err).toBeInstanceOf(PresetError);
          const message = (err as PresetError).message;
          expect(message.startsWith('generated.json: ')).toBe(true);
          expect(message).not.toMatch(/\n/);
          expect(message.length).toBeLessThan(400);
          return;
        }
        accepted++;
        const exp = experimentOf({ ...parsed, stop: { ...parsed.stop, maxSteps: Math.min(parsed.stop.maxSteps, 3) } });
        const results = trainOwnStreams(
          exp,
          exp.models,
          makeTrainer(exp, 'fused', () => quietHooks, null),
        );
        expect(results).toHaveLength(exp.models.length);
        for (const r of results) expect(['reached', 'capped', 'diverged']).toContain(r.status);
      }),
      { numRuns: RUNS, seed: 20261129 },
    );
    // the generator reaches both sides: enough presets are accepted for training to be exercised
    expect(accepted).toBeGreaterThan(RUNS / 25);
  }, 120_000);
});
