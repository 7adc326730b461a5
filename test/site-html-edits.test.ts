// A section's new HTML as edits of the one the page shows (site/html-edits.ts): texts and attribute values by their
// place in document order where a child's tags are the same, a child's HTML where they are not or where it is live,
// nothing where the section's children differ. Every expected edit below is read off the two HTML strings by hand.
import { describe, expect, test } from 'vitest';
import { sectionEdits } from '../site/html-edits.ts';

const section = (...children: string[]): string => `<section id="s">\n<h2>Title</h2>\n${children.join('\n')}\n</section>`;

describe('sectionEdits', () => {
  test('a text that changes is an edit of the text node at its place; a child that does not change is left out', () => {
    const before = section('<p>With <span class="katex">w = 1.5</span> the loss is <b>0.25</b>.</p>', '<p>Nothing changes here.</p>');
    const after = section('<p>With <span class="katex">w = 2</span> the loss is <b>0.125</b>.</p>', '<p>Nothing changes here.</p>');
    // Child 1 (the h2 is child 0): elements p, span, b; texts 'With ', 'w = 1.5', ' the loss is ', '0.25', '.'.
    expect(sectionEdits(before, after)).toEqual({
      children: 3,
      edits: [{ child: 1, elements: 3, texts: 5, text: [[1, 'w = 1.5', 'w = 2'], [3, '0.25', '0.125']], attributes: [] }],
    });
  });

  test('an attribute value that changes is an edit of its element, named; character references are read as the parser reads them', () => {
    const before = section('<figure><svg viewBox="0 0 10 10"><path d="M0,0L1,1"/><text x="1">a &lt; b</text></svg></figure>');
    const after = section('<figure><svg viewBox="0 0 10 10"><path d="M0,0L2,2"/><text x="1">a &amp; b&#x3E;</text></svg></figure>');
    expect(sectionEdits(before, after)).toEqual({
      children: 2,
      edits: [{ child: 1, elements: 4, texts: 1, text: [[0, 'a < b', 'a & b>']], attributes: [[2, 'path', 'd', 'M0,0L1,1', 'M0,0L2,2']] }],
    });
  });

  test('a quoted value may hold > and quotes of the other kind; void elements have no end tag', () => {
    const before = section(`<p data-x="a>b 'c'" title='say "1"'>one<br>x<img src="a.png" alt="1"></p>`);
    const after = section(`<p data-x="a>b 'c'" title='say "2"'>two<br>x<img src="a.png" alt="2"></p>`);
    expect(sectionEdits(before, after)).toEqual({
      children: 2,
      edits: [{ child: 1, elements: 3, texts: 2, text: [[0, 'one', 'two']], attributes: [[0, 'p', 'title', 'say "1"', 'say "2"'], [2, 'img', 'alt', '1', '2']] }],
    });
  });

  test('a child whose tags differ, or that is live (a script, a canvas, a mountain, a step-through), is sent as its HTML; a script, changed or not', () => {
    const before = section('<p>(<b>-1</b>)</p>', '<div class="dh-steps"><p>1</p></div>', '<script>if (a < b) go()</script>', '<figure class="dh-mountain" data-a="1"></figure>', '<div><canvas></canvas>1</div>');
    const after = section('<p><b>1</b></p>', '<div class="dh-steps"><p>2</p></div>', '<script>if (a < b) go()</script>', '<figure class="dh-mountain" data-a="2"></figure>', '<div><canvas></canvas>2</div>');
    expect(sectionEdits(before, after)).toEqual({
      children: 6,
      edits: [
        { child: 1, html: '<p><b>1</b></p>' },
        { child: 2, html: '<div class="dh-steps"><p>2</p></div>' },
        { child: 3, html: '<script>if (a < b) go()</script>' },
        { child: 4, html: '<figure class="dh-mountain" data-a="2"></figure>' },
        { child: 5, html: '<div><canvas></canvas>2</div>' },
      ],
    });
  });

  test('a text that appears, disappears or turns to white space only is a change of shape: the child is sent whole', () => {
    for (const [x, y] of [['<td>1</td>', '<td></td>'], ['<td></td>', '<td>1</td>'], ['<td>1</td>', '<td> </td>']] as const) {
      expect(sectionEdits(section(`<table><tr>${x}</tr></table>`), section(`<table><tr>${y}</tr></table>`))).toEqual({ children: 2, edits: [{ child: 1, html: `<table><tr>${y}</tr></table>` }] });
    }
  });

  test('a pre\'s leading newline is not a text node\'s: the parser drops it', () => {
    expect(sectionEdits(section('<pre>\nx = 1</pre>'), section('<pre>\nx = 2</pre>'))).toEqual({
      children: 2, edits: [{ child: 1, elements: 1, texts: 1, text: [[0, 'x = 1', 'x = 2']], attributes: [] }],
    });
  });

  test('no edits when the sections\' children differ in number, in the text between them, or in the section\'s tag; or with markup not read here', () => {
    expect(sectionEdits(section('<p>1</p>'), section('<p>1</p>', '<p>2</p>'))).toBeUndefined();
    expect(sectionEdits(section('<p>1</p>', '<p>2</p>'), `<section id="s">\n<h2>Title</h2>\n<p>1</p> <p>2</p>\n</section>`)).toBeUndefined();
    expect(sectionEdits(section('<p>1</p>'), section('<p>1</p>').replace('id="s"', 'id="t"'))).toBeUndefined();
    expect(sectionEdits(section('<p>1<!-- a --></p>'), section('<p>2<!-- a --></p>'))).toBeUndefined();
    // A named reference other than the few read here: the child is sent whole.
    expect(sectionEdits(section('<p>&copy; 1</p>'), section('<p>&copy; 2</p>'))).toEqual({ children: 2, edits: [{ child: 1, html: '<p>&copy; 2</p>' }] });
  });
});
