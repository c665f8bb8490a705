// M models of one group as one batched computation: layer l's weights, bias folded in as an extra
// input row, are one [M, fanIn + 1, fanOut] tensor, so every step is a few batched matMuls whatever M
// is. A model that has stopped is masked out of the update; the others' results do not change.
import type { Tensor, Tensor3D, Variable } from '@tensorflow/tfjs';
import { shapeOf, type Shape } from '../../../core/model/network.ts';
import type { Group } from '../../../core/preset/preset.ts';
import type { Tf } from './runtime.ts';

export class TfGroup {
  readonly size: number;
  private readonly shape: Shape;
  private readonly weights: Variable[];
  /** Optimizer state per layer: SGD momentum buffers, or Adam's first and second moments. */
  private readonly state1: Variable[];
  private readonly state2: Variable[];
  private steps = 0;
  private readonly gridX: Tensor3D;
  private readonly gridY: Tensor3D;
  private grads: Tensor[] | null = null;

  constructor(
    private readonly tf: Tf,
    private readonly group: Group,
    params: Float32Array[],
    grid: { x: Float64Array; y: Float64Array },
  ) {
    this.size = params.length;
    this.shape = shapeOf(group.hidden);
    const { widths } = this.shape;
    this.weights = widths.slice(0, -1).map((fanIn, l) => {
      const fanOut = widths[l + 1];
      const w = new Float32Array(this.size * (fanIn + 1) * fanOut);
      params.forEach((p, m) => this.toFolded(p, l, w, m));
      return tf.tidy(() => tf.variable(tf.tensor3d(w, [this.size, fanIn + 1, fanOut]))); // tidy frees the initial tensor
    });
    this.state1 = this.weights.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w))));
    this.state2 = this.weights.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w))));
    const n = grid.x.length;
    this.gridX = tf.tensor3d(withOnes(grid.x), [1, n, 2]);
    this.gridY = tf.tensor3d(Float32Array.from(grid.y), [1, n, 1]);
  }

  /**
   * Training loss of every model on its batch (x: M*B values, y: M*B targets) and its gradient, kept
   * for update(); then the validation loss of every model at the same weights. One read back.
   */
  evaluate(x: Float32Array, y: Float32Array, batch: number): { lossTrain: Float32Array; lossVal: Float32Array } {
    const { tf } = this;
    this.disposeGrads();
    const [lossTrain, lossVal, grads] = tf.tidy(() => {
      const bx = tf.tensor3d(withOnes(x), [this.size, batch, 2]);
      const by = tf.tensor3d(y, [this.size, batch, 1]);
      let perModel: Tensor | null = null;
      const { value, grads } = tf.valueAndGrads((...ws: Tensor[]) => {
        perModel = tf.keep(this.mse(this.forward(bx, ws), by)); // kept past the gradient's own scope; disposed below
        return perModel.sum(); // the models are independent: d(sum)/dW_m = d loss_m / dW_m
      })(this.weights);
      value.dispose();
      return [perModel!, this.mse(this.forward(this.gridX, this.weights), this.gridY), grads];
    });
    this.grads = grads;
    const both = tf.concat([lossTrain, lossVal]);
    const values = both.dataSync() as Float32Array;
    tf.dispose([both, lossTrain, lossVal]);
    return { lossTrain: values.slice(0, this.size), lossVal: values.slice(this.size) };
  }

  /** Validation loss of every model at the current weights. */
  validation(): Float32Array {
    const loss = this.tf.tidy(() => this.mse(this.forward(this.gridX, this.weights), this.gridY));
    const values = loss.dataSync() as Float32Array;
    loss.dispose();
    return values;
  }

  /** One optimizer step (PyTorch's SGD or Adam) for the models whose `active` entry is 1. */
  update(lr: number, momentum: number | undefined, active: Float32Array): void {
    const { tf, group } = this;
    const grads = this.grads!;
    this.steps++;
    tf.tidy(() => {
      const mask = tf.tensor3d(active, [this.size, 1, 1]);
      this.weights.forEach((w, l) => {
        const opt = group.optimizer;
        let g = grads[l];
        if (opt.weightDecay !== 0) g = g.add(w.mul(opt.weightDecay));
        let change: Tensor;
        if (opt.kind === 'sgd') {
          const mu = momentum ?? opt.momentum;
          change = g;
          if (mu !== 0) {
            const buf = this.steps === 1 ? g : this.state1[l].mul(mu).add(g.mul(1 - opt.dampening));
            this.state1[l].assign(buf as Tensor3D);
            change = opt.nesterov ? g.add(buf.mul(mu)) : buf;
          }
          change = change.mul(lr);
        } else {
          const m = this.state1[l].mul(opt.beta1).add(g.mul(1 - opt.beta1));
          const v = this.state2[l].mul(opt.beta2).add(g.square().mul(1 - opt.beta2));
          this.state1[l].assign(m as Tensor3D);
          this.state2[l].assign(v as Tensor3D);
          const stepSize = lr / (1 - opt.beta1 ** this.steps);
          const denom = v
            .sqrt()
            .div(Math.sqrt(1 - opt.beta2 ** this.steps))
            .add(opt.eps);
          change = m.div(denom).mul(stepSize);
        }
        w.assign(w.sub(change.mul(mask)) as Tensor3D);
      });
    });
    this.disposeGrads();
  }

  /** Model m's parameters in PyTorch's state_dict order. */
  params(): Float32Array[] {
    const { widths } = this.shape;
    const out = Array.from({ length: this.size }, () => new Float32Array(this.shape.size));
    this.weights.forEach((w, l) => {
      const data = w.dataSync() as Float32Array;
      out.forEach((p, m) => this.fromFolded(data, l, p, m, widths[l], widths[l + 1]));
    });
    return out;
  }

  dispose(): void {
    this.disposeGrads();
    this.tf.dispose([...this.weights, ...this.state1, ...this.state2, this.gridX, this.gridY]);
  }

  private disposeGrads(): void {
    if (this.grads) this.tf.dispose(this.grads);
    this.grads = null;
  }

  /** [M, n, 1] predictions for inputs [1 or M, n, 2] (x and a column of ones). */
  private forward(input: Tensor, weights: Tensor[]): Tensor {
    const { tf, group } = this;
    const act = (z: Tensor) => {
      const a = group.activation;
      switch (a.kind) {
        case 'leaky_relu':
          return tf.leakyRelu(z, a.negativeSlope); // its gradient treats 0 as negative, as PyTorch does
        case 'relu':
          return z.relu();
        case 'tanh':
          return z.tanh();
        case 'sigmoid':
          return z.sigmoid();
        case 'linear':
          return z;
      }
    };
    let h = input;
    weights.forEach((w, l) => {
      const last = l === weights.length - 1;
      if (l > 0) h = tf.concat([h, tf.onesLike(h.slice([0, 0, 0], [-1, -1, 1]))], 2);
      const z = tf.matMul(h, w);
      h = last && !group.outputActivation ? z : act(z);
    });
    return h;
  }

  /**
   * Per-model mean squared error, summed in two stages (blocks of ~sqrt(n), then the block sums), as a
   * plain float32 running sum over 5001 points drifts by ~1e-5 relative where PyTorch's cascade sum does not.
   */
  private mse(pred: Tensor, target: Tensor): Tensor {
    const { tf } = this;
    const [models, n] = pred.shape;
    const side = Math.ceil(Math.sqrt(n));
    const squares = pred.sub(target).square().reshape([models, n]);
    const padded = side * side > n ? tf.concat([squares, tf.zeros([models, side * side - n])], 1) : squares;
    return padded.reshape([models, side, side]).sum(2).sum(1).div(n);
  }

  /** Writes model m's layer l (PyTorch layout: weight [out][in], then bias) into the folded tensor data. */
  private toFolded(p: Float32Array, l: number, folded: Float32Array, m: number): void {
    const fanIn = this.shape.widths[l];
    const fanOut = this.shape.widths[l + 1];
    const base = m * (fanIn + 1) * fanOut;
    for (let o = 0; o < fanOut; o++) {
      for (let k = 0; k < fanIn; k++) folded[base + k * fanOut + o] = p[this.shape.weightAt[l] + o * fanIn + k];
      folded[base + fanIn * fanOut + o] = p[this.shape.biasAt[l] + o];
    }
  }

  private fromFolded(folded: Float32Array, l: number, p: Float32Array, m: number, fanIn: number, fanOut: number): void {
    const base = m * (fanIn + 1) * fanOut;
    for (let o = 0; o < fanOut; o++) {
      for (let k = 0; k < fanIn; k++) p[this.shape.weightAt[l] + o * fanIn + k] = folded[base + k * fanOut + o];
      p[this.shape.biasAt[l] + o] = folded[base + fanIn * fanOut + o];
    }
  }
}

/** Inputs as (x, 1) pairs: the 1 multiplies the bias row of the folded weights. */
function withOnes(x: ArrayLike<number>): Float32Array {
  const out = new Float32Array(2 * x.length);
  for (let i = 0; i < x.length; i++) {
    out[2 * i] = x[i];
    out[2 * i + 1] = 1;
  }
  return out;
}
