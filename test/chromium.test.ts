// Where the browser tests look for Chromium (test/support/chromium.ts).
import { describe, expect, test } from 'vitest';
import { findChromium } from './support/chromium.ts';

const only = (...paths: string[]) => (p: string): boolean => paths.includes(p);

describe('findChromium', () => {
  test('CHROMIUM_PATH wins over the usual places', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/c/chrome' }, only('/opt/c/chrome', '/usr/bin/chromium'))).toBe('/opt/c/chrome');
  });

  test('a CHROMIUM_PATH that does not exist is an error naming it, not a silent fallback', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nope' }, only('/usr/bin/chromium'))).toThrow(/CHROMIUM_PATH is \/nope/);
  });

  test('without it, the first usual place that exists', () => {
    expect(findChromium({}, only('/usr/bin/chromium-browser', '/usr/bin/google-chrome'))).toBe('/usr/bin/chromium-browser');
  });

  test('with none, an error that says how to install it, in CI or not', () => {
    for (const env of [{}, { CI: 'true' }]) {
      expect(() => findChromium(env, () => false)).toThrow(/apt-get install -y chromium.*CHROMIUM_PATH/);
    }
  });
});
