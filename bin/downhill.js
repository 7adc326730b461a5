#!/usr/bin/env node
// The `downhill` command: the built JavaScript, bundled in dist/command/ (npm
// run build, tools/build-command.ts; npm pack builds it). From a checkout,
// `npx tsx src/cli.ts` runs the TypeScript source instead.
import { enableCompileCache } from '../dist/command/compile-cache.js';

enableCompileCache();
const { main } = await import('../dist/command/cli.js');
process.exitCode = await main(process.argv.slice(2));
