// The live pages' sliders: every position of a number setting's slider gives a
// value the setting accepts (lesson/settings.ts), so moving a slider never
// produces a refusal. Checked at both ends of every slider of every lesson.
import { expect, test } from 'vitest';
import { controlsOf } from '../site/build.ts';
import { allLessons } from '../src/lesson/registry.ts';
import { readSetting } from '../src/lesson/settings.ts';

test('every slider of every lesson runs between values its setting accepts, and starts at the default', async () => {
  let sliders = 0;
  for (const lesson of await allLessons()) {
    for (const c of controlsOf(lesson)) {
      if (c.kind !== 'number') continue;
      sliders++;
      for (const end of [c.min, c.max, c.value]) {
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
});
