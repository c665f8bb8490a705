// A preset as a standalone PyTorch script (`lab export torch`, the app's "Copy/Save as PyTorch script"):
// plain PyTorch in the seed script's style, depending on torch alone, that trains what `lab run` trains
// and prints its .out log line for line. Each part mirrors the lab code it reproduces: the streams
// (engine/streams.ts, rng.ts), the initial weights (init.ts), the batches (data.ts), the targets
// (core/model/target.ts), the loop and its stop rule (train.ts), the print schedule (tracker.ts) and the
// log lines (log-format.ts); test/torch-export.test.ts runs the scripts against `lab run`.
import { shapeOf } from '../../core/model/network.ts';
import type { Activation, Group, OptimizerConfig, Preset, ScheduleConfig, Target } from '../../core/preset/preset.ts';
import type { Expanded, SweepInfo } from '../../core/preset/sweep.ts';
import { nextSeedPrint } from '../engine/log-format.ts';
import { VERSION } from '../engine/version.ts';

/** What to export of a preset: one group of it, or one cell of its sweep (by the cell's group name); all of it by default. */
export interface TorchExportChoice {
  group?: string;
  cell?: string;
}

/** A part of a preset a script cannot train on its own, or a group or cell it does not have: one line saying why. */
export class TorchExportError extends Error {}

/** One group the script trains: a group of the preset, or a cell of its sweep. */
interface Trained {
  group: Group;
  /** The key its models' own streams derive from (Expanded.streams). */
  stream: number;
  /** Its class and, in torch mode, its list of models. */
  names: { model: string; list: string };
  /** Where a sweep's cell sits: its base group and its value on each axis, in words. */
  cell: string | null;
  /** What names its fields in a message: `groups[1].`, or `sweep cell net_16_CyclicLR: `. */
  where: string;
}

/** The script that trains `expanded` (or the group or cell chosen) as `lab run` does, as Python source. */
export function torchScript(expanded: Expanded, choice: TorchExportChoice = {}): string {
  const { preset } = expanded;
  const trained = chosenGroups(expanded, choice);
  const torchMode = preset.rng === 'torch';
  const groups = trained.map((t) => t.group);
  const drawsBatches = groups.some((g) => g.data.kind !== 'grid');
  const ownInits = [...new Set(groups.filter((g) => !(torchMode && g.init === 'torch-default')).map((g) => g.init))];
  const usesMath = ownInits.length > 0 || preset.target.kind === 'sine';
  // top-level blocks, two blank lines apart as PEP 8 has them
  const blocks: string[][] = [
    [...header(expanded, trained, choice), ...(usesMath ? ['import math', ''] : []), 'import torch', 'from torch import nn'],
    settings(preset),
    doPrintCode(preset.log.steps),
    ...targetCode(preset.target),
    gridCode(preset.validation.points),
    ...(drawsBatches ? [freshBatchCode(torchMode)] : []),
    ...(torchMode ? [] : [modelSeedCode(preset.seed)]),
    ...ownInits.map((init, k) => [...(k === 0 ? SKIP_INIT_NOTE : []), ...initCode(init, torchMode)]),
    ...trained.map((t) => modelClass(t, torchMode)),
    trainCode(torchMode && groups.some((g) => g.data.kind === 'fresh')),
    [
      `print(f'PyTorch {torch.__version__}, exported from Minima Lab ${VERSION}')`,
      ...(torchMode ? torchStreamRun(preset.seed, trained) : ownStreamsRun(trained)),
    ],
  ];
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n\n')}\n`;
}

