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
