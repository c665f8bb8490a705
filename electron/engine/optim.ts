// torch.optim.SGD and torch.optim.Adam (PyTorch 1.13 semantics) over a flat float32 parameter vector.
import type { OptimizerConfig } from '../../core/preset/preset.ts';

export interface Optimizer {
  /** Applies one update with this step's learning rate (and momentum, where a schedule cycles it). */
  step(params: Float32Array, grad: Float64Array, lr: number, momentum?: number): void;
}

export function makeOptimizer(config: OptimizerConfig, size: number): Optimizer {
  return config.kind === 'sgd' ? new Sgd(config, size) : new Adam(config, size);
}

class Sgd implements Optimizer {
  private readonly buffer: Float32Array;
  private hasBuffer = false;

  constructor(
    private readonly config: Extract<OptimizerConfig, { kind: 'sgd' }>,
    size: number,
  ) {
    this.buffer = new Float32Array(size);
  }

  step(params: Float32Array, grad: Float64Array, lr: number, momentum = this.config.momentum): void {
    const { dampening, nesterov, weightDecay } = this.config;
    const buf = this.buffer;
    const first = !this.hasBuffer;
    if (momentum !== 0) this.hasBuffer = true;
    for (let k = 0; k < params.length; k++) {
      let d = grad[k];
      if (weightDecay !== 0) d += weightDecay * params[k];
      if (momentum !== 0) {
        buf[k] = first ? d : momentum * buf[k] + (1 - dampening) * d;
        d = nesterov ? d + momentum * buf[k] : buf[k];
      }
      params[k] -= lr * d;
    }
  }
}

class Adam implements Optimizer {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    private readonly config: Extract<OptimizerConfig, { kind: 'adam' }>,
    size: number,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  step(params: Float32Array, grad: Float64Array, lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.config;
    this.t++;
    const stepSize = lr / (1 - beta1 ** this.t);
    const correction2Sqrt = Math.sqrt(1 - beta2 ** this.t);
    const { m, v } = this;
    for (let k = 0; k < params.length; k++) {
      let g = grad[k];
      if (weightDecay !== 0) g += weightDecay * params[k];
      m[k] = beta1 * m[k] + (1 - beta1) * g;
      v[k] = beta2 * v[k] + (1 - beta2) * g * g;
      params[k] -= (stepSize * m[k]) / (Math.sqrt(v[k]) / correction2Sqrt + eps);
    }
  }
}
