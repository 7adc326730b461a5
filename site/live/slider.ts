/**
 * A number setting's slider: its 0–1000 position and the value it stands
 * for, on a log scale or a straight one (site/build.ts's controls). No DOM
 * here, so that the mapping is tested in Node (test/site-controls.test.ts).
 */
import type { FlagControl } from '../build.ts';

export type NumberControl = Extract<FlagControl, { kind: 'number' }>;

export function sliderToValue(f: NumberControl, position: number): number {
  const t = position / 1000;
  if (f.log) return Number((f.min * (f.max / f.min) ** t).toPrecision(3));
  // Whole numbers for a whole setting; three digits for the others (β from 0 to 0.999, lesson 2's point from −10 to 10).
  const v = f.min + (f.max - f.min) * t;
  return f.integer ? Math.round(v) : Number(v.toPrecision(3));
}
export function valueToSlider(f: NumberControl, value: number): number {
  const t = f.log ? Math.log(value / f.min) / Math.log(f.max / f.min) : (value - f.min) / (f.max - f.min);
  return Math.round(1000 * Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)));
}
