/**
 * Views and loop nests shared by the matrix compiler's emitters: where a
 * matrix's elements sit in a buffer (a view with two strides), and the
 * loops of a product or of an element-wise operation over such views.
 * Every size is a number or N (or k·N) in the generated code, so a loop nest
 * is the same few lines whatever the sizes.
 */
import type { Dim } from './node.ts';

/** A stride or size in generated code: a number, or N. */
export type Len = Dim;

/** Where a matrix's elements are: element (r, c) at buf[off + r·rs + c·cs]. */
export interface View { readonly buf: string; readonly off: number | string; readonly rs: Len; readonly cs: Len }

/** Samples (or rows) handled together by the inner loops. */
export const BLOCK = 4;
/** Rows (or columns) of the output computed together, so each value read serves both. */
const ROWS = 2;
/** Rows of ∂L/∂W = δ aᵀ updated together (each sample row read serves all of them). */
const AXPY_ROWS = 4;

export const code = (d: Dim): string => (typeof d === 'number' || d === 'N' ? String(d) : `(${d.slice(0, -1)} * N)`);

/** `off + r·rs + c·cs` as short code; r and c are code or numbers. */
export function index(v: View, r: string, c: string): string {
  const terms: string[] = [];
  if (v.off !== 0) terms.push(String(v.off));
  const term = (x: string, s: Len): void => {
    if (s === 0 || x === '0') return;
    terms.push(s === 1 ? x : `${x} * ${code(s)}`);
  };
  term(r, v.rs);
  term(c, v.cs);
  return terms.length === 0 ? '0' : terms.join(' + ');
}
export const at = (v: View, r: string, c: string): string => `${v.buf}[${index(v, r, c)}]`;

