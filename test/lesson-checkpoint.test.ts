// Checkpoints of a long run (LessonDoc.checkpoint): the live page's progress.
// A checkpoint's document is the page the lesson writes when its run ends
// there (lesson 11's, whose step size falls over the whole run, is the run so
// far and says so), and marking checkpoints changes nothing the run computes.
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
    // A checkpoint whose document is not asked for (a live page skipping it) never runs finish.
    const skipped: number[] = [];
    await run(createDoc({ out: null, title: 'T', onCheckpoint: async (c: Checkpoint) => { if (c.done === 2) await c.document(); } }), skipped);
    expect(skipped).toEqual([2, 3]);
  });

  test('ticks: nothing without onTick; with it, onTick gets each one; a bad one is refused in one line naming it', async () => {
    await expect(createDoc({ out: null }).tick({ done: 7, total: 3, unit: 'epoch' })).resolves.toBeUndefined();
    const seen: unknown[] = [];
    const doc = createDoc({ out: null, onTick: (t) => { seen.push(t); } });
    await doc.tick({ done: 1.25, total: 3, unit: 'epoch' });
    expect(seen).toEqual([{ done: 1.25, total: 3, unit: 'epoch' }]);
    await expect(doc.tick({ done: 3.5, total: 3, unit: 'epoch' })).rejects.toThrow(/^tick: progress.done must be a number from 0 to 3, got 3.5$/);
    await expect(doc.tick({ done: Number.NaN, total: 3, unit: 'epoch' })).rejects.toThrow(/^tick: progress.done must be a number from 0 to 3, got NaN$/);
    await expect(doc.tick({ done: 1, total: 3, unit: 2 as never })).rejects.toThrow(/^tick: progress.unit must be a string/);
    expect(() => createDoc({ onTick: 1 as never })).toThrow(/^createDoc: onTick/);
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
    expect(second!.sections.flatMap((s) => s.blocks).some((b) => b.kind === 'note' && b.text.startsWith('This is the run after epoch'))).toBe(false);
    expect(withoutTimes(second!)).toEqual(withoutTimes(await lessonDocument(lesson, { ...settings, epochs: 2 })));
    expect(withoutTimes(live)).toEqual(withoutTimes(await lessonDocument(lesson, settings)));
  });

  test('lesson 8: the page at the checkpoint of step k (steps/8, /4, /2) is the page of --steps k, and the checkpoints change nothing of the run', async () => {
    const lesson = await findLesson('8');
    const settings = { lr: 2.5, steps: 400, seed: 3 };
    const seen: { done: number; total: number; unit: string; doc: Document }[] = [];
    const live = await lessonDocument(lesson, settings, null, async (c) => { seen.push({ done: c.done, total: c.total, unit: c.unit, doc: await c.document() }); });
    expect(seen.map((s) => [s.done, s.total, s.unit])).toEqual([[50, 400, 'step'], [100, 400, 'step'], [200, 400, 'step']]);
    for (const s of seen) expect(s.doc).toEqual(await lessonDocument(lesson, { ...settings, steps: s.done }));
    expect(live).toEqual(await lessonDocument(lesson, settings));
  });

  test('lesson 11: the page at the checkpoint of epoch e < E is the run so far (its table\'s first rows, a note that says so), and the checkpoints change nothing of the run', async () => {
    const lesson = await findLesson('11');
    const settings = { digits: 100, epochs: 3, batch: 5, lr: 0.01, seed: 5 };
    /** Lesson 11's timings blanked: the epoch table's and the comparison's CPU seconds, the sentences quoting them. */
    const untimed = (doc: Document): unknown => ({
      ...doc,
      sections: doc.sections.map((s) => ({
        ...s,
        blocks: s.blocks.map((b): Block => {
          if (b.kind === 'table' && b.headers.at(-1) === 'CPU seconds') return { ...b, rows: b.rows.map((r) => [...r.slice(0, -1), '']) };
          if (b.kind === 'table' && b.headers.at(-1) === 'CPU seconds of training') return { ...b, rows: b.rows.map((r) => [...r.slice(0, -1), '']) };
          if (b.kind === 'paragraph') return { ...b, text: b.text.replace(/took \d+\.\d+ CPU seconds/, 'took … CPU seconds').replace(/took [\d.e+-]+ times the dense/, 'took … times the dense') };
          return b;
        }),
      })),
    });
    const seen: { done: number; shorterRun: boolean | undefined; doc: Document }[] = [];
    const ticks: number[] = [];
    const live = await lessonDocument(lesson, settings, null, async (c) => { seen.push({ done: c.done, shorterRun: c.shorterRun, doc: await c.document() }); }, (t) => { ticks.push(t.done); });
    const cli = await lessonDocument(lesson, settings);
    expect(untimed(live)).toEqual(untimed(cli));
    expect(seen.map((s) => [s.done, s.shorterRun])).toEqual([[1, false], [2, false], [3, true]]);
    // 80 training digits in batches of 5: 16 steps an epoch, a tick after every 8th.
    expect(ticks).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(untimed(seen[2]!.doc)).toEqual(untimed(cli));
    const epochRows = (doc: Document): unknown[] => {
      const t = doc.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.headers.includes('test accuracy') && b.headers.at(-1) === 'CPU seconds');
      return t !== undefined && t.kind === 'table' ? t.rows.map((r) => r.slice(0, -1)) : [];
    };
    const notes = (doc: Document): string[] => doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'note' ? [b.text] : [])));
    for (const e of [1, 2]) {
      const at = seen[e - 1]!.doc;
      // The run so far: the first e + 1 rows of the whole run's table (epoch 0 and epochs 1 … e).
      expect(epochRows(at)).toEqual(epochRows(cli).slice(0, e + 1));
      // 16 steps an epoch, 48 in all; η = 0.01 · (1 − k/48) at step k.
      const taken = 16 * e;
      // A number as the lesson shows it in prose: 3 significant digits, below 0.001 as TeX's 6.25 × 10⁻⁴.
      const shown = (v: number): string => (v >= 1e-3 ? v.toPrecision(3) : v.toExponential(2).replace(/^(\d\.\d+)e-(\d+)$/, '$$$1 \\times 10^{-$2}$$'));
      expect(notes(at).filter((n) => n.startsWith('This is the run'))).toEqual([`This is the run after epoch ${e} of 3: its ${taken} steps so far took η from 0.01 down to ${shown(0.01 * (1 - (taken - 1) / 48))}, and its other ${48 - taken} steps, each smaller still, are yet to come. The same settings with --epochs ${e} give another run: its η falls over its own ${taken} steps, to ${shown(0.01 / taken)} at the last, so from its second step on its η is smaller than this run's.`]);
      // The dense network it is compared with has had as many epochs.
      const compare = at.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.headers.includes('epochs trained'));
      expect(compare !== undefined && compare.kind === 'table' ? compare.rows.map((r) => r[3]) : []).toEqual([e, e]);
    }
    // And the run of --epochs 1 is another run: its first epoch's row differs from this run's (its step size falls faster).
    expect(epochRows(await lessonDocument(lesson, { ...settings, epochs: 1 }))[1]).not.toEqual(epochRows(cli)[1]);
  });
});