/** The groups to train, in the lab's order, each with its stream key and its names in the script. */
function chosenGroups({ source, preset, sweep, streams }: Expanded, { group, cell }: TorchExportChoice): Trained[] {
  const bases = sweep?.cells.map((c) => c.base) ?? preset.groups.map((g) => g.name);
  const names = pythonNames(preset.groups.map((g) => g.name));
  const all = preset.groups.map((g, k) => ({
    group: g,
    stream: streams[k],
    names: names[k],
    cell: sweep && cellWords(sweep, k),
    where: sweep ? `sweep cell ${g.name}: ` : `groups[${k}].`,
  }));
  const listed = (items: string[]) => `${items.slice(0, 6).join(', ')}${items.length > 6 ? ', …' : ''}`;
  if (group !== undefined && !bases.includes(group)) {
    throw new TorchExportError(
      `--group ${group}: the preset has no group ${group} (its groups: ${listed(source.groups.map((g) => g.name))})`,
    );
  }
  if (cell !== undefined && !sweep) {
    throw new TorchExportError(`--cell ${cell}: the preset has no sweep, so no cells (--group picks one of its groups)`);
  }
  const chosen = all.filter((t, k) => (group === undefined || bases[k] === group) && (cell === undefined || t.group.name === cell));
  if (!chosen.length) {
    const cells = all.filter((_, k) => group === undefined || bases[k] === group).map((t) => t.group.name);
    throw new TorchExportError(
      `--cell ${cell}: the sweep has no cell ${cell}${group ? ` in group ${group}` : ''} (its cells: ${listed(cells)})`,
    );
  }
  if (preset.rng === 'torch' && chosen.length < all.length) {
    throw new TorchExportError(
      `--group ${group}: with rng torch every model of every group draws from one stream, so one group cannot train alone: export the whole preset, or give it per-model streams (rng per-model)`,
    );
  }
  const outOfRange = outsideFloat32(preset, chosen);
  if (outOfRange) throw new TorchExportError(outOfRange);
  return chosen;
}

/** The fields PyTorch holds in float32 (a group's, and the target's values): the lab holds them in float64. */
const FLOAT32_FIELDS = {
  activation: ['negativeSlope'],
  optimizer: ['lr', 'momentum', 'dampening', 'weightDecay', 'beta1', 'beta2', 'eps'],
  schedule: ['baseLr', 'maxLr', 'etaMin', 'baseMomentum', 'maxMomentum'],
} as const;
const FLOAT32_TARGET = ['low', 'high', 'amplitude', 'offset'] as const;
/** float32's smallest normal number and its largest. */
const FLOAT32_RANGE = { min: 2 ** -126, max: 3.4028234663852886e38 };

/**
 * The first number PyTorch cannot hold as the lab does, in one line: one too small for float32's normal
 * numbers (rounded to a subnormal or 0) or too large (infinite), where the lab holds it in float64.
 */
function outsideFloat32(preset: Preset, trained: Trained[]): string | null {
  const { target } = preset;
  const fields = (at: string, object: object, keys: readonly string[]) =>
    keys.map((k): [string, unknown] => [`${at}.${k}`, (object as Record<string, unknown>)[k]]);
  const numbers: [string, unknown][] = [
    ['stop.lossLimit', preset.stop.lossLimit],
    ...fields('target', target, FLOAT32_TARGET),
    ...(target.kind === 'piecewise-linear' ? target.points.map(([, y], k): [string, unknown] => [`target.points[${k}][1]`, y]) : []),
    ...trained.flatMap(({ group, where }) =>
      Object.entries(FLOAT32_FIELDS).flatMap(([object, keys]) =>
        fields(`${where}${object}`, group[object as keyof typeof FLOAT32_FIELDS], keys),
      ),
    ),
  ];
  const outside = numbers.find(
    ([, v]) => typeof v === 'number' && v !== 0 && !(Math.abs(v) >= FLOAT32_RANGE.min && Math.abs(v) <= FLOAT32_RANGE.max),
  );
  if (!outside) return null;
  const [path, value] = outside as [string, number];
  const [size, range, there] =
    Math.abs(value) < FLOAT32_RANGE.min
      ? ['small', `its normal numbers start at ${FLOAT32_RANGE.min.toPrecision(2)}`, 'rounded there']
      : ['large', `its numbers end at ${FLOAT32_RANGE.max.toPrecision(2)}`, 'infinite there'];
  return `${path}: ${value} is too ${size} for float32 (${range}), in which PyTorch holds it: ${there}, it trains another network than the lab, which holds it in float64`;
}

