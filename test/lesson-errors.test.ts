// A mistake in a lesson file is told as the lesson's: file:line:column, the
// line itself with a caret under the column, the message, exit 1. The
// places are counted by hand in the files written here.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { codeFrame } from '../src/lesson/failure.ts';
import { runCli } from './support/cli.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downhill-errors-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A lesson whose body is `body` (line 4 on), its file written to the folder. */
async function lesson(name: string, body: string, imports = 'defineLesson, parseExpression'): Promise<string> {
  const text = [
    `import { ${imports} } from 'downhill';`,
    `export default defineLesson({ number: 1, name: 'x', title: 'X', summary: 's', defaults: {} }, async (doc) => {`,
    `  doc.section('One');`,
    body,
    '});',
    '',
  ].join('\n');
  await writeFile(join(dir, name), text);
  return `./${name}`;
}

describe('errors in a lesson point at the lesson', () => {
  test('a thrown Error: its place in the file, the line with a caret, exit 1', async () => {
    const file = await lesson('boom.ts', "  const n: number = 1;\n  if (n > 0) throw new Error('boom');");
    const r = runCli(['lesson', file, '--no-page'], { cwd: dir });
    expect(r.code).toBe(1);
    // Line 5 is the throw; `throw new Error` puts the place at "new", column 20.
    expect(r.stderr).toBe([
      'downhill lesson: boom.ts:5:20: boom',
      "  3 |   doc.section('One');",
      '  4 |   const n: number = 1;',
      "> 5 |   if (n > 0) throw new Error('boom');",
      '    |                    ^',
      '  6 | });',
      '',
    ].join('\n'));
  });

  test('a misspelt import: the name in the import line, and what the module lacks', async () => {
    const file = await lesson('typo.ts', "  doc.text('hi');", 'defineLesson, parseExpresion');
    const r = runCli(['lesson', file, '--no-page'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("downhill lesson: typo.ts:1:24: 'downhill' has no export named 'parseExpresion'");
    expect(r.stderr).toContain("> 1 | import { defineLesson, parseExpresion } from 'downhill';\n    |                        ^\n");
    expect(r.stderr).not.toMatch(/internal error/);
  });

  test('a syntax error in TypeScript, and one in a JavaScript helper it imports', async () => {
    const ts = await lesson('syntax.ts', '  const w: number = ;');
    const r = runCli(['lesson', ts, '--no-page'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^downhill lesson: syntax\.ts:4:21: syntax error: Expression expected\n/);
    expect(r.stderr).toContain('> 4 |   const w: number = ;\n    |                     ^\n');
    await writeFile(join(dir, 'helper.js'), 'export const k = 1;\nexport const j = ;\n');
    const js = await lesson('uses-helper.js', "  doc.text(String(k + j));").then(async (f) => {
      const text = readFileSync(join(dir, 'uses-helper.js'), 'utf8');
      await writeFile(join(dir, 'uses-helper.js'), `import { k, j } from './helper.js';\n${text}`);
      return f;
    });
    const h = runCli(['lesson', js, '--no-page'], { cwd: dir });
    expect(h.code).toBe(1);
    expect(h.stderr).toMatch(/^downhill lesson: helper\.js:2:18: syntax error: Expression expected\n/);
  });

  test('what only the compiler refuses (a name declared twice) is the lesson\'s too, at the second declaration', async () => {
    const file = await lesson('twice.ts', '  const w: number = 1;\n  const w = 2;');
    const r = runCli(['lesson', file, '--no-page'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^downhill lesson: twice\.ts:5:9: syntax error: Identifier 'w' has already been declared\n/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  test("downhill's own refusal of a lesson's call points at the call", async () => {
    const file = await lesson('refused.ts', "  const L = parseExpression('(w - 3');\n  doc.expression(L);", 'defineLesson, parseExpression');
    const r = runCli(['lesson', file, '--no-page'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^downhill lesson: refused\.ts:4:13: unbalanced parentheses: 1 "\(" not closed/);
  });

  test('a refusal found only when the page is drawn (a surface of NaN) still points at the call that asked for it', async () => {
    const file = await lesson('surface.ts', "  doc.plot(surfacePlot({ f: () => NaN, xRange: [0, 1], yRange: [0, 1] }), 'A surface.');", 'defineLesson, surfacePlot');
    const r = runCli(['lesson', file, '--out', join(dir, 'pages')], { cwd: dir });
    expect(r.code).toBe(1);
    // Line 4, column 12: the call to surfacePlot.
    expect(r.stderr.split('\n')[0]).toMatch(/^downhill lesson: surface\.ts:4:12: surfacePlot: /);
  });

  test('a TypeError raised inside downhill under a lesson\'s call names the call, and where to report a bug', async () => {
    // A node that passes derivative's argument check (it has a kind and an id) but was not built by downhill's
    // builders: its sum has no operands, and the walk inside downhill fails on it (null, where a node should be).
    const file = await lesson('inside.ts', "  derivative({ kind: 'add', id: 1e9, args: [null, null] } as never, 'w');", 'defineLesson, derivative');
    const r = runCli(['lesson', file, '--no-page'], { cwd: dir });
    expect(r.code).toBe(1);
    const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    expect(r.stderr.split('\n')[0]).toBe(`downhill lesson: inside.ts:4:3: TypeError: Cannot read properties of null (reading 'id') (raised inside downhill: if this call is right, it is a bug in downhill; please report it (downhill ${version}) with the command you ran and this message)`);
  });
});

describe('code frames', () => {
  test('two lines before, one after, the caret under the column, tabs kept', () => {
    expect(codeFrame('a\n\tbc = ;\nd\n', 2, 7)).toBe([
      '  1 | a',
      '> 2 | \tbc = ;',
      '    | \t     ^',
      '  3 | d',
    ].join('\n'));
    expect(codeFrame('a\n', 5, 1)).toBe('');
  });
});
