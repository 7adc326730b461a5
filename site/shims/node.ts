/**
 * Node's built-in modules, for the browser build. The engine's browser path
 * never calls them (they write pages and find files); each throws if it ever
 * is, so a wrong call fails loudly instead of quietly doing nothing.
 * `createHash('sha256')` is real (plots name their SVG ids after a hash), so
 * the browser draws the same SVG as the CLI, byte for byte.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const missing = (name: string) => (): never => {
  throw new Error(`${name} is not available in the browser`);
};

export function createHash(algorithm: string): { update(text: string): { digest(encoding: 'hex'): string } } {
  if (algorithm !== 'sha256') throw new Error(`createHash('${algorithm}') is not available in the browser`);
  return { update: (text) => ({ digest: () => bytesToHex(sha256(utf8ToBytes(text))) }) };
}
export const randomBytes = missing('randomBytes');
export const parseArgs = missing('parseArgs');
export const fileURLToPath = (url: unknown): string => String(url);
export const pathToFileURL = missing('pathToFileURL');
export const [readdir, readFile, access, lstat, mkdir, open, rename, rm, writeFile, stat] =
  ['readdir', 'readFile', 'access', 'lstat', 'mkdir', 'open', 'rename', 'rm', 'writeFile', 'stat'].map(missing);
export const [existsSync, lstatSync, realpathSync, readFileSync, writeFileSync, mkdirSync] =
  ['existsSync', 'lstatSync', 'realpathSync', 'readFileSync', 'writeFileSync', 'mkdirSync'].map(missing);
export const [join, relative, resolve, dirname, basename, isAbsolute, extname] =
  ['join', 'relative', 'resolve', 'dirname', 'basename', 'isAbsolute', 'extname'].map(missing);
export const sep = '/';
export default {};
