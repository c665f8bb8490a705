// The direct kernel: evaluates any MLP sample by sample and backpropagates. It runs every network
// the fused kernel cannot, and is the oracle the fused kernel is tested against.
import type { Batch, PointSet } from '../data.ts';
import { shapeOf, type Shape } from '../../../core/model/network.ts';
import type { Group } from '../../../core/preset/preset.ts';
import { activationFn, type ActivationFn } from '../../../core/model/activation.ts';
import type { Kernel } from './kernel.ts';

export class DirectKernel implements Kernel {
  readonly grad: Float64Array;
  private readonly shape: Shape;
  private readonly act: ActivationFn;
  private readonly outputAct: boolean;
  /** Per layer: pre-activations and outputs of the current sample; outs[0] is the input. */
  private readonly pre: Float64Array[];
  private readonly outs: Float64Array[];
  private readonly delta: Float64Array[];
  private batch: Batch | null = null;

  constructor(
    group: Group,
    readonly params: Float32Array,
    private readonly grid: PointSet,
  ) {
    this.shape = shapeOf(group.hidden);
    this.act = activationFn(group.activation);
    this.outputAct = group.outputActivation;
    this.grad = new Float64Array(this.shape.size);
    this.outs = this.shape.widths.map((w) => new Float64Array(w));
    this.pre = this.shape.widths.map((w) => new Float64Array(w));
    this.delta = this.shape.widths.map((w) => new Float64Array(w));
  }

  trainLoss(batch: Batch): number {
    this.batch = batch;
    return this.mse(batch.x, batch.y);
  }

  valLoss(): number {
    return this.mse(this.grid.x, this.grid.y);
  }

  backward(): void {
    const { x, y } = this.batch!;
    const { shape, params, grad, pre, outs, delta } = this;
    const layers = shape.widths.length - 1;
    grad.fill(0);
    for (let i = 0; i < x.length; i++) {
      const pred = this.forward(x[i]);
      delta[layers][0] = ((2 * (pred - y[i])) / x.length) * this.outputDerivative(layers);
      for (let l = layers - 1; l >= 0; l--) {
        const nIn = shape.widths[l];
        const nOut = shape.widths[l + 1];
        const w = shape.weightAt[l];
        const b = shape.biasAt[l];
        for (let o = 0; o < nOut; o++) {
          const d = delta[l + 1][o];
          grad[b + o] += d;
          for (let k = 0; k < nIn; k++) grad[w + o * nIn + k] += d * outs[l][k];
        }
        if (l === 0) break;
        for (let k = 0; k < nIn; k++) {
          let s = 0;
          for (let o = 0; o < nOut; o++) s += params[w + o * nIn + k] * delta[l + 1][o];
          delta[l][k] = s * this.act.derivative(pre[l][k], outs[l][k]);
        }
      }
    }
  }

  paramsChanged(): void {} // it derives nothing from them between calls

  private outputDerivative(layers: number): number {
    return this.outputAct ? this.act.derivative(this.pre[layers][0], this.outs[layers][0]) : 1;
  }

  private mse(x: Float64Array, y: Float64Array): number {
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      const r = this.forward(x[i]) - y[i];
      sum += r * r;
    }
    return sum / x.length;
  }

  /** Forward pass of one input, keeping every layer's pre-activation and output. */
  private forward(input: number): number {
    const { shape, params, pre, outs, act } = this;
    const layers = shape.widths.length - 1;
    outs[0][0] = input;
    for (let l = 0; l < layers; l++) {
      const nIn = shape.widths[l];
      const nOut = shape.widths[l + 1];
      const w = shape.weightAt[l];
      const b = shape.biasAt[l];
      const activate = l < layers - 1 || this.outputAct;
      for (let o = 0; o < nOut; o++) {
        let z = params[b + o];
        for (let k = 0; k < nIn; k++) z += params[w + o * nIn + k] * outs[l][k];
        pre[l + 1][o] = z;
        outs[l + 1][o] = activate ? act.apply(z) : z;
      }
    }
    return outs[layers][0];
  }
}