/** The loops of C = A B (+ init, a same-shaped view added first), choosing the order by strides. */
export function matmulLoops(out: View, A: View, B: View, M: Dim, K: Dim, Ncols: Dim, init: View | null): string[] {
  const start = (r: string, c: string): string => (init ? at(init, r, c) : '0');
  const m = code(M), k = code(K), n = code(Ncols);
  const lines: string[] = [];
  const range = (k: number): number[] => Array.from({ length: k }, (_, q) => q);
  const plus = (v: string, q: number): string => (q === 0 ? v : `(${v} + ${q})`);
  /** Rows i … i + R − 1 at once (R = `rows`, then 1 for the rows left over): each value read serves R rows. */
  const rowBlocks = (body: (R: number) => string[], rows = ROWS): string[] => [
    '{',
    'let i = 0;',
    `for (; i + ${rows} <= ${m}; i += ${rows}) {`, ...body(rows), '}',
    `for (; i < ${m}; i++) {`, ...body(1), '}',
    '}',
  ];
  if (A.cs === 1 && B.rs === 1) {
    // dot products: R rows of A (contiguous) against 4 columns of B (contiguous) at a time
    const block = (R: number, J: number): string[] => [
      ...range(J).map((q) => `const b${q} = ${index(B, '0', plus('j', q))};`),
      ...range(R).flatMap((r) => range(J).map((q) => `let s${r}${q} = ${start(plus('i', r), plus('j', q))};`)),
      `for (let t = 0; t < ${k}; t++) {`,
      ...range(R).map((r) => `const a${r} = ${A.buf}[ai${r} + t];`),
      ...range(J).map((q) => `const x${q} = ${B.buf}[b${q} + t];`),
      ...range(R).flatMap((r) => range(J).map((q) => `s${r}${q} += a${r} * x${q};`)),
      '}',
      ...range(R).flatMap((r) => range(J).map((q) => `${at(out, plus('i', r), plus('j', q))} = s${r}${q};`)),
    ];
    lines.push(...rowBlocks((R) => [
      ...range(R).map((r) => `const ai${r} = ${index(A, plus('i', r), '0')};`),
      'let j = 0;',
      `for (; j + ${BLOCK} <= ${n}; j += ${BLOCK}) {`, ...block(R, BLOCK), '}',
      `for (; j < ${n}; j++) {`, ...block(R, 1), '}',
    ]));
  } else if (B.cs === 1 && out.cs === 1) {
    // rows i of C += A[i, t] · row t of B, for R rows i and 4 rows t at a time
    const block = (R: number, T: number): string[] => [
      ...range(T).map((q) => `const r${q} = ${index(B, plus('t', q), '0')};`),
      ...range(R).flatMap((r) => range(T).map((q) => `const a${r}${q} = ${at(A, plus('i', r), plus('t', q))};`)),
      `for (let j = 0; j < ${n}; j++) {`,
      ...range(T).map((q) => `const x${q} = ${B.buf}[r${q} + j];`),
      ...range(R).map((r) => `${out.buf}[o${r} + j] += ${range(T).map((q) => `a${r}${q} * x${q}`).join(' + ')};`),
      '}',
    ];
    lines.push(...rowBlocks((R) => [
      ...range(R).map((r) => `const o${r} = ${index(out, plus('i', r), '0')};`),
      ...range(R).map((r) => `for (let j = 0; j < ${n}; j++) ${out.buf}[o${r} + j] = ${start(plus('i', r), 'j')};`),
      'let t = 0;',
      `for (; t + ${BLOCK} <= ${k}; t += ${BLOCK}) {`, ...block(R, BLOCK), '}',
      `for (; t < ${k}; t++) {`, ...block(R, 1), '}',
    ], AXPY_ROWS));
  } else if (A.rs === 1 && out.rs === 1) {
    // columns j of C += column t of A · B[t, j], for J columns j (each value of A read serves all of them) and 4 columns t at a time
    const columns = (J: number): string[] => {
      const block = (T: number): string[] => [
        ...range(T).map((q) => `const c${q} = ${index(A, '0', plus('t', q))};`),
        ...range(J).flatMap((r) => range(T).map((q) => `const b${r}${q} = ${at(B, plus('t', q), plus('j', r))};`)),
        `for (let i = 0; i < ${m}; i++) {`,
        ...range(T).map((q) => `const a${q} = ${A.buf}[c${q} + i];`),
        ...range(J).map((r) => `${out.buf}[o${r} + i] += ${range(T).map((q) => `a${q} * b${r}${q}`).join(' + ')};`),
        '}',
      ];
      return [
        ...range(J).map((r) => `const o${r} = ${index(out, '0', plus('j', r))};`),
        ...range(J).map((r) => `for (let i = 0; i < ${m}; i++) ${out.buf}[o${r} + i] = ${start('i', plus('j', r))};`),
        'let t = 0;',
        `for (; t + ${BLOCK} <= ${k}; t += ${BLOCK}) {`, ...block(BLOCK), '}',
        `for (; t < ${k}; t++) {`, ...block(1), '}',
      ];
    };
    lines.push(
      '{',
      'let j = 0;',
      `for (; j + ${ROWS} <= ${n}; j += ${ROWS}) {`, ...columns(ROWS), '}',
      `for (; j < ${n}; j++) {`, ...columns(1), '}',
      '}',
    );
  } else {
    lines.push(
      `for (let i = 0; i < ${m}; i++) for (let j = 0; j < ${n}; j++) {`,
      `let s = ${start('i', 'j')};`,
      `for (let t = 0; t < ${k}; t++) s += ${at(A, 'i', 't')} * ${at(B, 't', 'j')};`,
      `${at(out, 'i', 'j')} = s;`,
      '}',
    );
  }
  return lines;
}

/** A loop over every element (r, c), inner loop along the contiguous direction of `out`. */
export function elementLoop(out: View, R: Dim, C: Dim, body: (r: string, c: string) => string[]): string[] {
  const rowsInner = out.rs === 1 || out.cs !== 1;
  const [outer, inner, oLen, iLen] = rowsInner ? ['c', 'r', code(C), code(R)] : ['r', 'c', code(R), code(C)];
  return [`for (let ${outer} = 0; ${outer} < ${oLen}; ${outer}++) for (let ${inner} = 0; ${inner} < ${iLen}; ${inner}++) {`, ...body('r', 'c'), '}'];
}

