/**
 * Builds the shared live site into the folder given (test/support/site.ts
 * `startSiteBuild`, from the test run's global setup). Run with tsx.
 */
import { buildInto } from './site.ts';

await buildInto(process.argv[2]!);
