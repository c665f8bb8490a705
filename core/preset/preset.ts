// The experiment preset: one typed, versioned, serialisable description of a run.
// The schema is the single definition; docs/presets.md documents it field by field. Pure: the renderer
// validates with it too (reading files is preset-file.ts).
import { z } from 'zod';
import { shapeOf } from '../model/network.ts';

export const PRESET_FORMAT = 'minima-lab-preset';
/** 2 added `sweep`; a version-1 file reads unchanged (it is a version-2 preset without a sweep). */
export const PRESET_VERSION = 2;
export const PRESET_VERSIONS = [1, 2] as const;

/** Worker threads a local run may ask for (the app's Workers field, `lab run --workers`). */
export const MAX_WORKERS = 64;

/**
 * What a preset may ask for: what one machine can train, keep in memory and store. Errors say the limit;
 * docs/security.md explains each.
 */
export const LIMITS = {
  /** A preset's name, in characters. */
  name: 200,
  groups: 1000,
  modelsPerGroup: 10_000,
  models: 100_000,
  width: 4096,
  depth: 8,
  parametersPerModel: 1_000_000,
  batchSize: 1_000_000,
  validationPoints: 1_000_000,
  /** Largest target value (its square, summed over the grid, must stay far from overflow). */
  targetValue: 1e6,
  targetPoints: 10_000,
  logModels: 1000,
  text: 10_000,
  sweepAxes: 6,
  sweepValues: 100,
} as const;

const targetValue = z.number().min(-LIMITS.targetValue).max(LIMITS.targetValue);
/** The random streams: PyTorch's one, shared in the script's order, or one per model (parallel). */
export const RNG_MODES = ['torch', 'per-model'] as const;
export const INITS = ['torch-default', 'xavier-uniform', 'he-uniform'] as const;
/** A sweep cell's loss curves kept unless told otherwise: its charts draw these, its table counts every model. */
export const DEFAULT_CURVES_PER_CELL = 20;
/** CyclicLR's modes, as PyTorch names them. */
export const CYCLIC_MODES = ['triangular', 'triangular2', 'exp_range'] as const;

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();
const count = z.int().positive();

const Target = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('step'),
    threshold: targetValue.default(0.1),
    low: targetValue.default(0),
    high: targetValue.default(1),
  }),
  z
    .strictObject({
      kind: z.literal('ramp'),
      from: targetValue,
      to: targetValue,
      low: targetValue.default(0),
      high: targetValue.default(1),
    })
    .refine((t) => t.from < t.to, { message: 'expected from < to', path: ['to'] }),
  z.strictObject({ kind: z.literal('abs'), center: targetValue.default(0.5) }),
  z.strictObject({
    kind: z.literal('sine'),
    cycles: targetValue.default(1),
    amplitude: targetValue.default(1),
    offset: targetValue.default(0),
  }),
  z
    .strictObject({
      kind: z.literal('piecewise-linear'),
      points: z
        .array(z.tuple([targetValue, targetValue]))
        .min(2)
        .max(LIMITS.targetPoints),
    })
    .refine((t) => t.points.every((p, i) => i === 0 || p[0] > t.points[i - 1][0]), {
      message: 'expected points sorted by strictly increasing x',
      path: ['points'],
    }),
]);

const Activation = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('leaky_relu'), negativeSlope: nonNegative.default(0.01) }),
  z.strictObject({ kind: z.literal('relu') }),
  z.strictObject({ kind: z.literal('tanh') }),
  z.strictObject({ kind: z.literal('sigmoid') }),
  z.strictObject({ kind: z.literal('linear') }),
]);

const Data = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fresh'), batchSize: count.max(LIMITS.batchSize) }),
  z.strictObject({ kind: z.literal('fixed'), batchSize: count.max(LIMITS.batchSize) }),
  z.strictObject({ kind: z.literal('grid') }),
]);

