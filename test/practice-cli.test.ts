// `downhill practice` as a learner and a teacher use it (each case spawns the
// built command, so the cases are few and broad; practice-corpus.test.ts
// covers the checker), and `downhill check --claim … --hide-answer`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { lessonList } from '../src/lesson/registry.ts';
import { runCli } from './support/cli.ts';

describe('downhill practice', () => {
  test('without a set: the sets, one a line, one per built-in lesson, with their lesson and size', async () => {
    const r = runCli(['practice']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual((await lessonList()).map((l) => l.number));
    for (const l of lines) expect(Number(/\((\d) exercises\)/.exec(l)![1])).toBeGreaterThanOrEqual(4);
  });

  test('piped answers: a wrong one gets its kind of mistake, "hint" the link, the corrected one is right; the score counts it', () => {
    const input = ['1.6275', '3.24', '2*x*(y - w*x)', 'hint', '-2*x*(y - w*x)'].join('\n');
    const r = runCli(['practice', '1'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✘ Not yet: the sign is wrong: your answer is minus the exact one.');
    expect(r.stdout).toMatch(/hint: .*∂e\/∂ŷ · ∂ŷ\/∂w/);
    expect(r.stdout).toMatch(/> -2\*x\*\(y - w\*x\)\n  ✔ Right\./);
    expect(r.stdout).toContain('score: 3 of 6');
    expect(r.stdout).toMatch(/de-dw +right +2 attempts, hints up to level 2/);
    expect(r.stdout).not.toContain('-2 * (y - w * x) * x'); // the exact text is never shown without --reveal
  });

  test('--answers grades a file for a teacher (--json report); --key prints the answers; --print a page without them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'downhill-practice-'));
    writeFileSync(join(dir, 'answers.txt'), ['', '', '2*w*x^2 - 2*x*y', '2*(y - yhat)', ''].join('\n'));
    const r = runCli(['practice', 'loss', '--answers', join(dir, 'answers.txt'), '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { score: number; total: number; items: { id: string; correct: boolean; attempts: number; verdict: string }[] };
    expect(report.score).toBe(1);
    expect(report.total).toBe(6);
    expect(report.items.map((i) => [i.id, i.correct, i.attempts])).toEqual([
      ['loss-at-w', false, 0], ['one-error', false, 0], ['de-dw', true, 1], ['de-dyhat', false, 1], ['loss-formula', false, 0], ['best-w', false, 0],
    ]);
    expect(report.items[3]!.verdict).toContain('sign');

    const key = runCli(['practice', '4', '--key']);
    expect(key.stdout).toContain('dl-dw1: -2*(y - yhat)*w3*h*(1 - h)*x1');

    const page = runCli(['practice', '4', '--print', join(dir, 'page.html')]);
    expect(page.code).toBe(0);
    const html = readFileSync(join(dir, 'page.html'), 'utf8');
    expect(html).toContain('Derive');
    expect(html).not.toContain('h*(1 - h)');
  });

  test('bad input is one line on stderr, exit 2; a set file\'s own mistake points at its line, exit 1', () => {
    for (const args of [['practice', '99'], ['practice', '1', '--print', 'x.pdf']]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const dir = mkdtempSync(join(tmpdir(), 'downhill-practice-'));
    writeFileSync(join(dir, 'boom.ts'), "import { definePractice } from 'downhill';\nexport default definePractice({ lesson: 1, name: 'boom', title: 'B' }, () => {\n  throw new Error('no items yet');\n});\n");
    const r = runCli(['practice', './boom.ts'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^downhill practice: boom\.ts:3:9: no items yet/);
  });
});

test('check --claim --hide-answer: a verdict and the kind of mistake per claim (correct, hint in JSON), never the exact derivative', () => {
  const r = runCli(['check', 'sin(x^2)*y', '--at', 'x=1,y=2', '--claim', 'x: cos(x^2)*y, y: sin(x^2)', '--hide-answer', '--json']);
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout) as { claims: { variable: string; correct: boolean; hint: string }[] };
  expect(out.claims.map((c) => [c.variable, c.correct])).toEqual([['x', false], ['y', true]]);
  expect(out.claims[0]!.hint).toContain('missing');
  expect(r.stdout).not.toContain('cos(x ^ 2) * y * x'); // no exact form in the output
  expect(r.stdout).not.toContain('2 * x');
  const text = runCli(['check', 'sin(x^2)', '--at', 'x=1', '--claim', 'x: -2*x*cos(x^2)', '--hide-answer']);
  expect(text.stdout).toBe('∂/∂x: ✘ Not yet: the sign is wrong: your answer is minus the exact one.\n');
  expect(runCli(['check', 'x^2', '--at', 'x=1', '--hide-answer']).stderr).toContain('--hide-answer goes with --claim');
});
