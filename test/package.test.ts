// The built package (dist/, built by the global setup) as a second project
// uses it: node_modules/downhill is a link to this checkout, so resolution goes
// through package.json's `exports` exactly as after `npm install downhill`.
// Plain node imports it; a strict TypeScript project type-checks against its
// .d.ts files; a Vite browser bundle of the engine and the KaTeX rendering
// builds and runs in headless Chromium.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedBrowser } from './support/browser.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules', name);
let project = '';

/** Runs a command in the user project; its exit code and output. */
function run(args: readonly string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'downhill-user-'));
  await mkdir(join(project, 'node_modules'));
  await symlink(root, join(project, 'node_modules', 'downhill'), 'dir');
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'user', private: true, type: 'module' }));
});

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe('plain node', () => {
  test('imports derivative from the package and gets d/dx x^3 = 3x^2 (12 at x = 2)', async () => {
    await writeFile(join(project, 'plain.js'), [
      "import { derivative, parseExpression, evaluate } from 'downhill';",
      "const d = derivative(parseExpression('x^3'), 'x');",
      "console.log(JSON.stringify({ text: d.text, at2: evaluate(d.node, new Map([['x', 2]])) }));",
    ].join('\n'));
    const r = run(['plain.js']);
    expect(r.out).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as { text: string; at2: number };
    expect(result.at2).toBe(12);
    expect(result.text).toMatch(/x/);
  });

  test("the second door, 'downhill/engine', gives the finite differences: central difference of x^3 at 2 is 12 within 1e-6", async () => {
    await writeFile(join(project, 'engine.js'), [
      "import { centralDifference } from 'downhill/engine';",
      "import * as main from 'downhill';",
      'console.log(JSON.stringify({ d: centralDifference((h) => (2 + h) ** 3, 1e-5), inMain: "centralDifference" in main }));',
    ].join('\n'));
    const r = run(['engine.js']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { d: number; inMain: boolean };
    expect(Math.abs(out.d - 12)).toBeLessThan(1e-6);
    // Each name is in one door.
    expect(out.inMain).toBe(false);
  });

  test('the package resolves to the built JavaScript and its types, never to TypeScript source', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    const entry = pkg.exports['.']!;
    expect(entry['import']).toMatch(/^\.\/dist\/.*\.js$/);
    expect(entry['types']).toMatch(/^\.\/dist\/.*\.d\.ts$/);
    const r = run(['--input-type=module', '-e', "console.log(import.meta.resolve('downhill'))"]);
    expect(r.out.trim()).toMatch(/\/dist\/src\/index\.js$/);
  });
});

describe('CommonJS', () => {
  // package.json's "default" condition: node 20.19+ (and 22.12+) require()s an ES module without top-level await.
  test("require('downhill') loads the package on this node (20.19 or later) and derives", async () => {
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major > 20 || (major === 20 && minor >= 19)).toBe(true);
    await writeFile(join(project, 'plain.cjs'), [
      "const { derivative, parseExpression } = require('downhill');",
      "console.log(derivative(parseExpression('x^3'), 'x').text);",
    ].join('\n'));
    const r = run(['--no-warnings', 'plain.cjs']);
    expect(r.out.trim()).toBe('3 * x ^ 2');
    expect(r.code).toBe(0);
  });
});

