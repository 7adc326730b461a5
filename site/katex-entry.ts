// KaTeX for the engine worker, kept in engine.js as source text and run on its first formula (site/build.ts's SITE_KATEX).
export { default as katex } from 'katex';