/** A sweep cell's place in words: its group and its value on each axis ("net with hidden 16, schedule CyclicLR"). */
function cellWords(sweep: SweepInfo, k: number): string {
  const { base, at } = sweep.cells[k];
  return `${JSON.stringify(base)} with ${sweep.axes.map((a, i) => `${a.field} ${a.labels[at[i]]}`).join(', ')}`;
}

function header({ source, preset, sweep }: Expanded, trained: Trained[], { group, cell }: TorchExportChoice): string[] {
  const what = cell
    ? `Sweep cell ${JSON.stringify(cell)}: group ${trained[0].cell} (one of the sweep's ${preset.groups.length} cells).`
    : group
      ? `Group ${JSON.stringify(group)} only${sweep ? `: its ${trained.length} sweep cells one after another` : ''}.`
      : sweep
        ? `A sweep: its ${preset.groups.length} cells one after another, in the order lab run logs them.`
        : null;
  const streams =
    preset.rng === 'torch'
      ? `rng torch: one stream, torch.manual_seed(${source.seed}), consumed in the seed script's order.`
      : `rng per-model: each model draws from its own torch.Generator, seeded as the lab seeds it.`;
  return [
    `# ${JSON.stringify(source.name)}: a Minima Lab preset as a standalone PyTorch script (lab export torch, Minima Lab ${VERSION}).`,
    ...(what ? [`# ${what}`] : []),
    '# It trains what `lab run` trains as PyTorch computes it: the same random streams, initial weights, batches,',
    "# validation grid and targets, optimizers, schedules and stop rule; it prints the lab's .out log line for line,",
    "# the values to PyTorch's float32 rounding (the lab computes in float64).",
    `# ${streams}`,
    '# Needs torch alone: python3 script.py > script.out',
  ];
}

function settings(preset: Preset): string[] {
  const { maxSteps, lossLimit } = preset.stop;
  const logged = preset.log.models.length ? `{${preset.log.models.join(', ')}}` : 'set()';
  return [
    `nEpoch = ${maxSteps}  # steps at most (stop.maxSteps): the last is step ${maxSteps - 1}`,
    `lossLim = ${num(lossLimit)}  # a model stops once its validation loss is at or below this (stop.lossLimit)`,
    `logged = ${logged}  # the models of each group that print their steps (log.models)`,
    ...(preset.log.steps === 'seed'
      ? [`printAt = {${seedPrintSteps(maxSteps).join(', ')}}  # the seed's doPrint steps below nEpoch (log.steps: seed)`]
      : []),
  ];
}

/** Which steps print (tracker.ts's printSchedule); the last step and the stopping one print too. */
function doPrintCode(steps: Preset['log']['steps']): string[] {
  const print =
    steps === 'seed'
      ? 'return i in printAt'
      : steps === 'none'
        ? 'return False  # log.steps: none'
        : `return i % ${steps.every} == 0  # log.steps: every ${steps.every}`;
  return ['def doPrint(i):', `    ${print}`];
}

/** The steps below `maxSteps` that the seed's doPrint selects (log-format.ts's schedule). */
function seedPrintSteps(maxSteps: number): number[] {
  const steps: number[] = [];
  for (let i = nextSeedPrint(0); i < maxSteps; i = nextSeedPrint(i + 1)) steps.push(i);
  return steps;
}

