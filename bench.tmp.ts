// Worker-like draft of lesson 8 in Node: plots and pictures as placeholders; time to the first page (a checkpoint's, or the whole run's) and to the whole.
import { lessonDocument, sectionsHtml, useRenderers } from './src/live.ts';
import lesson from './lessons/08-xor.ts';
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>';
useRenderers({ plot: () => async () => svg, dot: () => async () => svg, later: () => Promise.resolve(svg) });
const streamed = process.argv[2] === 'stream';
const first: number[] = [], whole: number[] = [];
for (let i = 0; i < 70; i++) {
  const t0 = performance.now(); const c0 = process.cpuUsage();
  let t1 = NaN; let c1: NodeJS.CpuUsage | undefined;
  const doc = await lessonDocument(lesson, { lr: 2 + 0.01 * i }, null, streamed ? async (c) => { sectionsHtml(await c.document()); if (Number.isNaN(t1)) { t1 = performance.now(); c1 = process.cpuUsage(c0); } } : undefined);
  sectionsHtml(doc);
  const t2 = performance.now(); const c2 = process.cpuUsage(c0);
  if (i >= 10) { const cpu = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000; first.push(cpu(c1 ?? c2)); whole.push(cpu(c2)); }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(1);
const min = (xs: number[]) => Math.min(...xs).toFixed(1);
console.log(`${process.cwd().includes('base') ? 'before' : 'after '} ${streamed ? 'stream' : 'plain '} first: median ${med(first)} min ${min(first)}; whole: median ${med(whole)} min ${min(whole)}`);
