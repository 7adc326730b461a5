/**
 * The geometry of convolution and pooling layers: sizes in, sizes out,
 * checked once when a layer is described, so that a shape that does not fit
 * is refused with its numbers.
 *
 *   convGeometry({ C: 1, H: 28, W: 28, F: 8, kh: 5, kw: 5 })   // { ..., Ho: 24, Wo: 24 }
 *   poolGeometry({ C: 8, H: 24, W: 24, k: 2 })                 // { ..., stride: 2, Ho: 12, Wo: 12 }
 *   convGeometry({ C: 1, H: 5, W: 5, F: 1, kh: 2, kw: 2, stride: 2 })
 *   // throws DownhillError: conv: stride 2 does not tile a 5×5 image (padding 0) with a 2×2 kernel: ...
 */
import { checkArg, DownhillError, objectWith, type Accepts } from '../errors.ts';

/** Geometry of a 2-D convolution: C channels of H×W in, F filters of kh×kw, stride, zero padding; Ho×Wo out. */
export interface ConvGeometry {
  readonly C: number; readonly H: number; readonly W: number;
  readonly F: number; readonly kh: number; readonly kw: number;
  readonly stride: number; readonly pad: number;
  readonly Ho: number; readonly Wo: number;
}

/** Geometry of a pooling: C channels of H×W, windows of k×k moved by stride; Ho×Wo out. */
export interface PoolGeometry {
  readonly C: number; readonly H: number; readonly W: number;
  readonly k: number; readonly stride: number;
  readonly Ho: number; readonly Wo: number;
}

const whole = (v: number, what: string, min = 1): void => {
  if (!Number.isInteger(v) || v < min) throw new DownhillError(`${what} must be a whole number ≥ ${min}, got ${v}`);
};

/** A geometry that is `make`'s own result: every field equal to what `make` computes from it (and `make` accepts it). */
function madeBy<T extends object>(keys: readonly (keyof T & string)[], make: (g: T) => T, what: string): Accepts<T> {
  const fields = objectWith<T>(...keys);
  const same = (v: T): boolean => {
    try {
      const made = make(v);
      return keys.every((k) => made[k] === v[k]);
    } catch {
      return false;
    }
  };
  return { what, test: (v): v is T => fields.test(v) && same(v) };
}

/** What the matrix engine's convolution nodes accept: convGeometry's result (an Ho or Wo that does not follow from the rest is refused). */
export const CONV_GEOMETRY: Accepts<ConvGeometry> = madeBy<ConvGeometry>(['C', 'H', 'W', 'F', 'kh', 'kw', 'stride', 'pad', 'Ho', 'Wo'], (g) => convGeometry(g), "a convolution's geometry (convGeometry's result)");
/** What the pooling nodes accept: poolGeometry's result. */
export const POOL_GEOMETRY: Accepts<PoolGeometry> = madeBy<PoolGeometry>(['C', 'H', 'W', 'k', 'stride', 'Ho', 'Wo'], (g) => poolGeometry(g), "a pooling's geometry (poolGeometry's result)");

/** A convolution's geometry, checked: output size (H + 2·pad − kh)/stride + 1 must be whole and ≥ 1. */
export function convGeometry(g: { C: number; H: number; W: number; F: number; kh: number; kw: number; stride?: number; pad?: number }): ConvGeometry {
  checkArg('convGeometry', 'g', g, objectWith('C', 'H', 'W', 'F', 'kh', 'kw'));
  const stride = g.stride ?? 1, pad = g.pad ?? 0;
  for (const [k, v] of [['channels', g.C], ['height', g.H], ['width', g.W], ['filters', g.F], ['kernel height', g.kh], ['kernel width', g.kw], ['stride', stride]] as const) whole(v, `conv: ${k}`);
  whole(pad, 'conv: padding', 0);
  const Ho = (g.H + 2 * pad - g.kh) / stride + 1, Wo = (g.W + 2 * pad - g.kw) / stride + 1;
  if (!(Ho >= 1 && Wo >= 1)) throw new DownhillError(`conv: a ${g.kh}×${g.kw} kernel does not fit a ${g.H}×${g.W} image with padding ${pad}`);
  if (!Number.isInteger(Ho) || !Number.isInteger(Wo)) {
    throw new DownhillError(`conv: stride ${stride} does not tile a ${g.H}×${g.W} image (padding ${pad}) with a ${g.kh}×${g.kw} kernel: (size + 2·padding − kernel) must be a multiple of the stride`);
  }
  return { C: g.C, H: g.H, W: g.W, F: g.F, kh: g.kh, kw: g.kw, stride, pad, Ho, Wo };
}

/** A pooling's geometry, checked: the windows must tile the image exactly. */
export function poolGeometry(g: { C: number; H: number; W: number; k: number; stride?: number }): PoolGeometry {
  checkArg('poolGeometry', 'g', g, objectWith('C', 'H', 'W', 'k'));
  const stride = g.stride ?? g.k;
  for (const [k, v] of [['channels', g.C], ['height', g.H], ['width', g.W], ['window', g.k], ['stride', stride]] as const) whole(v, `pool: ${k}`);
  const Ho = (g.H - g.k) / stride + 1, Wo = (g.W - g.k) / stride + 1;
  if (!(Ho >= 1 && Wo >= 1) || !Number.isInteger(Ho) || !Number.isInteger(Wo)) {
    throw new DownhillError(`pool: ${g.k}×${g.k} windows moved by ${stride} do not tile a ${g.H}×${g.W} image exactly`);
  }
  return { C: g.C, H: g.H, W: g.W, k: g.k, stride, Ho, Wo };
}

