/**
 * Words around numbers, so a sentence is right at any count:
 *
 *   counted(1, 'batch', 'batches')   // '1 batch'
 *   counted(250, 'batch', 'batches') // '250 batches'
 *   counted(3, 'sigmoid unit')       // '3 sigmoid units' (plural: the singular + 's')
 *   counted(10000, 'step')           // '10,000 steps' (thousands grouped, as the lessons write them)
 *   article('8')                     // 'an 8'
 *   article('5')                     // 'a 5'
 *
 * The article follows the sound of the number said aloud in English: "an"
 * before eight, eleven and eighteen (and 80–89, 800–899, 8,000…, 11,000…,
 * 18,000…), "a" before every other number; for a word, "an" before a vowel letter.
 */
import { checkArg, NUMBER, optional, TEXT } from '../errors.ts';

/** `n` and the noun in the right number: '1 step', '2 steps'. */
export function counted(n: number, singular: string, plural?: string): string {
  checkArg('counted', 'n', n, NUMBER);
  checkArg('counted', 'singular', singular, TEXT);
  checkArg('counted', 'plural', plural, optional(TEXT));
  plural ??= `${singular}s`;
  return `${Number.isInteger(n) ? n.toLocaleString('en') : String(n)} ${n === 1 ? singular : plural}`;
}

/** Whether a whole number, said aloud, starts with a vowel sound (eight, eleven, eighteen). */
function vowelNumber(digits: string): boolean {
  const groups = digits.replace(/,/g, '');
  // Said in groups of three: the leading group decides (8 in 8,000; 11 in 11,000; 800 in 800).
  const lead = groups.length % 3 === 0 ? groups.slice(0, 3) : groups.slice(0, groups.length % 3);
  return lead.startsWith('8') || lead === '11' || lead === '18';
}

/** The word with 'a' or 'an' before it: 'an 8', 'a 5', 'an image', 'a digit'. */
export function article(word: string): string {
  checkArg('article', 'word', word, TEXT);
  const an = /^\d/.test(word) ? vowelNumber(/^[\d,]+/.exec(word)![0]) : /^[aeiou]/i.test(word);
  return `${an ? 'an' : 'a'} ${word}`;
}
