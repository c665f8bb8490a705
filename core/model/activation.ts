// Activations and their derivatives with PyTorch's conventions (LeakyReLU/ReLU treat 0 as the negative side).
import type { Activation } from '../preset/preset.ts';

export interface ActivationFn {
  apply(z: number): number;
  /** d act / dz, given the pre-activation z and the output a = act(z). */
  derivative(z: number, a: number): number;
}

export function activationFn(act: Activation): ActivationFn {
  switch (act.kind) {
    case 'leaky_relu': {
      const s = act.negativeSlope;
      return { apply: (z) => (z > 0 ? z : z * s), derivative: (z) => (z > 0 ? 1 : s) };
    }
    case 'relu':
      return { apply: (z) => (z > 0 ? z : 0), derivative: (z) => (z > 0 ? 1 : 0) };
    case 'tanh':
      return { apply: Math.tanh, derivative: (_z, a) => 1 - a * a };
    case 'sigmoid':
      return { apply: (z) => 1 / (1 + Math.exp(-z)), derivative: (_z, a) => a * (1 - a) };
    case 'linear':
      return { apply: (z) => z, derivative: () => 1 };
  }
}
