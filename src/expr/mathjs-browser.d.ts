// mathjs's single-file build ships no types of its own: it is the default
// mathjs instance, loaded by mathjs-bundle.ts and typed in mathjs-lib.ts as `typeof import('mathjs')`.
declare module 'mathjs/lib/browser/math.js' {
  const math: unknown;
  export default math;
}