const Optimizer = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('sgd'),
      lr: positive,
      momentum: nonNegative.default(0),
      dampening: nonNegative.default(0),
      nesterov: z.boolean().default(false),
      weightDecay: nonNegative.default(0),
    })
    .refine((o) => !o.nesterov || (o.momentum > 0 && o.dampening === 0), {
      message: 'nesterov needs momentum > 0 and dampening 0 (as in PyTorch)',
      path: ['nesterov'],
    }),
  z.strictObject({
    kind: z.literal('adam'),
    lr: positive.default(0.001),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    eps: positive.default(1e-8),
    weightDecay: nonNegative.default(0),
  }),
]);

const Schedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant') }),
  z.strictObject({
    kind: z.literal('cyclic'),
    mode: z.enum(CYCLIC_MODES).default('triangular'),
    baseLr: positive,
    maxLr: positive,
    stepSizeUp: count.default(2000),
    stepSizeDown: count.optional(),
    gamma: positive.default(1),
    cycleMomentum: z.boolean().default(true),
    baseMomentum: nonNegative.default(0.8),
    maxMomentum: nonNegative.default(0.9),
  }),
  z.strictObject({ kind: z.literal('step'), stepSize: count, gamma: positive.default(0.1) }),
  z.strictObject({ kind: z.literal('cosine'), tMax: count, etaMin: nonNegative.default(0) }),
]);

export const GroupSchema = z
  .strictObject({
    name: z.string().min(1).max(100).regex(/^\S+$/, 'expected a name without spaces (it heads the group in the .out log)'),
    models: count.max(LIMITS.modelsPerGroup),
    hidden: z.array(count.max(LIMITS.width)).max(LIMITS.depth),
    activation: Activation,
    outputActivation: z.boolean(),
    init: z.enum(INITS).default('torch-default'),
    data: Data,
    optimizer: Optimizer,
    schedule: Schedule.default({ kind: 'constant' }),
  })
  .refine((g) => !(g.schedule.kind === 'cyclic' && g.schedule.cycleMomentum && g.optimizer.kind !== 'sgd'), {
    message: 'cycleMomentum needs the sgd optimizer (set it to false for adam)',
    path: ['schedule', 'cycleMomentum'],
  })
  .refine((g) => shapeOf(g.hidden).size <= LIMITS.parametersPerModel, {
    message: `the network has too many parameters: at most ${LIMITS.parametersPerModel.toLocaleString('en-US')} a model`,
    path: ['hidden'],
  });

/** A group's fields a sweep may vary: any but its name and its number of models (the seeds per cell). */
const SWEEP_FIELD = new RegExp(
  `^(${Object.keys(GroupSchema.shape)
    .filter((k) => k !== 'name' && k !== 'models')
    .join('|')})(\\.[A-Za-z]\\w*)?$`,
);

const SweepAxis = z
  .strictObject({
    /** A field of a group, e.g. `hidden`, `optimizer.lr`, `schedule`, `data.kind`. */
    field: z.string().max(100).regex(SWEEP_FIELD, 'expected a group field such as hidden, optimizer.lr, schedule or data.batchSize'),
    /** Any value that field accepts, whole objects included; checked once expanded (core/preset/sweep.ts). */
    values: z.array(z.unknown()).min(1).max(LIMITS.sweepValues),
    /** How tables and charts name each value (default: from the value). */
    labels: z.array(z.string().trim().min(1).max(60)).max(LIMITS.sweepValues).optional(),
  })
  .refine((a) => !a.labels || a.labels.length === a.values.length, {
    message: 'expected one label per value',
    path: ['labels'],
  });

const Sweep = z
  .strictObject({
    axes: z
      .array(SweepAxis)
      .min(1)
      .max(LIMITS.sweepAxes)
      .refine((axes) => new Set(axes.map((a) => a.field)).size === axes.length, { message: 'expected each field on one axis only' }),
    /** Models per cell whose curves and weights the result keeps (the statistics use every model). */
    curvesPerCell: z.int().min(0).max(LIMITS.modelsPerGroup).default(DEFAULT_CURVES_PER_CELL),
  })
  .refine((s) => !s.axes.some((a) => s.axes.some((b) => b !== a && b.field.startsWith(`${a.field}.`))), {
    message: 'expected no axis inside another axis’s field (e.g. schedule and schedule.gamma)',
    path: ['axes'],
  });

