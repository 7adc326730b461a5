// The committed formula reference as a reader sees it: no math inside link
// text (GitHub renders none there), and plots shown at their own size, with
// labels of a readable height.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { markdownLinkText } from '../src/render/markdown.ts';

const dir = new URL('../docs/formulas/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'utf8');
const files = readdirSync(dir);

describe('docs/formulas', () => {
  test('no Markdown link has $…$ math in its text', () => {
    const md = files.filter((f) => f.endsWith('.md'));
    expect(md.length).toBeGreaterThan(1);
    for (const f of md) expect(read(f).match(/\[[^\]]*\$[^\]]*\]\(/g), f).toBeNull();
  });

  test('link text reads the math in Unicode instead', () => {
    expect(markdownLinkText('squaredError($\\hat{y}, y$)')).toBe('squaredError(ŷ, y)');
    expect(read('index.md')).toContain('[squaredError(ŷ, y)](losses.md#squared-error)');
  });

  test('every plot (vega) is shown at the size of its SVG, and its axis text is at least 12 px', () => {
    let plots = 0;
    for (const f of files.filter((name) => name.endsWith('.html'))) {
      for (const m of read(f).matchAll(/<img src="(plots\/[^"]+\.svg)"[^>]* width="(\d+)" height="(\d+)"/g)) {
        const svg = read(m[1]!);
        if (!/^<svg[^>]*class="marks"/.test(svg)) continue; // a Graphviz picture, not a plot
        const own = /<svg[^>]*\bwidth="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
        expect([Number(m[2]), Number(m[3])], `${f}: ${m[1]}`).toEqual([Number(own[1]), Number(own[2])]);
        const sizes = [...svg.matchAll(/font-size="(\d+(?:\.\d+)?)px"|font-size:\s*(\d+(?:\.\d+)?)px/g)].map((s) => Number(s[1] ?? s[2]));
        expect(sizes.length, m[1]).toBeGreaterThan(0);
        expect(Math.min(...sizes), m[1]).toBeGreaterThanOrEqual(12);
        plots++;
      }
    }
    expect(plots).toBeGreaterThan(10);
  });
});