/** fGoal (and its points): the target as PyTorch code, in float64 on exact inputs, as core/model/target.ts computes it. */
function targetCode(target: Target): string[][] {
  const doc = (words: string) => ['def fGoal(x):', `    # the target: ${words}, in float64 on exact inputs as the lab computes it`];
  switch (target.kind) {
    case 'step': {
      const { threshold, low, high } = target;
      return [
        [
          ...doc(`a step (${num(high)} where x > ${num(threshold)}, else ${num(low)})`),
          `    return torch.where(x > ${num(threshold)}, x.new_tensor(${num(high)}), x.new_tensor(${num(low)}))`,
        ],
      ];
    }
    case 'ramp': {
      const [from, to, low, high] = [target.from, target.to, target.low, target.high].map(num);
      return [
        [
          ...doc(`a ramp (${low} up to x = ${from}, linear to ${high} at x = ${to}, ${high} after)`),
          `    inside = ${low} + (${high} - ${low}) * (x - ${from}) / (${to} - ${from})`,
          `    return torch.where(x <= ${from}, x.new_tensor(${low}), torch.where(x >= ${to}, x.new_tensor(${high}), inside))`,
        ],
      ];
    }
    case 'abs':
      return [[...doc(`|x - ${num(target.center)}|`), `    return (x - ${num(target.center)}).abs()`]];
    case 'sine': {
      const [cycles, amplitude, offset] = [target.cycles, target.amplitude, target.offset].map(num);
      return [
        [
          ...doc(`a sine (${offset} + ${amplitude} sin(2 pi ${cycles} x))`),
          `    return ${offset} + ${amplitude} * torch.sin(2 * math.pi * ${cycles} * x)`,
        ],
      ];
    }
    case 'piecewise-linear': {
      const column = (k: 0 | 1) => `torch.tensor([${target.points.map((p) => num(p[k])).join(', ')}], dtype=torch.float64)`;
      return [
        [`pointsX = ${column(0)}`, `pointsY = ${column(1)}`],
        [
          ...doc('piecewise linear through (pointsX, pointsY), constant beyond the ends'),
          '    k = torch.searchsorted(pointsX, x).clamp(1, len(pointsX) - 1)  # the first point at or right of x',
          '    inside = pointsY[k - 1] + (pointsY[k] - pointsY[k - 1]) * (x - pointsX[k - 1]) / (pointsX[k] - pointsX[k - 1])',
          '    return torch.where(x <= pointsX[0], pointsY[0], torch.where(x >= pointsX[-1], pointsY[-1], inside))',
        ],
      ];
    }
  }
}

function gridCode(points: number): string[] {
  return [
    `# the validation grid x_i = i / ${points - 1}, exact in float64 (the model computes in float32)`,
    `grid = torch.arange(${points}, dtype=torch.float64).unsqueeze(1) / ${points - 1}`,
    'inputs = grid.float()',
    'outputs = fGoal(grid).float()',
    'lossFn = nn.MSELoss()',
  ];
}

function freshBatchCode(torchMode: boolean): string[] {
  return [
    `def freshBatch(size${torchMode ? '' : ', generator'}):`,
    '    # size new uniform samples: every step (data: fresh), or once as a model starts training (data: fixed)',
    `    inp = torch.rand(size, 1${torchMode ? '' : ', generator=generator'})`,
    '    return inp, fGoal(inp.double()).float()',
  ];
}

/** perModelSeed (engine/rng.ts) in Python: the seed of one model's own stream. */
function modelSeedCode(seed: number): string[] {
  return [
    'def modelSeed(stream, iMod):',
    `    # a model's own stream: the run's seed (${seed}), its group's stream key and its index, mixed as the lab mixes them`,
    '    mask = 0xFFFFFFFF',
    `    h = (${seed} & mask) ^ (((stream + 1) * 0x9E3779B9) & mask) ^ (((iMod + 1) * 0x85EBCA6B) & mask)`,
    '    h = ((h ^ (h >> 16)) * 0x7FEB352D) & mask',
    '    h = ((h ^ (h >> 15)) * 0x846CA68B) & mask',
    '    return h ^ (h >> 16)',
  ];
}

const SKIP_INIT_NOTE = [
  "# The layers below are built by nn.utils.skip_init, which draws nothing: nn.Linear's own draws would shift the",
  "# random stream. These draw each layer's weight (row by row), then its bias, as the lab does.",
];