export const PresetSchema = z.strictObject({
  format: z.literal(PRESET_FORMAT),
  /** Read as the current version: the format only grew. */
  version: z.literal(PRESET_VERSIONS).transform((): typeof PRESET_VERSION => PRESET_VERSION),
  name: z.string().min(1).max(LIMITS.name),
  description: z.string().max(LIMITS.text).default(''),
  seed: z
    .int()
    .min(0)
    .max(2 ** 53 - 1),
  rng: z.enum(RNG_MODES),
  target: Target,
  validation: z.strictObject({ points: z.int().min(2).max(LIMITS.validationPoints) }),
  stop: z.strictObject({ maxSteps: count, lossLimit: nonNegative }),
  log: z
    .strictObject({
      models: z.array(z.int().nonnegative()).max(LIMITS.logModels).default([0]),
      steps: z.union([z.enum(['seed', 'none']), z.strictObject({ every: count })]).default('seed'),
    })
    .prefault({}), // the fields' own defaults
  groups: z
    .array(GroupSchema)
    .min(1)
    .max(LIMITS.groups)
    .refine((gs) => new Set(gs.map((g) => g.name)).size === gs.length, { message: 'expected distinct group names' })
    .refine((gs) => gs.reduce((n, g) => n + g.models, 0) <= LIMITS.models, {
      message: `too many models: at most ${LIMITS.models.toLocaleString('en-US')} in a run`,
    }),
  /** Crosses every group with every combination of axis values; each group's `models` is then the seeds per cell. */
  sweep: Sweep.optional(),
});

/**
 * The value a choice field starts from when the editor switches it to another kind: the schema's own
 * defaults (PyTorch's), plus a starting value for each field that has none (SGD's lr, CyclicLR's range).
 */
const STARTING_VALUES = {
  target: {
    step: {},
    ramp: { from: 0.1, to: 0.3 },
    abs: {},
    sine: {},
    'piecewise-linear': {
      points: [
        [0, 0],
        [0.5, 1],
        [1, 0],
      ],
    },
  },
  activation: { leaky_relu: {}, relu: {}, tanh: {}, sigmoid: {}, linear: {} },
  data: { fresh: { batchSize: 100 }, fixed: { batchSize: 100 }, grid: {} },
  optimizer: { sgd: { lr: 0.1 }, adam: {} },
  schedule: { constant: {}, cyclic: { baseLr: 0.001, maxLr: 0.1 }, step: { stepSize: 1000 }, cosine: { tMax: 10000 } },
} as const satisfies { [F in ChoiceField]: Record<ChoiceKind<F>, object> };
const CHOICE_SCHEMAS = { target: Target, activation: Activation, data: Data, optimizer: Optimizer, schedule: Schedule };

/** The preset's fields that are one of several kinds. */
export type ChoiceField = keyof typeof CHOICE_SCHEMAS;
export type ChoiceValue<F extends ChoiceField> = z.output<(typeof CHOICE_SCHEMAS)[F]>;
export type ChoiceKind<F extends ChoiceField> = ChoiceValue<F>['kind'];

/** The kinds a choice field offers, in the order the schema lists them. */
export function kindsOf<F extends ChoiceField>(field: F): ChoiceKind<F>[] {
  return CHOICE_SCHEMAS[field].options.map((option) => option.shape.kind.value) as ChoiceKind<F>[];
}

/** A fresh value of one kind, with every default filled in by the schema itself. */
export function defaultsOf<F extends ChoiceField, K extends ChoiceKind<F>>(field: F, kind: K): Extract<ChoiceValue<F>, { kind: K }> {
  const start = (STARTING_VALUES[field] as Record<string, object>)[kind];
  return CHOICE_SCHEMAS[field].parse({ kind, ...start }) as Extract<ChoiceValue<F>, { kind: K }>;
}

export type Preset = z.output<typeof PresetSchema>;
export type PresetInput = z.input<typeof PresetSchema>;
export type Group = Preset['groups'][number];
export type SweepConfig = NonNullable<Preset['sweep']>;
export type Target = Preset['target'];
export type Activation = Group['activation'];
export type OptimizerConfig = Group['optimizer'];
export type ScheduleConfig = Group['schedule'];
