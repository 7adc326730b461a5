/**
 * vitest's global setup: builds dist/ (as npm run build does: mathjs-core.cjs,
 * then tsc, then dist/vendor/, then the command's bundle dist/command/) before the tests, so that the tests of the command
 * (bin/downhill.js runs dist/) and of the package never run an old build.
 * A whole run (no file named) also starts building the live site in the
 * background (support/site.ts), which the browser tests then share.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildMathjsCore } from '../../tools/build-mathjs.ts';
import { buildCommand } from '../../tools/build-command.ts';
import { buildVendor } from '../../tools/build-vendor.ts';
import { startSiteBuild } from './site.ts';

export default async function setup(project: TestProject): Promise<() => void> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
  await buildMathjsCore();
  // The site is built from the source (src/, site/, lessons/; mathjs-core.cjs above), not from dist/.
  const filters = (project.vitest as unknown as { filenamePattern?: readonly string[] }).filenamePattern;
  const stopSiteBuild = filters === undefined || filters.length === 0 ? startSiteBuild() : undefined;
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    stopSiteBuild?.();
    const out = (e as { stdout?: Buffer }).stdout?.toString() ?? String(e);
    throw new Error(`npm run build failed before the tests:\n${out}`);
  }
  // As npm run build: plots and pictures import their bundled libraries (dist/vendor/), as in the published package.
  await buildVendor();
  // As npm run build: the command runs its bundle of dist/ (dist/command/).
  await buildCommand();
  return () => stopSiteBuild?.();
}
