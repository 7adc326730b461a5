/**
 * A printable page of a practice set, without answers: the set as a
 * Document (render/document.ts), so the existing renderers print it (HTML
 * for paper, Markdown, the terminal). One section per item: its prompt,
 * with the tolerance or the choices, and room to write.
 *
 *   documentHtml(practiceDocument(set, items))
 */
import type { Block, Document } from '../render/document.ts';
import { promptText, type PracticeItem, type PracticeSet } from './practice.ts';

const kindWords: Record<PracticeItem['kind'], string> = {
  formula: 'a formula', number: 'a number', prediction: 'a prediction about a run', matrix: 'a matrix equation', choice: 'one choice',
};

export function practiceDocument(set: PracticeSet, items: readonly PracticeItem[], variantId?: string): Document {
  const intro: Block = {
    kind: 'paragraph',
    text: `${items.length} exercises on lesson ${set.lesson}${variantId === undefined ? '' : ` (variant ${variantId})`}. Formulas are typed in mathjs syntax (\`2*x*(w*x - y)\`, \`sigmoid(z)\`, \`exp(-z)\`); check your answers with \`downhill practice ${set.lesson}${variantId === undefined ? '' : ` --variant ${variantId}`}\`.`,
  };
  return {
    title: set.title,
    subtitle: `Practice for lesson ${set.lesson}: answers are graded by the engine`,
    sections: [
      { blocks: [intro] },
      ...items.map((item, i) => ({
        heading: `${i + 1}. ${kindWords[item.kind][0]!.toUpperCase()}${kindWords[item.kind].slice(1)}`,
        blocks: [{ kind: 'paragraph', text: promptText(item) } as const, { kind: 'paragraph', text: 'Your answer: ______________________________________________' } as const],
      })),
    ],
    footer: `downhill practice ${set.lesson}: the exercises of this page, graded, with hints`,
  };
}
