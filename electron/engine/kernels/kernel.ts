// What the training loop needs from a kernel: the seed's forward, validation and backward.
import type { Batch } from '../data.ts';

export interface Kernel {
  /** The trained parameters (float32, PyTorch's state_dict order); the optimizer updates them in place. */
  readonly params: Float32Array;
  /** d lossTrain / d params after backward(). */
  readonly grad: Float64Array;
  /** pred = model(inp); lossTrain = MSE(pred, out). Keeps what backward() needs. */
  trainLoss(batch: Batch): number;
  /** MSE on the validation grid at the same parameters (no update in between). */
  valLoss(): number;
  /** Gradient of the last trainLoss into `grad`. */
  backward(): void;
  /** The parameters were set from outside (not by an optimizer step after backward()): forget what they implied. */
  paramsChanged(): void;
}
