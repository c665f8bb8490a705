// What the training loop needs from a kernel: the seed's forward, validation and backward (Kernel), and
// whole steps of one model (ModelSteps: the batch drawn, both losses, the update), which the loop runs.
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

/** One model's steps as the seed's loop takes them; the WebAssembly kernel runs them whole, Kernel through train.ts. */
export interface ModelSteps {
  /** The parameters the last measure()'s losses were taken at, until update(). */
  readonly params: Float32Array;
  /** The values of the stream one step draws. */
  readonly drawsPerStep: number;
  /** The validation loss of the last measure(). */
  readonly lossVal: number;
  /** Draws the step's batch; its training loss, and the validation loss at the same parameters into lossVal. */
  measure(): number;
  /** backward() and the optimizer's step with this step's lr (and momentum where a schedule cycles it). */
  update(lr: number, momentum: number | undefined): void;
  /** MSE on the validation grid at the current parameters. */
  valLoss(): number;
  /** The model has ended: the caller's parameters and generator hold where training left them. */
  finish(): void;
}
