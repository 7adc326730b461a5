/**
 * The Markdown form of the formula reference, with `$$ … $$` math for GitHub.
 *
 * GitHub runs a `$$` block through Markdown before MathJax sees it: a
 * backslash before ASCII punctuation is an escape there (`\\` becomes `\`,
 * `\{` becomes `{`), and MathJax on GitHub lacks `\operatorname`. So the
 * TeX is rewritten to use control words only (`\cr`, `\lbrace`, `\mathrm`),
 * which read the same whether or not Markdown touched them.
 *
 *   githubTex('\\operatorname{ReLU}\\left(u\\right)')          // '\\mathrm{ReLU}\\left(u\\right)'
 *   githubTex('\\begin{cases}1 & u>0\\\\0\\end{cases}')       // '\\begin{cases}1 & u\\gt 0\\cr 0\\end{cases}'
 */
import { DownhillError } from '../errors.ts';

/** Control symbols (backslash + punctuation) and the control words that replace them. */
const CONTROL_SYMBOLS: Readonly<Record<string, string>> = {
  '\\': '\\cr', '{': '\\lbrace', '}': '\\rbrace', ',': '\\thinspace', ':': '\\medspace',
  ';': '\\thickspace', '!': '\\negthinspace', '|': '\\Vert',
};

/**
 * TeX that GitHub renders as KaTeX would: no `\operatorname`, no backslash
 * before ASCII punctuation, no `<` or `>` (which Markdown may read as HTML).
 * A control symbol it has no replacement for is a DownhillError.
 */
export function githubTex(tex: string): string {
  let out = '';
  let i = 0;
  const word = (w: string): void => {
    out += w;
    if (/[A-Za-z0-9]/.test(tex[i] ?? '')) out += ' ';
  };
  while (i < tex.length) {
    const c = tex[i]!;
    if (c === '\\') {
      const m = /^[A-Za-z]+/.exec(tex.slice(i + 1));
      if (m) {
        i += 1 + m[0].length;
        word(m[0] === 'operatorname' ? '\\mathrm' : `\\${m[0]}`);
        continue;
      }
      const next = tex[i + 1] ?? '';
      if (/[!-/:-@[-`{-~]/.test(next)) {
        const replacement = CONTROL_SYMBOLS[next];
        if (replacement === undefined) throw new DownhillError(`githubTex: no GitHub-safe form of \\${next} in "${tex.slice(0, 60)}"`);
        i += 2;
        word(replacement);
        continue;
      }
      out += c + next;
      i += 2;
    } else if (c === '<' || c === '>') {
      i += 1;
      word(c === '<' ? '\\lt' : '\\gt');
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Escapes Markdown's inline syntax in plain prose. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_[\]<>#|]/g, (ch) => `\\${ch}`);
}

/** Prose with `$…$` math and `` `…` `` code, as GitHub Markdown. */
export function markdownText(text: string): string {
  return text
    .split(/(`[^`]*`|\$[^$]*\$)/)
    .map((part) => {
      if (part.startsWith('`')) return part;
      if (part.startsWith('$') && part.length > 1) return `$${githubTex(part.slice(1, -1))}$`;
      return escapeMarkdown(part);
    })
    .join('');
}
