/**
 * Where the browser tests find Chromium: $CHROMIUM_PATH, else the usual
 * places (Debian's and Ubuntu's packages, Chrome, a snap). When there is
 * none, the error says how to install it; the tests fail rather than skip.
 */
import { existsSync } from 'node:fs';

const usual = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium',
  '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** The Chromium executable, or an Error saying how to get one. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string {
  const given = env['CHROMIUM_PATH'];
  if (given !== undefined && given !== '') {
    if (!exists(given)) throw new Error(`CHROMIUM_PATH is ${given}, which does not exist`);
    return given;
  }
  const found = usual.find((p) => exists(p));
  if (found !== undefined) return found;
  throw new Error(
    'the browser tests need Chromium and found none: install it (Debian/Ubuntu: "apt-get install -y chromium" as root) '
    + `or set CHROMIUM_PATH to a Chromium or Chrome executable (looked in ${usual.join(', ')})`,
  );
}

/**
 * Time limits of the browser tests, at least 5× their quiet times so that a
 * loaded machine (nine agents on two cores) does not fail them: the slowest
 * browser test takes about 30 s alone on a quiet machine (the site's chaotic
 * runs), the slowest single wait in a page about 20 s (lesson 10's live
 * rerun), building the site about 25 s.
 */
export const BROWSER_TEST_TIMEOUT = 150_000;
export const PAGE_WAIT = 100_000;
export const SITE_BUILD_TIMEOUT = 300_000;
