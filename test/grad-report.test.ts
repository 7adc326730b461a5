import { describe, expect, test } from 'vitest';
import { gradDocument, gradJson, gradReport, playgroundDocument, readGradText } from '../src/check/grad-report.ts';
import { documentText } from '../src/render/terminal.ts';
import { sectionsHtml } from '../src/render/html.ts';
import type { Block, Document } from '../src/render/document.ts';
import { runCli } from './support/cli.ts';
import * as engine from '../src/engine.ts';

const blocksOf = (doc: Document, id: string): readonly Block[] => doc.sections.find((s) => s.id === id)?.blocks ?? [];
const at = (o: Record<string, number>): Map<string, number> => new Map(Object.entries(o));

describe('the grad report (one Document for downhill grad and the playground)', () => {
  test('one expression: the partials in closed form, and at a point the value and gradient by hand', () => {
    // f = x²y at x = 3, y = 2: f = 18, ∂f/∂x = 2xy = 12, ∂f/∂y = x² = 9.
    const report = gradReport(readGradText('x^2*y'), { at: at({ x: 3, y: 2 }) });
    expect(report.partials.map((d) => d.text)).toEqual(['2 * y * x', 'x ^ 2']);
    expect(gradJson(report)).toEqual({
      expr: 'x^2*y', wrt: ['x', 'y'],
      derivatives: { x: { text: '2 * y * x', tex: '2 y x' }, y: { text: 'x ^ 2', tex: '{x}^{2}' } },
      at: { x: 3, y: 2 }, value: 18, gradient: { x: 12, y: 9 },
    });
    const text = documentText(gradDocument(report), 80);
    for (const line of ['f = x^2*y', '∂f/∂x = 2 * y * x', 'TeX: 2 y x', 'at x = 3, y = 2:', 'f = 18', '∂f/∂x = 12', '∂f/∂y = 9']) expect(text).toContain(line);
    expect(gradDocument(report).sections.map((s) => s.id)).toEqual(['function', 'partials', 'values']);
  });

  test('named steps: the steps, the backward pass by name, and every value by hand', () => {
    // z = wx = 0.5, L = (y − z)² = 2.25, ∂L/∂z = −2(y − z) = −3, ∂L/∂w = ∂L/∂z · x = −3, ∂L/∂x = ∂L/∂z · w = −1.5.
    const report = gradReport(readGradText('z = w*x; L = (y - z)^2'), { wrt: ['w', 'x'], at: at({ w: 0.5, x: 1, y: 2 }) });
    expect(report.name).toBe('L');
    expect(gradJson(report)).toMatchObject({ values: { z: 0.5, L: 2.25 }, value: 2.25, adjoints: { z: -3 }, gradient: { w: -3, x: -1.5 } });
    const doc = gradDocument(report);
    expect(doc.sections.map((s) => s.id)).toEqual(['steps', 'backward', 'partials', 'values']);
    const text = documentText(doc, 80);
    for (const line of ['z = w * x', '∂L/∂z = ', 'z = 0.5', 'L = 2.25', '∂L/∂z = -3', '∂L/∂w = -3', '∂L/∂x = -1.5']) expect(text).toContain(line);
  });

  test('downhill grad prints the report\'s Document: the command\'s stdout is documentText of it, and --json its gradJson', () => {
    const text = 'sin(w*x)^2 + w*b';
    const report = gradReport(readGradText(text), { wrt: ['w', 'b'], at: at({ w: 0.5, x: 1, b: 2 }) });
    const cli = runCli(['grad', text, '--wrt', 'w,b', '--at', 'w=0.5,x=1,b=2']);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toBe(documentText(gradDocument(report)));
    expect(JSON.parse(runCli(['grad', text, '--wrt', 'w,b', '--at', 'w=0.5,x=1,b=2', '--json']).stdout)).toEqual(gradJson(report));
  });

  test('through downhill/engine: `downhill grad --json` by library, with the same one-line refusals as the command', () => {
    // f = w·x² at w = 3, x = 2: f = 12, ∂f/∂w = x² = 4, ∂f/∂x = 2wx = 12.
    const report = engine.gradReport(engine.readGradText('w*x^2'), { at: at({ w: 3, x: 2 }) });
    expect(engine.gradJson(report)).toEqual({ expr: 'w*x^2', wrt: ['w', 'x'], derivatives: expect.any(Object), at: { w: 3, x: 2 }, value: 12, gradient: { w: 4, x: 12 } });
    expect(documentText(engine.gradDocument(report))).toBe(runCli(['grad', 'w*x^2', '--at', 'w=3,x=2']).stdout);
    // The command's messages, without its prefix; and junk refused at the door, in one line.
    expect(() => engine.gradReport(engine.readGradText('w*x'), { at: at({ w: 1 }) })).toThrow(/^--at: no value for x \(every symbol needs one\)$/);
    expect(runCli(['grad', 'w*x', '--at', 'w=1']).stderr).toBe('downhill grad: --at: no value for x (every symbol needs one)\n');
    expect(() => engine.readGradText(42 as never)).toThrow(/^readGradText: text must be a string, got 42$/);
    expect(() => engine.gradReport({ text: 'x' } as never)).toThrow(/^gradReport: read must be a text read by readGradText, got an object with text$/);
    expect(() => engine.gradReport(engine.readGradText('x'), { at: { x: 1 } } as never)).toThrow(/^gradReport: at must be a Map from symbol names to numbers \(or nothing\), got an object with x$/);
    expect(() => engine.gradDocument(engine.readGradText('x') as never)).toThrow(/^gradDocument: r must be a report \(gradReport's result\), got an object with text, name, expr, \.\.\.$/);
  });

  test('the playground\'s Document is the command\'s, then the check, graph and descent, whose numbers are the report\'s', async () => {
    // f = (y − wx)² at w = 1.5, x = 1, y = 2: ∂f/∂w = −2x(y − wx) = −1; one step of η = 0.1 gives w = 1.6, f = 0.16.
    const report = gradReport(readGradText('(y - w*x)^2'), { wrt: ['w'], at: at({ w: 1.5, x: 1, y: 2 }) });
    const doc = await playgroundDocument(report, { lr: 0.1, steps: 1 });
    const command = gradDocument(report);
    expect(doc.sections.slice(0, command.sections.length)).toEqual(command.sections);
    expect(doc.sections.map((s) => s.id)).toEqual(['function', 'partials', 'values', 'check', 'graph', 'descent']);
    const check = blocksOf(doc, 'check')[0]!;
    if (check.kind !== 'table') throw new Error('the check is a table');
    expect(check.rows).toHaveLength(1);
    expect(check.rows[0]![0]).toBe('w');
    expect(check.rows[0]![1]).toBe(-1);
    expect(Math.abs((check.rows[0]![2] as number) + 1)).toBeLessThan(1e-8);
    expect(check.rows[0]![4]).toBe('pass');
    const descent = blocksOf(doc, 'descent')[0]!;
    if (descent.kind !== 'table') throw new Error('the descent is a table');
    expect(descent.rows[0]).toEqual([0, 1.5, 0.25]);
    expect(descent.rows[1]![1]).toBeCloseTo(1.6, 12);
    expect(descent.rows[1]![2]).toBeCloseTo(0.16, 12);
    // Every section renders as HTML with its id (the page swaps them by id).
    expect(sectionsHtml(doc).filter((s) => s.id !== 'contents').map((s) => s.id)).toEqual(doc.sections.map((s) => s.id));
  });

  test('two parameters: the descent has a mountain over them, whose loss is the text as typed', async () => {
    const report = gradReport(readGradText('z = w*x + b; L = (y - z)^2'), { wrt: ['w', 'b'], at: at({ w: 0.5, b: 0, x: 1, y: 2 }) });
    const doc = await playgroundDocument(report, { lr: 0.1, steps: 3 });
    const mountain = blocksOf(doc, 'descent').find((b) => b.kind === 'mountain');
    if (mountain?.kind !== 'mountain') throw new Error('a mountain');
    expect(mountain.data).toMatchObject({ loss: 'z = w*x + b; L = (y - z)^2', params: ['w', 'b'], data: ['y', 'x'], batch: [[2, 1]], start: [0.5, 0] });
  });

  test('the playground needs a point; too many partials are refused with the command\'s line', async () => {
    await expect(playgroundDocument(gradReport(readGradText('w^2')), { lr: 0.1, steps: 3 })).rejects.toThrow('the playground needs a value for every symbol');
    const product = Array.from({ length: 201 }, (_, i) => `a${i}`).join('*');
    expect(() => gradReport(readGradText(product))).toThrow('201 partial derivatives asked for: at most 200');
  });
});