describe('a strict TypeScript project', () => {
  // The options `tsc --init` writes (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess,
  // verbatimModuleSyntax, ...), with every .d.ts checked (skipLibCheck off) and nothing emitted.
  let tsconfig = '';
  beforeAll(async () => {
    await rm(join(project, 'tsconfig.json'), { force: true });
    const init = run([bin('typescript/bin/tsc'), '--init']);
    expect(init.code).toBe(0);
    const written = await readFile(join(project, 'tsconfig.json'), 'utf8');
    for (const option of ['"strict": true', '"exactOptionalPropertyTypes": true', '"skipLibCheck": true']) expect(written).toContain(option);
    tsconfig = written
      .replace('"skipLibCheck": true', '"skipLibCheck": false, "noEmit": true')
      .replace(/^\{/, '{ "files": ["main.ts"],');
  });

  async function typecheck(source: string, ...flags: string[]): Promise<{ code: number | null; out: string }> {
    await writeFile(join(project, 'tsconfig.json'), tsconfig);
    await writeFile(join(project, 'main.ts'), source);
    return run([bin('typescript/bin/tsc'), '-p', '.', ...flags]);
  }

  test('type-checks a use of the engine through both doors with no error, every .d.ts it reaches included (skipLibCheck off)', async () => {
    const r = await typecheck([
      "import { derivative, parseExpression, compileGradient, packBatch } from 'downhill';",
      "import type { Derivative } from 'downhill/engine';",
      "const d: Derivative = derivative(parseExpression('x^3'), 'x');",
      'const text: string = d.text;',
      "const f = compileGradient(parseExpression('(w*x - y)^2'), { params: ['w'], data: ['x', 'y'] });",
      'const loss: number = f.lossAndGradient(new Float64Array([0.5]), new Float64Array(1), packBatch([[1, 2]]));',
      'export { text, loss };',
    ].join('\n'));
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  test('reaches the types of no other package: tsc reads only main.ts, its own lib files and downhill\'s dist/src', async () => {
    const r = await typecheck("import { derivative, linePlot } from 'downhill';\nexport { derivative, linePlot };\n", '--listFiles');
    expect(r.code).toBe(0);
    const read = r.out.split('\n').filter((line) => line.trim() !== '');
    expect(read).toContain(join(project, 'main.ts'));
    expect(read.filter((f) => f.startsWith(join(root, 'dist', 'src'))).length).toBeGreaterThan(10);
    const others = read.filter((f) => f !== join(project, 'main.ts') && !f.startsWith(join(root, 'dist', 'src')) && !/\/typescript[^/]*\/lib\/lib\.[\w.]+\.d\.ts$/.test(f));
    expect(others).toEqual([]);
  });

  test('and catches a wrong use: the types are really read', async () => {
    const r = await typecheck("import { derivative, parseExpression } from 'downhill';\nexport const n: number = derivative(parseExpression('x'), 'x').text;\n");
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/main\.ts.*Type 'string' is not assignable to type 'number'/);
  });
});

describe('a Vite browser bundle of the engine and the KaTeX rendering', () => {
  test('bundles the whole public entry with no Node module in it: Vite warns of none externalized', async () => {
    await writeFile(join(project, 'everything.js'), "import * as all from 'downhill';\nglobalThis.downhill = all;\n");
    await writeFile(join(project, 'vite.config.js'), `export default ${JSON.stringify({
      logLevel: 'warn',
      build: { outDir: 'out-all', emptyOutDir: true, lib: { entry: 'everything.js', formats: ['es'], fileName: 'bundle' } },
    })};\n`);
    const build = run([bin('vite/bin/vite.js'), 'build']);
    expect(build.code).toBe(0);
    // Vite's words for a node: import in a browser bundle: "Module "node:fs" has been externalized for browser compatibility".
    expect(build.out).not.toMatch(/externalized|node:/);
    expect(await readdir(join(project, 'out-all'))).toContain('bundle.js');
  });

  test('builds, and in headless Chromium derives and renders d/dw (y - w·σ(x))² with no error', async () => {
    await writeFile(join(project, 'main.js'), [
      "import { derivative, parseExpression, evaluate, texToHtml } from 'downhill';",
      "const d = derivative(parseExpression('(y - w*sigmoid(x))^2'), 'w');",
      "const at = new Map([['w', 0.5], ['x', 0], ['y', 1]]);",
      'document.body.innerHTML = texToHtml(d.tex, { display: true });',
      'globalThis.result = { text: d.text, value: evaluate(d.node, at) };',
    ].join('\n'));
    await writeFile(join(project, 'vite.config.js'), `export default ${JSON.stringify({
      logLevel: 'error',
      build: { outDir: 'out', emptyOutDir: true, lib: { entry: 'main.js', formats: ['es'], fileName: 'bundle' } },
    })};\n`);
    const build = run([bin('vite/bin/vite.js'), 'build']);
    expect(build.out).not.toMatch(/error/i);
    expect(build.code).toBe(0);
    const files = await readdir(join(project, 'out'));
    expect(files).toContain('bundle.js');

    const context = await (await sharedBrowser()).newContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      // Served from memory under a made-up origin: module scripts do not load from file:// pages.
      await page.route('http://downhill.test/**', async (route) => {
        const path = new URL(route.request().url()).pathname.slice(1);
        if (path === '') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><body><script type="module" src="bundle.js"></script>' });
        return route.fulfill({ contentType: 'text/javascript', body: await readFile(join(project, 'out', path)) });
      });
      await page.goto('http://downhill.test/');
      await page.waitForFunction(() => 'result' in globalThis, null, { timeout: 20_000 });
      const result = await page.evaluate(() => ({
        ...(globalThis as unknown as { result: { text: string; value: number } }).result,
        katex: document.querySelectorAll('.katex-display .katex-html').length,
      }));
      expect(errors).toEqual([]);
      // dL/dw = -2 (y - w σ(x)) σ(x); at w = 0.5, x = 0 (σ = 1/2), y = 1: -2 · 0.75 · 0.5 = -0.75.
      expect(result.value).toBeCloseTo(-0.75, 12);
      expect(result.text).toContain('sigmoid');
      expect(result.katex).toBe(1);
    } finally {
      await context.close();
    }
  });
});
