// The live pages' sliders: every position of a number setting's slider gives a
// value the setting accepts (lesson/settings.ts), so moving a slider never
// produces a refusal. Checked at both ends of every slider of every lesson.
import { expect, test } from 'vitest';
import { controlsOf } from '../site/build.ts';
import { sliderToValue } from '../site/live/slider.ts';
import { allLessons } from '../src/lesson/registry.ts';
import { readSetting } from '../src/lesson/settings.ts';

test('every slider of every lesson runs between values its setting accepts, and starts at the default', async () => {
  let sliders = 0;
  for (const lesson of await allLessons()) {
    for (const c of controlsOf(lesson)) {
      if (c.kind !== 'number') continue;
      sliders++;
      // Both ends, the default, and what the slider gives at its ends and its middle.
      for (const end of [c.min, c.max, c.value, sliderToValue(c, 0), sliderToValue(c, 500), sliderToValue(c, 1000)]) {
        expect(() => readSetting(c.flag, String(end)), `lesson ${lesson.number} --${c.flag} ${end}`).not.toThrow();
      }
      expect(c.min).toBeLessThanOrEqual(c.value);
      expect(c.value).toBeLessThanOrEqual(c.max);
      expect(c.value).toBe(lesson.defaults[c.flag]);
    }
  }
  expect(sliders).toBeGreaterThan(20);
});

test("lesson 2's point slides over its whole range, −10 to 10, on both sides of 0", async () => {
  const lesson = (await allLessons()).find((l) => l.number === 2)!;
  const point = controlsOf(lesson).find((c) => c.flag === 'point');
  expect(point).toMatchObject({ kind: 'number', min: -10, max: 10, value: 2.5, log: false });
  // A slider of a setting that is not whole moves by fractions (it gave whole numbers only: β 0 or 1, the point −10, −9, …).
  if (point?.kind !== 'number') throw new Error('no point control');
  expect([sliderToValue(point, 0), sliderToValue(point, 630), sliderToValue(point, 1000)]).toEqual([-10, 2.6, 10]);
  const beta = controlsOf((await allLessons()).find((l) => l.number === 9)!).find((c) => c.flag === 'beta');
  if (beta?.kind !== 'number') throw new Error('no beta control');
  expect([sliderToValue(beta, 500), sliderToValue(beta, 1000)]).toEqual([0.499, 0.999]); // 0.999 · 0.5 to three digits
});
