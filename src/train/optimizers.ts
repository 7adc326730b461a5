/**
 * Optimizers: how a gradient becomes an update. Each is plain data (a tagged
 * union); `createStepper` turns one into a function that fills the update Δ
 * from the gradient g, keeping its own state (velocity, moments).
 *
 *   gd(0.5)              // Δ = −η g
 *   momentum(0.1, 0.9)   // v ← β v − η g;  Δ = v
 *   adam(0.01)           // m, v running moments of g and g², bias-corrected
 *
 *   const step = createStepper(gd(0.5), 3)
 *   const delta = new Float64Array(3)
 *   step(new Float64Array([0.2, -0.4, 1]), delta)   // delta = [−0.1, 0.2, −0.5]
 */
import { checkArg, checkOptions, checkWhole, describeValue, DownhillError, kindOf, type Accepts } from '../errors.ts';

/** Plain gradient descent: w ← w − η ∂L/∂w. */
export interface GradientDescent {
  readonly kind: 'gd';
  readonly lr: number;
}

/** Gradient descent with momentum (heavy ball): v ← β v − η g, w ← w + v. */
export interface Momentum {
  readonly kind: 'momentum';
  readonly lr: number;
  readonly beta: number;
}

/** Adam (Kingma & Ba 2015), with bias correction. */
export interface Adam {
  readonly kind: 'adam';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export type Optimizer = GradientDescent | Momentum | Adam;

/** What the functions below take: an optimizer from gd, momentum or adam. */
export const OPTIMIZER: Accepts<Optimizer> = kindOf<Optimizer>('an optimizer (gd(lr), momentum(lr) or adam(lr))', ['gd', 'momentum', 'adam']);

/** The most parameters a stepper keeps state for: Adam's two arrays of 30,000,000 doubles are 480 MB (the matrix engine's most, too). */
const MAX_STEPPER_PARAMETERS = 30_000_000;

function checkRate(lr: number, who: string): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) throw new DownhillError(`${who}: the learning rate must be a positive number, got ${describeValue(lr)}`);
}

function checkBeta(beta: number, name: string, who: string): void {
  if (typeof beta !== 'number' || !Number.isFinite(beta) || beta < 0 || beta >= 1) throw new DownhillError(`${who}: ${name} must be in [0, 1), got ${describeValue(beta)}`);
}

/**
 * Plain gradient descent with learning rate η = lr.
 *
 *   gd(0.5)   // { kind: 'gd', lr: 0.5 }
 */
export function gd(lr: number): GradientDescent {
  checkRate(lr, 'gd');
  return { kind: 'gd', lr };
}

/**
 * Gradient descent with momentum β (0.9 unless given).
 *
 *   momentum(0.1)        // { kind: 'momentum', lr: 0.1, beta: 0.9 }
 */
export function momentum(lr: number, beta = 0.9): Momentum {
  checkRate(lr, 'momentum');
  checkBeta(beta, 'beta', 'momentum');
  return { kind: 'momentum', lr, beta };
}

/**
 * Adam with the usual defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
 *
 *   adam(0.01)                  // { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
 *   adam(0.01, { beta1: 0.8 })
 */
export function adam(lr: number, options: { beta1?: number; beta2?: number; epsilon?: number } = {}): Adam {
  checkRate(lr, 'adam');
  checkOptions('adam', options, ['beta1', 'beta2', 'epsilon']);
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const epsilon = options.epsilon ?? 1e-8;
  checkBeta(beta1, 'beta1', 'adam');
  checkBeta(beta2, 'beta2', 'adam');
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) throw new DownhillError(`adam: epsilon must be a positive number, got ${describeValue(epsilon)}`);
  return { kind: 'adam', lr, beta1, beta2, epsilon };
}

/** Fills `update` with Δ from the gradient `g` (the caller adds Δ to the parameters). */
export type Stepper = (g: Float64Array, update: Float64Array) => void;

/**
 * A stateful update rule for P parameters.
 *
 *   const step = createStepper(momentum(0.1, 0.5), 1)
 *   const d = new Float64Array(1)
 *   step(new Float64Array([1]), d)   // d = [−0.1]
 *   step(new Float64Array([1]), d)   // d = [−0.15]  (0.5·(−0.1) − 0.1)
 */
export function createStepper(optimizer: Optimizer, P: number): Stepper {
  checkArg('createStepper', 'optimizer', optimizer, OPTIMIZER);
  checkWhole('createStepper', 'P', P, 0, MAX_STEPPER_PARAMETERS);
  switch (optimizer.kind) {
    case 'gd': {
      const { lr } = optimizer;
      return (g, u) => {
        for (let k = 0; k < P; k++) u[k] = -lr * g[k]!;
      };
    }
    case 'momentum': {
      const { lr, beta } = optimizer;
      const v = new Float64Array(P);
      return (g, u) => {
        for (let k = 0; k < P; k++) {
          v[k] = beta * v[k]! - lr * g[k]!;
          u[k] = v[k]!;
        }
      };
    }
    case 'adam': {
      const { lr, beta1, beta2, epsilon } = optimizer;
      const m = new Float64Array(P);
      const v = new Float64Array(P);
      // β₁ᵗ and β₂ᵗ as running products: t multiplications give the same
      // bits in every JavaScript engine, where pow's last bit may differ.
      let beta1t = 1;
      let beta2t = 1;
      return (g, u) => {
        beta1t *= beta1;
        beta2t *= beta2;
        const c1 = 1 - beta1t;
        const c2 = 1 - beta2t;
        for (let k = 0; k < P; k++) {
          const gk = g[k]!;
          m[k] = beta1 * m[k]! + (1 - beta1) * gk;
          v[k] = beta2 * v[k]! + (1 - beta2) * gk * gk;
          u[k] = (-lr * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + epsilon);
        }
      };
    }
  }
}

/**
 * The update rule as TeX, for lessons (the terminal reads it from the TeX).
 *
 *   updateRule(gd(0.5)).tex   // 'w \\leftarrow w - \\eta \\, \\frac{\\partial L}{\\partial w}'
 */
export function updateRule(optimizer: Optimizer): { readonly tex: string } {
  checkArg('updateRule', 'optimizer', optimizer, OPTIMIZER);
  switch (optimizer.kind) {
    case 'gd':
      return { tex: 'w \\leftarrow w - \\eta \\, \\frac{\\partial L}{\\partial w}' };
    case 'momentum':
      return {
        tex: 'v \\leftarrow \\beta v - \\eta \\, \\frac{\\partial L}{\\partial w}, \\quad w \\leftarrow w + v',
      };
    case 'adam':
      return {
        tex: 'm \\leftarrow \\beta_1 m + (1-\\beta_1) g, \\quad v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2, \\quad w \\leftarrow w - \\eta \\frac{m / (1-\\beta_1^t)}{\\sqrt{v / (1-\\beta_2^t)} + \\epsilon}',
      };
  }
}

/**
 * A short name with its settings.
 *
 *   describeOptimizer(momentum(0.1, 0.9))   // 'momentum (η = 0.1, β = 0.9)'
 */
export function describeOptimizer(optimizer: Optimizer): string {
  checkArg('describeOptimizer', 'optimizer', optimizer, OPTIMIZER);
  switch (optimizer.kind) {
    case 'gd':
      return `gradient descent (η = ${optimizer.lr})`;
    case 'momentum':
      return `momentum (η = ${optimizer.lr}, β = ${optimizer.beta})`;
    case 'adam':
      return `Adam (η = ${optimizer.lr}, β₁ = ${optimizer.beta1}, β₂ = ${optimizer.beta2}, ε = ${optimizer.epsilon})`;
  }
}
