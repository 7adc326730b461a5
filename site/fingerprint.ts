/**
 * A section's fingerprint: its HTML's hash and length. The worker sends a
 * section's HTML only when the page does not hold its fingerprint; the build
 * writes the fingerprint of each of a lesson page's sections into the page,
 * so that the page knows what it holds without asking the engine to rerun
 * the lesson with its defaults.
 *
 *   fingerprint('<section id="a">…</section>')   // '1x2k9f.1b'
 */
import { fnv1a } from '../src/live.ts';

export const fingerprint = (html: string): string => `${fnv1a(html).toString(36)}.${html.length.toString(36)}`;
