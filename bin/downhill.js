#!/usr/bin/env node
// The `downhill` command: the built JavaScript in dist/ (npm run build; npm
// install and npm pack build it). From a checkout, `npx tsx src/cli.ts` runs
// the TypeScript source instead.
import { enableCompileCache } from '../dist/src/expr/compile-cache.js';

enableCompileCache();
const { main } = await import('../dist/src/cli.js');
process.exitCode = await main(process.argv.slice(2));
