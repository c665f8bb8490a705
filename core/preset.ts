// The experiment preset: one typed, versioned, serialisable description of a run.
// The schema is the single definition; docs/presets.md documents it field by field. Pure: the renderer
// validates with it too (reading files is preset-file.ts).
import { z } from 'zod';
import { shapeOf } from './network.ts';
import { excerpt, problemOf } from './problems.ts';

export const PRESET_FORMAT = 'minima-lab-preset';
export const PRESET_VERSION = 1;

/**
 * What a preset may ask for: what one machine can train, keep in memory and store. Errors say the limit;
 * docs/security.md explains each.
 */
export const LIMITS = {
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
} as const;

const targetValue = z.number().min(-LIMITS.targetValue).max(LIMITS.targetValue);
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
    mode: z.enum(['triangular', 'triangular2', 'exp_range']).default('triangular'),
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

const Group = z
  .strictObject({
    name: z.string().min(1).max(100).regex(/^\S+$/, 'expected a name without spaces (it heads the group in the .out log)'),
    models: count.max(LIMITS.modelsPerGroup),
    hidden: z.array(count.max(LIMITS.width)).max(LIMITS.depth),
    activation: Activation,
    outputActivation: z.boolean(),
    init: z.enum(['torch-default', 'xavier-uniform', 'he-uniform']).default('torch-default'),
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

export const PresetSchema = z.strictObject({
  format: z.literal(PRESET_FORMAT),
  version: z.literal(PRESET_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(LIMITS.text).default(''),
  seed: z
    .int()
    .min(0)
    .max(2 ** 53 - 1),
  rng: z.enum(['torch', 'per-model']),
  target: Target,
  validation: z.strictObject({ points: z.int().min(2).max(LIMITS.validationPoints) }),
  stop: z.strictObject({ maxSteps: count, lossLimit: nonNegative }),
  log: z
    .strictObject({
      models: z.array(z.int().nonnegative()).max(LIMITS.logModels).default([0]),
      steps: z.union([z.enum(['seed', 'none']), z.strictObject({ every: count })]).default('seed'),
    })
    .default({ models: [0], steps: 'seed' }),
  groups: z
    .array(Group)
    .min(1)
    .max(LIMITS.groups)
    .refine((gs) => new Set(gs.map((g) => g.name)).size === gs.length, { message: 'expected distinct group names' })
    .refine((gs) => gs.reduce((n, g) => n + g.models, 0) <= LIMITS.models, {
      message: `too many models: at most ${LIMITS.models.toLocaleString('en-US')} in a run`,
    }),
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
export type Target = Preset['target'];
export type Activation = Group['activation'];
export type OptimizerConfig = Group['optimizer'];
export type ScheduleConfig = Group['schedule'];

/** A preset that failed to load: `where` names the file, `path` the field. */
export class PresetError extends Error {
  constructor(
    readonly where: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${where}: ${path ? `${path}: ` : ''}${problem}`);
    this.name = 'PresetError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

/** The value at a path inside data (for saying what was there). */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Validates plain data as a preset; throws one PresetError naming the first bad field. */
export function parsePreset(data: unknown, where = 'preset'): Preset {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PresetError(where, '', 'expected a JSON object');
  }
  const head = data as Record<string, unknown>;
  if (head.format !== PRESET_FORMAT) {
    throw new PresetError(where, 'format', `expected "${PRESET_FORMAT}", got ${excerpt(head.format)} (not a Minima Lab preset?)`);
  }
  if (head.version !== PRESET_VERSION) {
    throw new PresetError(
      where,
      'version',
      `version ${excerpt(head.version)} is not supported (this Minima Lab reads version ${PRESET_VERSION})`,
    );
  }
  const parsed = PresetSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PresetError(where, formatPath(issue.path), problemOf(issue, valueAt(data, issue.path)));
  }
  const preset = parsed.data;
  const largest = preset.groups.reduce((most, g) => Math.max(most, g.models), 0);
  preset.log.models.forEach((m, i) => {
    if (m >= largest) throw new PresetError(where, `log.models[${i}]`, `model ${m} does not exist (the largest group has ${largest})`);
  });
  return preset;
}
