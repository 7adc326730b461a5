/**
 * katex-bundle.ts for browser bundles (package.json's "browser" field maps
 * dist/src/render/katex-bundle.js here): KaTeX by an import the bundler resolves.
 */
import katex from 'katex';

export default katex;
