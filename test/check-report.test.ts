// The check report is a document like a lesson: its tables hold the numbers
// (tested here against cos, the exact derivative of sin), and the same
// renderers draw it.
import { describe, expect, test } from 'vitest';
import { checkClaim } from '../src/check/claim.ts';
import { checkGradient } from '../src/check/gradient-check.ts';
import { checkDocument, checkReportHtml } from '../src/check/document.ts';
import { stepSweep } from '../src/check/sweep.ts';
import { tablesOf } from '../src/render/document.ts';
import { documentMarkdown } from '../src/render/markdown.ts';
import { documentText } from '../src/render/terminal.ts';

describe('checkDocument', () => {
  test('sin(x) at x = 1: the table holds cos(1) as the exact derivative, a central difference near it, and "pass"', async () => {
    const doc = checkDocument({ gradient: checkGradient('sin(x)', { x: 1 }), sweeps: [stepSweep('sin(x)', { x: 1 }, 'x')] });
    const [gradient, sweep] = tablesOf(doc);
    const row = gradient!.rows[0]!;
    expect(row[1]).toBe(Math.cos(1));
    expect(Math.abs((row[2] as number) - Math.cos(1))).toBeLessThan(1e-9);
    expect(row[6]).toBe('pass');
    // The sweep: twelve steps from 10⁻¹ to 10⁻¹²; the central error at h = 10⁻⁴ is about h²/6·|cos‴| = 1.7·10⁻⁹·cos(1).
    expect(sweep!.rows.map((r) => r[0])).toEqual([1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12]);
    expect(sweep!.rows[3]![4] as number).toBeCloseTo((1e-8 / 6) * Math.cos(1), 11);
    expect(documentText(doc)).toContain('∂f/∂x');
    expect(documentMarkdown(doc)).toMatch(/^## Step sweep for \$/m);
  });

  test('a wrong claim is called wrong, with the points where it differs; the page renders it', async () => {
    const claim = checkClaim('x^2', 'x: x', { x: 3 });
    const doc = checkDocument({ claim });
    const prose = doc.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));
    expect(prose).toContain('your $\\frac{\\partial f}{\\partial x} = x$ is WRONG; exact:');
    expect(prose).toContain('1 of 1 claims are wrong');
    const differ = tablesOf(doc)[0]!;
    // Claimed x against the exact 2x: the difference is −x at every point.
    for (const r of differ.rows) expect(r[3] as number).toBeCloseTo((r[2] as number) - (r[1] as number), 12);
    const html = await checkReportHtml({ claim });
    expect(html).toContain('class="katex"');
    expect(html).toContain('<h1>downhill check</h1>');
  });
});
