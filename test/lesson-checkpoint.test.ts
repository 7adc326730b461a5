// Checkpoints of a long run (LessonDoc.checkpoint): the live page's progress.
// A checkpoint's document is the page the lesson writes when its run ends
// there, and marking checkpoints changes nothing the run computes.
import { describe, expect, test } from 'vitest';
import { createDoc, type Checkpoint } from '../src/lesson/doc.ts';
import { findLesson } from '../src/lesson/registry.ts';
import { lessonDocument } from '../src/lesson/run.ts';
import type { Block, Document } from '../src/render/document.ts';

/** A document with its timings (the epoch table's seconds, the mean epoch time) blanked: they are the machine's, not the run's. */
function withoutTimes(doc: Document): unknown {
  const block = (b: Block): Block => {
    if (b.kind === 'table' && b.headers.at(-1) === 'seconds') return { ...b, rows: b.rows.map((r) => [...r.slice(0, -1), '']) };
    if (b.kind === 'paragraph') return { ...b, text: b.text.replace(/took \d+\.\d+ s on average/, 'took … s on average').replace(/\(\d+\.\d s on this machine\)/, '(… s on this machine)') };
    return b;
  };
  return { ...doc, sections: doc.sections.map((s) => ({ ...s, blocks: s.blocks.map(block) })) };
}

describe('LessonDoc.checkpoint', () => {
  test('without onCheckpoint, finish is never called; with it, finish writes on a copy and the document goes on unchanged', async () => {
    const run = async (doc: ReturnType<typeof createDoc>, calls: number[]): Promise<void> => {
      doc.section('Training');
      const rows: number[][] = [];
      const finish = (d: typeof doc): void => {
        calls.push(rows.length);
        d.table(['step', 'value'], rows.map((r) => [...r]));
        d.text(`After ${rows.length} steps the value is ${rows.at(-1)?.[1] ?? 0}.`);
      };
      for (let k = 1; k <= 3; k++) {
        rows.push([k, k * k]);
        await doc.checkpoint({ done: k, total: 3, unit: 'step' }, finish);
      }
      finish(doc);
    };
    const plain: number[] = [];
    const cli = createDoc({ out: null, title: 'T' });
    await run(cli, plain);
    expect(plain).toEqual([3]); // only the end's finish

    const seen: { done: number; total: number; unit: string; doc: Document }[] = [];
    const live: number[] = [];
    const withCheckpoints = createDoc({ out: null, title: 'T', onCheckpoint: async (c: Checkpoint) => { seen.push({ done: c.done, total: c.total, unit: c.unit, doc: await c.document() }); } });
    await run(withCheckpoints, live);
    expect(live).toEqual([1, 2, 3, 3]);
    expect(seen.map((s) => [s.done, s.total, s.unit])).toEqual([[1, 3, 'step'], [2, 3, 'step'], [3, 3, 'step']]);
    // Each checkpoint's document holds the rows so far, once: its copy's blocks never reached the document itself.
    expect(seen.map((s) => s.doc.sections[0]!.blocks.length)).toEqual([2, 2, 2]);
    expect(seen[1]!.doc.sections[0]!.blocks[1]).toEqual({ kind: 'paragraph', text: 'After 2 steps the value is 4.' });
    const final = await withCheckpoints.document();
    expect(final).toEqual(await cli.document());
    expect(final.sections[0]!.blocks).toHaveLength(2);
    expect(seen[2]!.doc).toEqual(final);
  });

  test('a bad checkpoint is refused in one line naming it', async () => {
    const doc = createDoc({ out: null, onCheckpoint: () => undefined });
    await expect(doc.checkpoint({ done: 4, total: 3, unit: 'epoch' }, () => undefined)).rejects.toThrow(/^checkpoint: progress.done must be a whole number from 0 to 3, got 4$/);
    await expect(doc.checkpoint({ done: 1, total: 3, unit: 'epoch' }, 'x' as never)).rejects.toThrow(/^checkpoint: finish/);
    expect(() => createDoc({ onCheckpoint: 1 as never })).toThrow(/^createDoc: onCheckpoint/);
  });

  test.each([
    ['10', { digits: 300, epochs: 3, hidden: 6, batch: 20, lr: 1, seed: 5 }],
    ['12', { sequences: 200, epochs: 3, batch: 20, seed: 5 }],
  ] as const)('lesson %s: the page at the checkpoint of epoch e is the page of --epochs e, and the checkpoints change nothing of the run', async (n, settings) => {
    const lesson = await findLesson(n);
    // Only epoch 2's page is drawn (the plots take most of the time).
    const checkpoints: [number, number][] = [];
    let second: Document | undefined;
    const live = await lessonDocument(lesson, settings, null, async (c) => {
      checkpoints.push([c.done, c.total]);
      if (c.done === 2) second = await c.document();
    });
    expect(checkpoints).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(withoutTimes(second!)).toEqual(withoutTimes(await lessonDocument(lesson, { ...settings, epochs: 2 })));
    expect(withoutTimes(live)).toEqual(withoutTimes(await lessonDocument(lesson, settings)));
  });
});
