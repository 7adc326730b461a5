/**
 * Math.exp, Math.log, Math.log1p, Math.cos and Math.sin as Node computes them (site/libm.ts),
 * for the lessons, the compiled gradients and the plots of the worker alike.
 * Imported first by the worker's entry (site/engine.ts).
 */
import { cos, exp, log, log1p, sin } from './libm.ts';

Math.exp = exp;
Math.log = log;
Math.log1p = log1p;
Math.cos = cos;
Math.sin = sin;

/** Whether the five are in place (what the entry imports, so that bundling keeps this module). */
export const nodeMath = Math.exp === exp && Math.log === log && Math.log1p === log1p && Math.cos === cos && Math.sin === sin;
