// Every preset field's name as the editor shows it, in one place: the form's labels and the sentences
// that say where a problem is ("Group 2 (modelsB) › Learning rate") both come from here.
import type { INITS, RNG_MODES } from './preset.ts';

/** Labels of the top-level fields, by path. */
const TOP: Record<string, string> = {
  format: 'Format',
  version: 'Format version',
  name: 'Name',
  description: 'Description',
  seed: 'Seed',
  rng: 'Random streams',
  'validation.points': 'Validation points',
  'stop.maxSteps': 'Max steps',
  'stop.lossLimit': 'Loss limit',
  'log.models': 'Log models',
  'log.steps': 'Log steps',
  'log.steps.every': 'Every N steps',
  target: 'Target',
  'target.kind': 'Target',
  'target.threshold': 'Threshold',
  'target.low': 'Low',
  'target.high': 'High',
  'target.from': 'From',
  'target.to': 'To',
  'target.center': 'Center',
  'target.cycles': 'Cycles',
  'target.amplitude': 'Amplitude',
  'target.offset': 'Offset',
  'target.points': 'Points',
  groups: 'Groups',
  sweep: 'Sweep',
  'sweep.axes': 'Sweep axes',
  'sweep.curvesPerCell': 'Curves kept per cell',
};

/** Labels of a sweep axis's fields. */
const AXIS: Record<string, string> = { field: 'Field', values: 'Values', labels: 'Labels' };

/** Labels of a group's fields, by path inside the group. */
const GROUP: Record<string, string> = {
  name: 'Name',
  models: 'Models',
  hidden: 'Hidden widths',
  activation: 'Activation',
  'activation.kind': 'Activation',
  'activation.negativeSlope': 'Negative slope',
  outputActivation: 'Activation on the output',
  init: 'Initialisation',
  data: 'Training data',
  'data.kind': 'Training data',
  'data.batchSize': 'Batch size',
  optimizer: 'Optimizer',
  'optimizer.kind': 'Optimizer',
  'optimizer.lr': 'Learning rate',
  'optimizer.momentum': 'Momentum',
  'optimizer.dampening': 'Dampening',
  'optimizer.nesterov': 'Nesterov',
  'optimizer.weightDecay': 'Weight decay',
  'optimizer.beta1': 'β1',
  'optimizer.beta2': 'β2',
  'optimizer.eps': 'ε',
  schedule: 'LR schedule',
  'schedule.kind': 'LR schedule',
  'schedule.mode': 'Mode',
  'schedule.baseLr': 'Base lr',
  'schedule.maxLr': 'Max lr',
  'schedule.stepSizeUp': 'Steps up',
  'schedule.stepSizeDown': 'Steps down',
  'schedule.gamma': 'Gamma',
  'schedule.cycleMomentum': 'Cycle momentum',
  'schedule.baseMomentum': 'Base momentum',
  'schedule.maxMomentum': 'Max momentum',
  'schedule.stepSize': 'Step size',
  'schedule.tMax': 'T max',
  'schedule.etaMin': 'η min',
};

/** The choices of the fields that are one of a few values, as the editor offers them. */
export const CHOICE_NAMES = {
  rng: { torch: 'torch (one stream, in order)', 'per-model': 'per-model (parallel)' },
  init: { 'torch-default': 'PyTorch default', 'xavier-uniform': 'Xavier uniform', 'he-uniform': 'He uniform' },
} satisfies { rng: Record<(typeof RNG_MODES)[number], string>; init: Record<(typeof INITS)[number], string> };

const GROUP_PATH = /^groups\[(\d+)\](?:\.(.*))?$/;
const AXIS_PATH = /^sweep\.axes\[(\d+)\](?:\.(\w+))?/;

/** The group fields a sweep axis may vary, as the editor offers them: every group field but its name and size. */
export const SWEEP_FIELD_CHOICES = Object.keys(GROUP)
  .filter((f) => f !== 'name' && f !== 'models')
  .map((field) => ({ field, label: GROUP[field] }));

/** A field's label from its path: "groups[1].optimizer.lr" → "Learning rate"; list items → their list. */
export function fieldLabel(path: string): string {
  const plain = path.replace(/\[\d+\]$/, '').replace(/\[\d+\]$/, '');
  const group = GROUP_PATH.exec(plain);
  if (group) return group[2] === undefined ? `Group ${Number(group[1]) + 1}` : (GROUP[group[2]] ?? group[2]);
  const axis = AXIS_PATH.exec(path);
  if (axis) return `Sweep axis ${Number(axis[1]) + 1}${axis[2] ? ` › ${AXIS[axis[2]] ?? axis[2]}` : ''}`;
  return TOP[plain] ?? plain;
}

/** A group as the form heads it: "Group 2 (modelsB)", its index 0-based. */
export function groupHeading(index: number, name: unknown): string {
  return `Group ${index + 1}${typeof name === 'string' && name ? ` (${name})` : ''}`;
}

/** Where a problem is, in the form's words: "Group 2 (modelsB) › Learning rate", "Max steps", "the preset". */
export function describePath(path: string, preset: unknown): string {
  if (!path) return 'The preset';
  const group = GROUP_PATH.exec(path.replace(/\[\d+\]$/, ''));
  if (!group) return fieldLabel(path);
  const index = Number(group[1]);
  const groups = (preset as { groups?: { name?: unknown }[] } | null)?.groups;
  const heading = groupHeading(index, groups?.[index]?.name);
  return group[2] === undefined ? heading : `${heading} › ${fieldLabel(path)}`;
}