/** An initialiser of a list of layers, drawn in the lab's order (engine/init.ts). */
function initCode(init: Group['init'], torchMode: boolean): string[] {
  const from = torchMode ? '' : ', generator=generator';
  const head = (name: string, words: string) => [
    `def ${name}(layers${torchMode ? '' : ', generator'}):`,
    `    # ${words}`,
    '    with torch.no_grad():',
    '        for layer in layers:',
  ];
  switch (init) {
    case 'torch-default':
      return [
        ...head('initTorchDefault', "nn.Linear's own: the weight by kaiming_uniform_(a=sqrt(5)), the bias U(+-1/sqrt(fan_in))"),
        '            gain = math.sqrt(2 / (1 + math.sqrt(5) ** 2))',
        '            bound = math.sqrt(3) * (gain / math.sqrt(layer.in_features))',
        `            layer.weight.uniform_(-bound, bound${from})`,
        '            bound = 1 / math.sqrt(layer.in_features)',
        `            layer.bias.uniform_(-bound, bound${from})`,
      ];
    case 'xavier-uniform':
      return [
        ...head('initXavierUniform', 'xavier_uniform_ weights (gain 1), zero biases'),
        '            bound = math.sqrt(6 / (layer.in_features + layer.out_features))',
        `            layer.weight.uniform_(-bound, bound${from})`,
        '            layer.bias.zero_()',
      ];
    case 'he-uniform':
      return [
        ...head('initHeUniform', "kaiming_uniform_ weights (nonlinearity 'relu'), zero biases"),
        '            bound = math.sqrt(3) * (math.sqrt(2) / math.sqrt(layer.in_features))',
        `            layer.weight.uniform_(-bound, bound${from})`,
        '            layer.bias.zero_()',
      ];
  }
}

const INIT_FUNCTIONS: Record<Group['init'], string> = {
  'torch-default': 'initTorchDefault',
  'xavier-uniform': 'initXavierUniform',
  'he-uniform': 'initHeUniform',
};

function activationModule(a: Activation): string | null {
  switch (a.kind) {
    case 'leaky_relu':
      return `nn.LeakyReLU(negative_slope=${num(a.negativeSlope)})`;
    case 'relu':
      return 'nn.ReLU()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'linear':
      return null;
  }
}

/** A group's network as an nn.Sequential: nn.Linear's own draws in torch mode with its default init, else the lab's order. */
function modelClass({ group, names, cell }: Trained, torchMode: boolean): string[] {
  const { widths } = shapeOf(group.hidden);
  const shapes = widths.slice(1).map((w, l) => `${widths[l]}, ${w}`);
  const act = activationModule(group.activation);
  const activated = (l: number) => act !== null && (l < shapes.length - 1 || group.outputActivation);
  const ownInit = !(torchMode && group.init === 'torch-default');
  const layer = (l: number) => (ownInit ? `layers[${l}]` : `nn.Linear(${shapes[l]})`);
  const sequence = shapes.flatMap((_, l) => (activated(l) ? [layer(l), 'act'] : [layer(l)]));
  const activation = act === null ? 'no activation' : `${act} after ${group.outputActivation ? 'every layer' : 'each hidden layer'}`;
  return [
    `# ${cell ? `sweep cell ${JSON.stringify(group.name)}: group ${cell}` : `group ${JSON.stringify(group.name)}`}: ${widths.join('-')}, ${activation}, init ${group.init}`,
    `class ${names.model}(nn.Sequential):`,
    `    def __init__(self${torchMode ? '' : ', generator'}):`,
    ...(ownInit
      ? [
          `        layers = [${shapes.map((s) => `nn.utils.skip_init(nn.Linear, ${s})`).join(', ')}]`,
          `        ${INIT_FUNCTIONS[group.init]}(layers${torchMode ? '' : ', generator'})`,
        ]
      : []),
    ...(act === null ? [] : [`        act = ${act}`]),
    `        super().__init__(${sequence.join(', ')})`,
  ];
}

