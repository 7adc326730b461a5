/** Where KaTeX's style sheet and fonts are on disk (Node: the page writer copies them beside the pages). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The absolute path of KaTeX's `dist` folder (holding `katex.min.css` and
 * `fonts/`), found through Node's module resolution, so it works wherever
 * npm put the package.
 *
 * Syntax:
 *   katexAssetsDir()
 *
 * Examples:
 *   katexAssetsDir()   // returns '/work/main/node_modules/katex/dist'
 *
 * See also: writePages (page.ts), texToHtml (katex.ts)
 */
export function katexAssetsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('katex/package.json')), 'dist');
}
