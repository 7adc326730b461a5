/**
 * The order in which a run hands its test files to the workers (vitest.config.ts
 * `sequence.sequencer`): vitest's own (files that failed last time first, then
 * the longest by the last run's times, files never run by size), except that
 * while the live site is not built yet, the files that need it (they call
 * `siteInBrowser(` or `sharedSite(`) wait behind a head start of others. The
 * global setup builds the site in the background (support/site.ts); a browser
 * file taken first waited for that build doing nothing, and both workers took
 * one (the longest files are the browser ones), so one core idled for the
 * whole build.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { siteIsBuilt } from './site.ts';

/**
 * The head start, in the last run's milliseconds of test files: the two workers' share of about 30 s each (the
 * site's build on a quiet machine: support/chromium.ts). A file with no time yet counts UNKNOWN_MS.
 */
const HEAD_START_MS = 60_000;
const UNKNOWN_MS = 2_000;

/** Does the test file use the shared site (it waits for the build)? */
export function needsSite(source: string): boolean {
  return /\b(?:siteInBrowser|sharedSite)\(/.test(source);
}

/** `order` (longest first), with files that need the site moved behind others worth `headStart` ms (their time by `ms`). */
export function siteAfterHeadStart<T>(order: readonly T[], usesSite: (file: T) => boolean, ms: (file: T) => number, headStart = HEAD_START_MS): T[] {
  const first: T[] = [];
  let covered = 0;
  for (const file of order) {
    if (covered >= headStart) break;
    if (usesSite(file)) continue;
    first.push(file);
    covered += ms(file);
  }
  return [...first, ...order.filter((f) => !first.includes(f))];
}

export default class SiteAwareSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const order = await super.sort(files);
    if (siteIsBuilt()) return order;
    const root = this.ctx.config.root;
    const ms = (spec: TestSpecification): number => this.ctx.cache.getFileTestResults(`${spec.project.name}:${relative(root, spec.moduleId)}`)?.duration ?? UNKNOWN_MS;
    return siteAfterHeadStart(order, (spec) => needsSite(readFileSync(spec.moduleId, 'utf8')), ms);
  }
}
