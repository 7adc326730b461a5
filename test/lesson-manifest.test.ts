/**
 * src/lesson/manifest.ts (written by npm run lessons:manifest) says what each
 * built-in lesson is, so that `downhill lessons` and `downhill lesson 4`
 * import none, or only one, of the lessons: it must equal what the lessons
 * themselves say.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { lessonManifestFile, lessonManifestNow } from '../tools/build-lesson-manifest.ts';
import { allLessons, findLesson, lessonList, pageFile } from '../src/lesson/registry.ts';
import { lessonManifest } from '../src/lesson/manifest.ts';

test('the manifest is the lessons\' own (npm run lessons:manifest writes it again)', async () => {
  expect(readFileSync(new URL(`../${lessonManifestFile}`, import.meta.url), 'utf8')).toBe(await lessonManifestNow());
});

test('each entry finds its lesson, by number and by name, with the page the lesson\'s file names', async () => {
  const lessons = await allLessons();
  const list = await lessonList();
  expect(list).toBe(lessonManifest); // the manifest is current: read as it is
  expect(list.map((l) => l.number)).toEqual(lessons.map((l) => l.number));
  for (const entry of list) {
    const byNumber = await findLesson(String(entry.number));
    expect(await findLesson(entry.name)).toBe(byNumber);
    expect({ number: byNumber.number, name: byNumber.name, title: byNumber.title, defaults: byNumber.defaults })
      .toEqual({ number: entry.number, name: entry.name, title: entry.title, defaults: entry.defaults });
    expect(pageFile(entry)).toBe(pageFile(byNumber));
  }
});
