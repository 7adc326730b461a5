/// <reference types="vite/client" />
/**
 * The practice pages' side of the engine's worker (site/worker.ts hands it
 * the `practice` requests). The sets are the same modules `downhill practice`
 * runs (lessons/practice/*.ts), so the exact answers are derived here, in the
 * page's worker, from each item's definition: the page itself holds the
 * questions only. Every verdict is the CLI's (gradeAnswer), each typed answer is
 * read back as KaTeX of its parsed expression (answerTex), never as its text.
 *
 *   { kind: 'practice', op: 'grade', lesson: 4, item: 'dl-dw3', text: '2*(y - yhat)*h' }
 *   → { correct: false, kind: 'sign', level1: 'Not yet: the sign is wrong: …', level2: { text: '…' }, … }
 */
import {
  answerText, DownhillError, gradeAnswer, itemsOf, parseExpression, prepareItem, texToHtml, toTex,
  type PracticeItem, type PracticeSet,
} from '../src/index.ts';
import { answerTex, textWithMath } from '../src/live.ts';

export type PracticeRequest = { readonly kind: 'practice'; readonly lesson: number } & (
  /** Works out every item's exact answer once (the first verdict is then as fast as the others). */
  | { readonly op: 'prepare' }
  /** The typed answer read back: KaTeX of its parsed expression, or the reader's message. */
  | { readonly op: 'preview'; readonly item: string; readonly text: string }
  | { readonly op: 'grade'; readonly item: string; readonly text: string }
  /** Level 3: the answer (the page asks only when "show me" is pressed). */
  | { readonly op: 'reveal'; readonly item: string }
);

/** A hint as text (the checker's words) or as HTML (the author's, with its $TeX$ rendered at the engine). */
export type HintPart = { readonly text: string } | { readonly html: string };

export interface PreviewReply { readonly html?: string; readonly error?: string }
export interface GradeReply {
  readonly correct: boolean;
  /** The kind of mistake ('right', 'sign', 'missing-factor', …). */
  readonly kind: string;
  /** Level 1: the verdict and the kind of mistake. */
  readonly level1: string;
  /** Level 2: where the mistake is (shown on request). */
  readonly level2: HintPart;
  readonly method: string;
  /** A prediction: what the learner said, what the run gave, and what the run did. */
  readonly run?: { readonly said: number; readonly value: number; readonly report: string };
  /** Time spent in the worker, ms. */
  readonly ms: number;
}
export interface RevealReply { readonly text: string; readonly html?: string }

/**
 * Each set's module, run when a practice request first names its lesson, not when the engine loads (a lesson's page
 * never runs one; site/worker.ts loads the lessons so too). Lesson 5's set parses at import, for one.
 */
const setModules = new Map(Object.entries(import.meta.glob<{ default: PracticeSet }>('../lessons/practice/[0-9][0-9]-*.ts'))
  .map(([path, load]) => [Number(/\/(\d\d)-[^/]+$/.exec(path)![1]), load] as const));
/** The sets loaded, by lesson. */
const sets = new Map<number, PracticeSet>();

/** The lessons whose sets have been loaded. */
export const loadedPracticeSets = (): number[] => [...sets.keys()].sort((a, b) => a - b);

/** Loads lesson `lesson`'s set, once: every practice request waits for it (practiceAnswer reads `sets`). */
export async function loadPracticeSet(lesson: number): Promise<void> {
  if (sets.has(lesson)) return;
  const load = setModules.get(lesson);
  if (load === undefined) throw new DownhillError(`no practice set for lesson ${lesson}`);
  const set = (await load()).default;
  if (set.lesson !== lesson) throw new Error(`lessons/practice/${String(lesson).padStart(2, '0')}-*.ts is the set of lesson ${set.lesson}`);
  sets.set(lesson, set);
}

/** Each set's items, prepared once (their exact answers, points and links). */
const prepared = new Map<number, Map<string, ReturnType<typeof prepareItem>>>();

function preparedSet(lesson: number): Map<string, ReturnType<typeof prepareItem>> {
  let hit = prepared.get(lesson);
  if (hit === undefined) {
    const set = sets.get(lesson);
    if (set === undefined) throw new DownhillError(`no practice set for lesson ${lesson}`);
    hit = new Map(itemsOf(set).map((item) => [item.id, prepareItem(item)] as const));
    prepared.set(lesson, hit);
  }
  return hit;
}

function preparedItem(lesson: number, id: string): ReturnType<typeof prepareItem> {
  const p = preparedSet(lesson).get(id);
  if (p === undefined) throw new DownhillError(`practice set of lesson ${lesson} has no item "${id}"`);
  return p;
}

/** The author's own level-2 hint is prose with $TeX$ (rendered); the checker's is text. */
function level2(item: PracticeItem, hint: string): HintPart {
  return item.hint !== undefined && hint === item.hint ? { html: textWithMath(hint) } : { text: hint };
}

export function practiceAnswer(r: PracticeRequest): PreviewReply | GradeReply | RevealReply | { readonly items: number } {
  switch (r.op) {
    case 'prepare': {
      const items = preparedSet(r.lesson);
      // One throwaway verdict per kind of item, so that the learner's first one is not the one that compiles the checker.
      for (const p of items.values()) if (p.item.kind === 'formula' || p.item.kind === 'matrix') gradeAnswer(p, '0');
      return { items: items.size };
    }
    case 'preview': {
      const { item } = preparedItem(r.lesson, r.item);
      if (r.text.trim() === '') return {};
      try {
        const tex = answerTex(item, r.text);
        return tex === undefined ? {} : { html: texToHtml(tex) };
      } catch (e) {
        if (e instanceof DownhillError) return { error: e.message };
        throw e;
      }
    }
    case 'grade': {
      const start = performance.now();
      const p = preparedItem(r.lesson, r.item);
      const v = gradeAnswer(p, r.text);
      return {
        correct: v.correct, kind: v.kind, level1: v.hints[0], level2: level2(p.item, v.hints[1]), method: v.method,
        ...(v.run ? { run: v.run } : {}), ms: performance.now() - start,
      };
    }
    case 'reveal': {
      const p = preparedItem(r.lesson, r.item);
      const text = answerText(p);
      if (p.item.kind !== 'formula') return { text };
      try {
        return { text, html: texToHtml(toTex(parseExpression(text)), { display: true }) };
      } catch {
        return { text };
      }
    }
  }
}
