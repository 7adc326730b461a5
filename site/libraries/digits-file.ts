/**
 * The digits file (data/digits.bin.gz, 1.6 MB: every digit lessons 10 and 11
 * train on) in base64, for the engine's worker, which has no disk and, from
 * file://, may fetch no file. Empty in the source: the site's build puts the
 * file's bytes in its place (site/digits-data.ts), in its own script
 * (digits.js), loaded by the page when the worker first asks for the digits.
 */
export const base64: string = '';
