/**
 * A section's edits (site/html-edits.ts) made in the section the page shows: its changed texts and attribute
 * values set in the nodes it holds, and each child sent as HTML parsed alone, in place of parsing the whole
 * section (lesson 4's seed: some 380 kB). Everything is checked before anything changes: the section's number
 * of children, each edited child's number of elements and of text nodes, each element's name and each value
 * replaced. Undefined, with nothing changed, when a check fails (the page then parses the section's HTML).
 */
import type { SectionEdits } from '../html-edits.ts';

/** One element from its HTML, parsed in a template and adopted into the page's document. */
function element(html: string): Element | undefined {
  const template = document.createElement('template');
  template.innerHTML = html;
  const element = template.content.firstElementChild;
  return element === null || template.content.childNodes.length !== 1 ? undefined : document.adoptNode(element);
}

/** The text nodes under `root`, in document order. */
function textNodes(root: Element): Text[] {
  const texts: Text[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) texts.push(node as Text);
  return texts;
}

/**
 * Makes `section` (shown, holding the HTML the edits start from) hold the edits' HTML; returns the children
 * put in from HTML (their scripts are the caller's to run), or undefined, with nothing changed, when the
 * section is not the one the edits start from.
 */
export function applyEdits(section: Element, edits: SectionEdits): Element[] | undefined {
  const children = [...section.children];
  if (children.length !== edits.children) return undefined;
  const changes: (() => void)[] = [];
  const inserted: Element[] = [];
  for (const edit of edits.edits) {
    const shown = children[edit.child];
    if (shown === undefined) return undefined;
    if ('html' in edit) {
      const fresh = element(edit.html);
      if (fresh === undefined) return undefined;
      changes.push(() => shown.replaceWith(fresh));
      inserted.push(fresh);
      continue;
    }
    const elements = [shown, ...shown.querySelectorAll('*')];
    if (elements.length !== edit.elements) return undefined;
    const texts = textNodes(shown);
    if (texts.length !== edit.texts) return undefined;
    for (const [k, tag, name, before] of edit.attributes) {
      const e = elements[k]!;
      if (e.localName.toLowerCase() !== tag.toLowerCase() || e.getAttribute(name) !== before) return undefined;
    }
    for (const [k, before] of edit.text) if (texts[k]!.data !== before) return undefined;
    changes.push(() => {
      for (const [k, , name, , after] of edit.attributes) elements[k]!.setAttribute(name, after);
      for (const [k, , after] of edit.text) texts[k]!.data = after;
    });
  }
  for (const change of changes) change();
  return inserted;
}
