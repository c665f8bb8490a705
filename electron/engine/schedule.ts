// LR schedules with PyTorch 1.13's semantics: the value at creation is the first step's lr,
// and step() is called after each optimizer step. Chainable forms are kept where PyTorch uses them.
import type { OptimizerConfig, ScheduleConfig } from '../../core/preset.ts';

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

/** torch.optim.lr_scheduler.CyclicLR: sets lr to base_lr on creation, computes lr from last_epoch. */
class Cyclic implements Schedule {
  lr: number;
  momentum: number | undefined;
  private epoch = 0;
  private readonly totalSize: number;
  private readonly stepRatio: number;

  constructor(private readonly c: Extract<ScheduleConfig, { kind: 'cyclic' }>) {
    const up = c.stepSizeUp;
    const down = c.stepSizeDown ?? up;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.lr = c.baseLr;
    this.momentum = c.cycleMomentum ? c.maxMomentum : undefined;
    this.update();
  }

  step(): void {
    this.epoch++;
    this.update();
  }

  private update(): void {
    const { c, epoch } = this;
    const cycle = Math.floor(1 + epoch / this.totalSize);
    const x = 1 + epoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = c.mode === 'triangular' ? 1 : c.mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : c.gamma ** epoch;
    this.lr = c.baseLr + (c.maxLr - c.baseLr) * scaleFactor * scale;
    if (c.cycleMomentum) this.momentum = c.maxMomentum - (c.maxMomentum - c.baseMomentum) * scaleFactor * scale;
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
