// The terminal's measures (render/width.ts): display width, the terminal's
// width, colour only where it belongs; and wide tables and prose kept within
// the width (render/table.ts, render/terminal.ts). Widths counted by hand.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { colourOn, colourVerdicts, displayWidth, terminalWidth } from '../src/render/width.ts';
import { alignTable } from '../src/render/table.ts';
import { blockText, wrap } from '../src/render/terminal.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('display width', () => {
  test('a combining mark takes no column, a wide character two, a colour sequence none', () => {
    expect(displayWidth('σ(z) = ∂L/∂w₁')).toBe(13);
    expect(displayWidth('e\u0301te\u0301')).toBe(3); // été, written with combining acute accents
    expect(displayWidth('漢字 ok')).toBe(7);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('\x1b[31mWRONG\x1b[39m')).toBe(5);
  });

  test('tables line up by display width', () => {
    const t = alignTable(['name', 'n'], [['e\u0301te\u0301', 1], ['漢字', 22]]).split('\n');
    // 'name' and '漢字' are the widest left cells (4 columns): 'été' (3) gets 1 space of fill, '漢字' none; then the gap and a 2-column number.
    expect(t[2]).toBe('e\u0301te\u0301    1');
    expect(t[3]).toBe('漢字  22');
  });
});

describe('the terminal\'s width', () => {
  test('its columns when it is one, 80 when piped', () => {
    expect(terminalWidth({ isTTY: true, columns: 120 })).toBe(120);
    expect(terminalWidth({ isTTY: false, columns: 120 })).toBe(80);
    expect(terminalWidth({})).toBe(80);
  });

  test('prose wraps to the width given, a table too wide is cut into tables that fit, each after the first column', () => {
    const prose = 'one two three four five six seven eight nine ten';
    expect(wrap(prose, 20).split('\n')).toEqual(['one two three four', 'five six seven eight', 'nine ten']);
    // Display width, not characters: 漢字 takes 4 columns (two lines of 9 and 4), é written with a combining accent 1, a colour code 0.
    expect(wrap('漢字 漢字 漢字', 9).split('\n')).toEqual(['漢字 漢字', '漢字']);
    expect(wrap('e\u0301te\u0301 \x1b[31mWRONG\x1b[39m ok', 9).split('\n')).toEqual(['e\u0301te\u0301 \x1b[31mWRONG\x1b[39m', 'ok']);
    const headers = ['step', 'aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'];
    const rows = [[0, 1, 2, 3], [1, 4, 5, 6]];
    const narrow = alignTable(headers, rows, { maxWidth: 30 });
    for (const line of narrow.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    // step (4) + 2 + 10 + 2 + 10 = 28 fits 30; the third wide column goes under, after 'step' again.
    expect(narrow.split('\n\n').map((t) => t.split('\n')[0])).toEqual(['step  aaaaaaaaaa  bbbbbbbbbb', 'step  cccccccccc']);
    expect(narrow.split('\n\n')[1]!.split('\n')[3]).toBe('   1           6');
    expect(alignTable(headers, rows)).not.toContain('\n\n');
    const block = blockText({ kind: 'table', headers, rows }, 34);
    for (const line of block.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(34);
  });
});

describe('colour', () => {
  const tty = { isTTY: true, columns: 80 };
  test('verdicts in colour on a terminal; never in a pipe, never with NO_COLOR; FORCE_COLOR forces it', () => {
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', undefined as unknown as string);
    delete process.env['FORCE_COLOR'];
    expect(colourOn(tty)).toBe(true);
    expect(colourOn({ isTTY: false })).toBe(false);
    const red = colourVerdicts('your ∂f/∂x = xy is WRONG; exact:', tty);
    expect(red.replace(/\x1b\[[0-9;]*m/g, '')).toBe('your ∂f/∂x = xy is WRONG; exact:');
    expect(red).toMatch(/\x1b\[31m/);
    expect(colourVerdicts('3 passed, 0 failed', tty)).toMatch(/\x1b\[32mpassed\x1b\[39m, 0 (\x1b\[(1|31)m){2}failed/);
    expect(colourVerdicts('WRONG', { isTTY: false })).toBe('WRONG');
    vi.stubEnv('NO_COLOR', '1');
    expect(colourVerdicts('WRONG', tty)).toBe('WRONG');
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', '1');
    expect(colourVerdicts('diverged from step 3', { isTTY: false })).toMatch(/\x1b\[31m/);
    vi.stubEnv('FORCE_COLOR', '0');
    expect(colourOn(tty)).toBe(false);
  });
});
