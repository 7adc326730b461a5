// The pages of lessons and practice sets 2, 4, 6… of the live site in a
// browser: no console error, no page wider than a phone, every figure named,
// every formula with its MathML, every slider saying its value
// (support/site-pages.ts; the other pages: site.test.ts).
import { siteInBrowser } from './support/site-browser.ts';
import { everyPageOfTheSite } from './support/site-pages.ts';

// The site, built once per run, and a browser, with the browser tests' time limits.
const live = siteInBrowser();
everyPageOfTheSite(live, 'lessons and practice sets 2, 4, 6…');
