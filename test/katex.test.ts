import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DownhillError } from '../src/errors.ts';
import { checkTex, texToHtml } from '../src/render/katex.ts';
import { katexAssetsDir } from '../src/render/katex-assets.ts';

describe('texToHtml(tex, {display})', () => {
  test('renders inline math as a katex span with MathML carrying the source', () => {
    const html = texToHtml('\\frac{\\partial L}{\\partial w}');
    expect(html.startsWith('<span class="katex">')).toBe(true);
    expect(html).toContain('<math');
    expect(html).toContain('<annotation encoding="application/x-tex">\\frac{\\partial L}{\\partial w}</annotation>');
    expect(html).not.toContain('katex-display');
  });

  test('display mode wraps the formula in katex-display', () => {
    const html = texToHtml('w \\leftarrow w - \\eta \\nabla L', { display: true });
    expect(html.startsWith('<span class="katex-display">')).toBe(true);
    expect(html).toContain('class="katex"');
  });

  test('accepts unicode in math mode without warnings', () => {
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      expect(texToHtml('σ(z) = ∂L')).toContain('class="katex"');
    } finally {
      console.warn = original;
    }
    expect(warnings).toEqual([]);
  });

  test.each([['\\frac{1}{'], ['\\foo x'], ['x^'], ['\\left( x']])('texToHtml(%j) throws a one-line DownhillError quoting the TeX', (tex) => {
    let caught: unknown;
    try {
      texToHtml(tex);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DownhillError);
    const message = (caught as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`invalid TeX "${tex}"`);
  });

  test('names the undefined control sequence', () => {
    expect(() => texToHtml('\\foo x')).toThrow(/Undefined control sequence: \\foo/);
  });

  test('does not trust \\href or \\includegraphics (no links to the outside)', () => {
    // With trust off, KaTeX renders them as error-coloured text instead of a link.
    const html = texToHtml('\\href{https://example.com}{x}');
    expect(html).not.toContain('href="https://example.com"');
  });
});

describe('checkTex(tex, {display})', () => {
  /** The error texToHtml gives (KaTeX rendering the whole formula), or undefined. */
  const renderError = (tex: string, display: boolean): string | undefined => {
    try {
      texToHtml(tex, { display });
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const checkError = (tex: string, display: boolean): string | undefined => {
    try {
      checkTex(tex, { display });
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(DownhillError);
      return (e as Error).message;
    }
  };

  test('refuses what texToHtml refuses, with the same message, every time it is asked, in each style apart', () => {
    // In order: \tag is display-only, so its acceptance in display must not carry over to inline; a macro defined
    // by one formula is not defined in the next; a refused formula stays refused.
    const cases: readonly (readonly [string, boolean])[] = [
      ['\\tag{1} x + 1', true], ['\\tag{1} x + 1', false], ['\\tag{1} x + 1', true], ['\\tag{1} x + 1', false],
      ['\\gdef\\twice#1{2#1} \\twice{x}', false], ['\\twice{y}', false], ['\\twice{y}', false],
      ['\\frac{1}{', true], ['\\frac{1}{', true], ['\\frac{1}{2}', true], ['\\frac{1}{2}', false],
    ];
    const got = cases.map(([tex, display]) => checkError(tex, display));
    expect(got.filter((m) => m !== undefined)).toHaveLength(6);
    // texToHtml's answers, asked afterwards in another order (its renderings are cached by formula and style too).
    const expected = [...cases].reverse().map(([tex, display]) => renderError(tex, display)).reverse();
    expect(got).toEqual(expected);
  });
});

describe('katexAssetsDir()', () => {
  test('holds katex.min.css and the fonts folder', () => {
    const dir = katexAssetsDir();
    expect(dir.endsWith(join('katex', 'dist'))).toBe(true);
    expect(existsSync(join(dir, 'katex.min.css'))).toBe(true);
    expect(readdirSync(join(dir, 'fonts')).some((f) => f.endsWith('.woff2'))).toBe(true);
  });
});