/** The seed's loop for one model (engine/train.ts), with the lab's stop rule and its lines of the .out log. */
function trainCode(discardsWhenDiverged: boolean): string[] {
  return [
    'def train(iMod, model, opt, sched, nextBatch):',
    '    with torch.no_grad():',
    '        lossInit = lossFn(model(inputs), outputs)',
    "    print('iMod:', iMod, ' lossInit:', lossInit)",
    '    for i in range(nEpoch):',
    '        inp, out = nextBatch()',
    '        pred = model(inp)',
    '        lossTrain = lossFn(pred, out)',
    '        with torch.no_grad():',
    '            lossVal = lossFn(model(inputs), outputs)',
    '        if iMod in logged and (doPrint(i) or i == nEpoch - 1 or lossVal <= lossLim):',
    "            print('i:', i, ', lossTrain:', lossTrain.detach(), ', lossVal:', lossVal)",
    '        if lossVal <= lossLim:',
    '            break',
    '        if not (lossTrain.isfinite() and lossVal.isfinite()):',
    ...(discardsWhenDiverged
      ? [
          '            # diverged: the lab stops the model here, and the one stream still advances by the batches the',
          "            # rest of its steps would have drawn, so the models after it see the seed script's batches",
          '            for _ in range(i + 1, nEpoch):',
          '                nextBatch()',
        ]
      : ['            # diverged: the lab stops a model whose loss is NaN or infinite']),
    '            break',
    '        opt.zero_grad()',
    '        lossTrain.backward()',
    '        opt.step()',
    '        if sched is not None:',
    '            sched.step()',
    '    with torch.no_grad():',
    '        lossFinl = lossFn(model(inputs), outputs)',
    "    print('iMod:', iMod, ' lossFinl:', lossFinl, ' epochs:', i)",
  ];
}

/** rng torch (engine/streams.ts): every model of every group initialised first, in order, then each trains in turn. */
function torchStreamRun(seed: number, trained: Trained[]): string[] {
  return [
    '# rng torch: one stream; every model of every group is initialised first, in order, then each trains in turn',
    `torch.manual_seed(${seed})`,
    ...trained.map(({ group, names }) => `${names.list} = [${names.model}() for _ in range(${group.models})]`),
    ...trained.flatMap(({ group, names }) => [
      '',
      `print(${pythonString(`${group.name} training ...`)})`,
      `for iMod, model in enumerate(${names.list}):`,
      ...trainingCall(group, ''),
    ]),
  ];
}

/** rng per-model: each model initialised from and trained on its own torch.Generator, one after another. */
function ownStreamsRun(trained: Trained[]): string[] {
  return trained.flatMap(({ group, names, stream, cell }) => [
    '',
    ...(cell ? [`# sweep cell ${JSON.stringify(group.name)}: group ${cell}`] : []),
    `print(${pythonString(`${group.name} training ...`)})`,
    `for iMod in range(${group.models}):`,
    `    gen = torch.Generator().manual_seed(modelSeed(${stream}, iMod))`,
    `    model = ${names.model}(gen)`,
    ...trainingCall(group, ', gen'),
  ]);
}

/** A model's optimizer, schedule and batches, and its training, inside the loop over a group's models. */
function trainingCall(group: Group, generator: string): string[] {
  const sched = scheduleCode(group.schedule);
  const data = group.data;
  const train = (batches: string) => `    train(iMod, model, opt, ${sched ? 'sched' : 'None'}, ${batches})`;
  return [
    `    opt = ${optimizerCode(group.optimizer)}`,
    ...(sched ? [`    sched = ${sched}`] : []),
    ...(data.kind === 'fresh'
      ? [train(`lambda: freshBatch(${data.batchSize}${generator})`)]
      : data.kind === 'fixed'
        ? [`    batch = freshBatch(${data.batchSize}${generator})  # one batch, drawn as the model starts training`, train('lambda: batch')]
        : [`${train('lambda: (inputs, outputs)')}  # the validation grid is the only batch`]),
  ];
}

/** torch.optim's SGD or Adam with the preset's settings; PyTorch's defaults (the preset's too) left out. */
function optimizerCode(o: OptimizerConfig): string {
  const args = [`lr=${num(o.lr)}`];
  if (o.kind === 'sgd') {
    if (o.momentum !== 0) args.push(`momentum=${num(o.momentum)}`);
    if (o.dampening !== 0) args.push(`dampening=${num(o.dampening)}`);
    if (o.nesterov) args.push('nesterov=True');
  } else {
    if (o.beta1 !== 0.9 || o.beta2 !== 0.999) args.push(`betas=(${num(o.beta1)}, ${num(o.beta2)})`);
    if (o.eps !== 1e-8) args.push(`eps=${num(o.eps)}`);
  }
  if (o.weightDecay !== 0) args.push(`weight_decay=${num(o.weightDecay)}`);
  return `torch.optim.${o.kind === 'sgd' ? 'SGD' : 'Adam'}(model.parameters(), ${args.join(', ')})`;
}

