/**
 * Node's built-in modules, for the browser build. The build (site/build.ts)
 * gives every import of a `node:` module a stand-in with the same export
 * names, each taken from here: `standIn('node:fs', 'readFile')`. The engine's
 * browser path never calls them (they write pages and find files), so most
 * throw if they ever are, and a wrong call fails loudly instead of quietly
 * doing nothing. A few are real:
 * - `createHash('sha256')`: plots name their SVG ids after a hash, so the
 *   browser draws the same SVG as the CLI, byte for byte;
 * - `fileURLToPath`, `sep`: used when a module loads, never on the browser path.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

function createHash(algorithm: string): { update(text: string): { digest(encoding: 'hex'): string } } {
  if (algorithm !== 'sha256') throw new Error(`createHash('${algorithm}') is not available in the browser`);
  return { update: (text) => ({ digest: () => bytesToHex(sha256(utf8ToBytes(text))) }) };
}

const real: Readonly<Record<string, unknown>> = {
  createHash,
  fileURLToPath: (url: unknown): string => String(url),
  sep: '/',
};

/** The stand-in for `name` of Node's `module`. */
export function standIn(module: string, name: string): unknown {
  if (name in real) return real[name];
  return (): never => {
    throw new Error(`${module}: ${name} is not available in the browser`);
  };
}
