// The site's colours (src/render/palette.ts): words readable on both schemes
// (WCAG 2 contrast ratio), and the colours that tell lines apart still apart
// for readers with a red-green or blue-yellow deficiency (Viénot, Brettel and
// Mollon's 1999 simulation in linear RGB, distance CIE76 ΔE in CIELAB).
import { describe, expect, test } from 'vitest';
import { CONTOUR_PATH_COLOURS, ROLE, SERIES_COLOURS, SURFACE_PATH_COLOURS, roleCss } from '../src/render/palette.ts';

type RGB = [number, number, number];
const rgb = (hex: string): RGB => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255) as RGB;
const linear = (c: number): number => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const lin = (hex: string): RGB => rgb(hex).map(linear) as RGB;
const luminance = (hex: string): number => {
  const [r, g, b] = lin(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
/** WCAG 2's contrast ratio. */
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
const mul = (m: number[][], v: RGB): RGB => m.map((row) => Math.min(1, Math.max(0, row[0]! * v[0] + row[1]! * v[1] + row[2]! * v[2]))) as RGB;
/** Viénot et al. (1999) in linear RGB; tritan from Brettel's single-plane approximation as used by Machado (2009, severity 1). */
const SIMULATE: Record<string, number[][]> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protan: [[0.11238, 0.88762, 0], [0.11238, 0.88762, 0], [0.00401, -0.00401, 1]],
  deutan: [[0.29275, 0.70725, 0], [0.29275, 0.70725, 0], [-0.02234, 0.02234, 1]],
  tritan: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
const lab = ([r, g, b]: RGB): RGB => {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
};
const deltaE = (a: RGB, b: RGB): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The smallest distance between two colours of `set`, under each simulated vision. */
function closestPairs(set: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, m] of Object.entries(SIMULATE)) {
    const seen = set.map((h) => lab(mul(m, lin(h))));
    let min = Infinity;
    for (let i = 0; i < seen.length; i++) for (let j = i + 1; j < seen.length; j++) min = Math.min(min, deltaE(seen[i]!, seen[j]!));
    out[name] = min;
  }
  return out;
}

describe('palette', () => {
  test('the contrast ratio is 21 for black on white and 1 for a colour on itself (the formula, checked)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrast('#0072B2', '#0072B2')).toBe(1);
  });

  test.each(Object.entries(ROLE))('the %s colour\'s words are readable: ≥ 4.5:1 on white and on the dark scheme\'s page', (_, c) => {
    expect(contrast(c.text, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(c.dark, '#16171b')).toBeGreaterThanOrEqual(4.5);
    // A tint holds dark words: the page's ink on it stays ≥ 7:1.
    expect(contrast('#1d1d1f', c.tint)).toBeGreaterThanOrEqual(7);
  });

  test('the four roles stay apart under every simulated colour-vision deficiency (ΔE ≥ 10)', () => {
    const roles = Object.values(ROLE).map((c) => c.strong);
    for (const [vision, d] of Object.entries(closestPairs(roles))) expect(d, vision).toBeGreaterThanOrEqual(10);
  });

  test.each([['series', SERIES_COLOURS], ['surface paths', SURFACE_PATH_COLOURS], ['contour paths', CONTOUR_PATH_COLOURS]] as const)(
    'the %s colours stay apart under every simulated vision (ΔE ≥ 8), and none is white',
    (_, set) => {
      for (const [vision, d] of Object.entries(closestPairs(set))) expect(d, vision).toBeGreaterThanOrEqual(8);
      expect(set.map((c) => c.toLowerCase())).not.toContain('#ffffff');
    },
  );

  test('the style sheet\'s custom properties carry every role, in both schemes', () => {
    const { light, dark } = roleCss();
    for (const r of Object.keys(ROLE)) {
      expect(light).toContain(`--${r}: ${ROLE[r as keyof typeof ROLE].text};`);
      expect(dark).toContain(`--${r}: ${ROLE[r as keyof typeof ROLE].dark};`);
    }
  });
});
