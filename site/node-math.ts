/**
 * Math.exp, Math.log and Math.log1p as Node computes them (site/libm.ts),
 * for the lessons, the compiled gradients and the plots of the worker alike.
 * Imported first by the worker's entry (site/engine.ts).
 */
import { exp, log, log1p } from './libm.ts';

Math.exp = exp;
Math.log = log;
Math.log1p = log1p;

/** Whether the three are in place (what the entry imports, so that bundling keeps this module). */
export const nodeMath = Math.exp === exp && Math.log === log && Math.log1p === log1p;
