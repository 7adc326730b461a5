/**
 * "Did you mean": the known word closest to a mistyped one, by edit
 * distance (insertions, deletions, substitutions and swaps of two neighbours
 * each count 1), when it is close enough to be a likely typo.
 *
 *   closest('lesons', ['lesson', 'lessons', 'grad'])   // 'lessons'
 *   closest('xyz', ['lesson', 'grad'])                 // undefined
 */

/** Optimal string alignment distance between a and b. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word nearest to `word` (case ignored), if at most a third of its letters (and at least 1) differ. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { word: string; distance: number } | undefined;
  for (const k of known) {
    const distance = editDistance(w, k.toLowerCase());
    if (best === undefined || distance < best.distance) best = { word: k, distance };
  }
  const limit = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
  return best !== undefined && best.distance <= limit ? best.word : undefined;
}

/** ' (did you mean "lessons"?)', or '' when no known word is close. */
export function didYouMean(word: string, known: readonly string[]): string {
  const hit = closest(word, known);
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
}
