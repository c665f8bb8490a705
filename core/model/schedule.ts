// LR schedules with PyTorch 1.13's semantics: the value at creation is the first step's lr,
// and step() is called after each optimizer step. Chainable forms are kept where PyTorch uses them.
import type { OptimizerConfig, ScheduleConfig } from '../preset/preset.ts';

export interface Schedule {
  readonly lr: number;
  /** Momentum for SGD where CyclicLR cycles it; undefined leaves the optimizer's own. */
  readonly momentum: number | undefined;
  step(): void;
}

export function makeSchedule(config: ScheduleConfig, optimizer: OptimizerConfig): Schedule {
  const lr = optimizer.lr;
  switch (config.kind) {
    case 'constant':
      return new Constant(lr);
    case 'cyclic':
      return new Cyclic(config);
    case 'step':
      return new StepLr(lr, config.stepSize, config.gamma);
    case 'cosine':
      return new Cosine(lr, config.tMax, config.etaMin);
  }
}

class Constant implements Schedule {
  readonly momentum = undefined;
  constructor(readonly lr: number) {}
  step(): void {}
}

type CyclicConfig = Extract<ScheduleConfig, { kind: 'cyclic' }>;

/** CyclicLR at epoch e, as its get_lr computes it from last_epoch: the lr, and the momentum it cycles. */
function cyclicAt(c: CyclicConfig, e: number): { lr: number; momentum: number } {
  const up = c.stepSizeUp;
  const totalSize = up + (c.stepSizeDown ?? up);
  const stepRatio = up / totalSize;
  const cycle = Math.floor(1 + e / totalSize);
  const x = 1 + e / totalSize - cycle;
  const scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
  const scale = c.mode === 'triangular' ? 1 : c.mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : c.gamma ** e;
  return {
    lr: c.baseLr + (c.maxLr - c.baseLr) * scaleFactor * scale,
    momentum: c.maxMomentum - (c.maxMomentum - c.baseMomentum) * scaleFactor * scale,
  };
}

/** torch.optim.lr_scheduler.CyclicLR: sets lr to base_lr on creation, computes lr from last_epoch. */
class Cyclic implements Schedule {
  lr: number;
  momentum: number | undefined;
  private epoch = 0;

  constructor(private readonly c: CyclicConfig) {
    this.lr = c.baseLr;
    this.momentum = c.cycleMomentum ? c.maxMomentum : undefined;
    this.update();
  }

  step(): void {
    this.epoch++;
    this.update();
  }

  private update(): void {
    const at = cyclicAt(this.c, this.epoch);
    this.lr = at.lr;
    if (this.c.cycleMomentum) this.momentum = at.momentum;
  }
}

/** torch.optim.lr_scheduler.StepLR, chainable form: lr *= gamma every stepSize steps. */
class StepLr implements Schedule {
  readonly momentum = undefined;
  private epoch = 0;
  constructor(
    public lr: number,
    private readonly stepSize: number,
    private readonly gamma: number,
  ) {}
  step(): void {
    this.epoch++;
    if (this.epoch % this.stepSize === 0) this.lr *= this.gamma;
  }
}

/** torch.optim.lr_scheduler.CosineAnnealingLR, chainable form (the recursion PyTorch's get_lr uses). */
class Cosine implements Schedule {
  readonly momentum = undefined;
  private epoch = 0;
  private readonly baseLr: number;
  constructor(
    public lr: number,
    private readonly tMax: number,
    private readonly etaMin: number,
  ) {
    this.baseLr = lr;
  }
  step(): void {
    const { tMax, etaMin, baseLr } = this;
    const e = ++this.epoch;
    if ((e - 1 - tMax) % (2 * tMax) === 0) {
      this.lr += ((baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    } else {
      this.lr = ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (this.lr - etaMin) + etaMin;
    }
  }
}

/**
 * The lr at step e without stepping there: CyclicLR's own formula, and PyTorch's closed forms
 * (_get_closed_form_lr) for StepLR and CosineAnnealingLR, which training steps in their chained forms
 * (the two agree but for float rounding). For charts, which need any step of a million at once.
 */
export function lrAt(config: ScheduleConfig, optimizer: OptimizerConfig, e: number): number {
  const lr = optimizer.lr;
  switch (config.kind) {
    case 'constant':
      return lr;
    case 'cyclic':
      return cyclicAt(config, e).lr;
    case 'step':
      return lr * config.gamma ** Math.floor(e / config.stepSize);
    case 'cosine':
      return config.etaMin + ((lr - config.etaMin) * (1 + Math.cos((Math.PI * e) / config.tMax))) / 2;
  }
}

/** The steps in [from, to) where the lr turns or jumps (cycle starts and peaks, step drops, cosine ends): a chart must not miss them. */
export function turningSteps(config: ScheduleConfig, from: number, to: number): number[] {
  const every = (period: number, offset: number) => {
    const out: number[] = [];
    for (let e = Math.ceil((from - offset) / period) * period + offset; e < to; e += period) out.push(e);
    return out;
  };
  switch (config.kind) {
    case 'constant':
      return [];
    case 'cyclic': {
      const total = config.stepSizeUp + (config.stepSizeDown ?? config.stepSizeUp);
      return [...every(total, 0), ...every(total, config.stepSizeUp)];
    }
    case 'step':
      return [...every(config.stepSize, 0), ...every(config.stepSize, config.stepSize - 1)];
    case 'cosine':
      return every(config.tMax, 0);
  }
}
