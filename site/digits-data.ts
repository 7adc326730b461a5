/**
 * The digits file in the site: the build's plugin that puts the bytes of
 * data/digits.bin.gz, in base64, in place of site/libraries/digits-file.ts's
 * empty string (the digits group's script, digits.js: about 2.2 MB), and the
 * worker's reading of them back.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

const root = resolve(import.meta.dirname, '..');
const stub = resolve(root, 'site/libraries/digits-file.ts');

/** The plugin: site/libraries/digits-file.ts becomes the file's bytes, in base64 (the build fails when the file is missing). */
export const digitsData: Plugin = {
  name: 'downhill-digits-data',
  enforce: 'pre',
  load(id) {
    if (id !== stub) return null;
    const bytes = readFileSync(resolve(root, 'data/digits.bin.gz'));
    return `export const base64 = ${JSON.stringify(bytes.toString('base64'))};`;
  },
};
