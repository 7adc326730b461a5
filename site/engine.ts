/**
 * The worker's entry (engine.js). Node's exp, log and log1p go in first
 * (site/node-math.ts): its module is evaluated before any module of the
 * engine or of a lesson, some of which keep a reference to a Math function
 * (the function table's entries). Then the worker answers the page.
 */
import { nodeMath } from './node-math.ts';
import { serve } from './worker.ts';

if (!nodeMath) throw new Error('Math.exp, Math.log and Math.log1p are not Node\'s');
serve();