/** torch.optim.lr_scheduler's own schedule (core/model/schedule.ts follows it); null for a constant lr. */
function scheduleCode(s: ScheduleConfig): string | null {
  const args: string[] = ['opt'];
  switch (s.kind) {
    case 'constant':
      return null;
    case 'cyclic':
      args.push(`base_lr=${num(s.baseLr)}`, `max_lr=${num(s.maxLr)}`);
      if (s.stepSizeUp !== 2000) args.push(`step_size_up=${s.stepSizeUp}`);
      if (s.stepSizeDown !== undefined) args.push(`step_size_down=${s.stepSizeDown}`);
      if (s.mode !== 'triangular') args.push(`mode='${s.mode}'`);
      if (s.gamma !== 1) args.push(`gamma=${num(s.gamma)}`);
      if (!s.cycleMomentum) args.push('cycle_momentum=False');
      else {
        if (s.baseMomentum !== 0.8) args.push(`base_momentum=${num(s.baseMomentum)}`);
        if (s.maxMomentum !== 0.9) args.push(`max_momentum=${num(s.maxMomentum)}`);
      }
      return `torch.optim.lr_scheduler.CyclicLR(${args.join(', ')})`;
    case 'step':
      args.push(`step_size=${s.stepSize}`);
      if (s.gamma !== 0.1) args.push(`gamma=${num(s.gamma)}`);
      return `torch.optim.lr_scheduler.StepLR(${args.join(', ')})`;
    case 'cosine':
      args.push(`T_max=${s.tMax}`);
      if (s.etaMin !== 0) args.push(`eta_min=${num(s.etaMin)}`);
      return `torch.optim.lr_scheduler.CosineAnnealingLR(${args.join(', ')})`;
  }
}

/** A number as a Python float literal: the same double (JavaScript and Python both write the shortest that reads back). */
function num(v: number): string {
  if (Object.is(v, -0)) return '-0.0';
  const text = String(v);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** Text as a Python string literal; a lone surrogate becomes U+FFFD, as the lab's log writes it. */
function pythonString(text: string): string {
  const whole = text.replace(/\p{Cs}/gu, '\ufffd');
  return /^[\x20-\x7e]*$/.test(whole) && !/['\\]/.test(whole) ? `'${whole}'` : JSON.stringify(whole);
}

/** Names the script itself uses, and Python's keywords: a group's class or list never takes one. */
const TAKEN = new Set(
  [
    'math torch nn nEpoch lossLim logged printAt doPrint fGoal pointsX pointsY grid inputs outputs lossFn freshBatch modelSeed',
    'initTorchDefault initXavierUniform initHeUniform train iMod model opt sched gen batch print range enumerate len set',
    'False None True and as assert async await break class continue def del elif else except finally for from global if',
    'import in is lambda nonlocal not or pass raise return try while with yield match case type',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Each group's class (its name capitalised) and list of models (its name), as Python identifiers: other
 * characters become _, a name not starting with a letter gets `net` before it, and a name already taken
 * gets _2, _3, …
 */
function pythonNames(groups: string[]): { model: string; list: string }[] {
  const taken = new Set(TAKEN);
  return groups.map((name) => {
    const plain = name.replace(/[^A-Za-z0-9_]/g, '_');
    const base = /^[A-Za-z]/.test(plain) ? plain : `net${plain}`;
    let names = { model: '', list: '' };
    for (let n = 1; n === 1 || taken.has(names.model) || taken.has(names.list); n++) {
      const id = n === 1 ? base : `${base}_${n}`;
      names = { model: id[0].toUpperCase() + id.slice(1), list: id[0].toLowerCase() + id.slice(1) };
    }
    taken.add(names.model).add(names.list);
    return names;
  });
}
