/**
 * Node's Math.exp, Math.log, Math.log1p, Math.cos and Math.sin, written out,
 * so that the browser computes what the command line computes, to the last
 * bit.
 *
 * Node 20's V8 (11.3) computes them with its ports of FreeBSD's msun
 * (e_exp.c, e_log.c, s_log1p.c, s_cos.c, s_sin.c: fdlibm's algorithms); Chromium's V8 no
 * longer does, and differs in the last bit for a few per cent of
 * arguments. A chaotic run (lesson 8 at η = 20, lesson 4 at η = 4) grows
 * that bit into other printed digits and another verdict. The live site's
 * worker puts these in place of Math's before any lesson code runs
 * (site/node-math.ts, site/engine.ts); test/node-math.test.ts checks them
 * against Node's own, bit for bit, over a million arguments. The normal
 * draws of the initial weights take a cosine (nn/random.ts), and some
 * datasets sines and cosines: with the browser's own, lessons 10 and 12
 * started one bit apart for 3.4% of arguments.
 *
 * Math.pow is not here: the one run-time power the lessons take, Adam's
 * β^t, is a running product (src/train/optimizers.ts), and squares are x·x
 * in every engine. Other powers (x^3 typed in the playground), tan and the
 * like, and sin and cos beyond 2¹⁹·π/2, are still the browser's own, and may
 * differ in the last bit.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: [lo, hi]
const hi = (x: number): number => { f64[0] = x; return u32[1]! | 0; };
const lo = (x: number): number => { f64[0] = x; return u32[0]! >>> 0; };
const fromWords = (h: number, l: number): number => { u32[1] = h >>> 0; u32[0] = l >>> 0; return f64[0]!; };

const ln2HI = 6.93147180369123816490e-01, ln2LO = 1.90821492927058770002e-10;
const invln2 = 1.44269504088896338700e+00;
const P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05,
  P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08;
const o_threshold = 7.09782712893383973096e+02, u_threshold = -7.45133219101941108420e+02;
const twom1000 = 9.33263618503218878990e-302;
/**
 * e_exp.c's tests of |x|'s high word (hx >= 0x40862e42, hx > 0x3fd62e42, hx < 0x3ff0a2b2, hx < 0x3e300000) as
 * tests of |x| itself, against the least double with that high word (doubles of one sign order as their bits do),
 * and its 2^k (k from -1075 to 1024, made from the exponent's bits) from a table: no word read or written per call.
 * In Chromium this exp took half the time of the word-by-word one (and about the browser's own); lesson 8's run
 * takes some 350,000 of them per change.
 */
const EXP_LARGE = fromWords(0x40862e42, 0), EXP_REDUCE = fromWords(0x3fd62e43, 0), EXP_ONE_LN2 = fromWords(0x3ff0a2b2, 0), EXP_TINY = fromWords(0x3e300000, 0);
/** 2^k for k ≥ -1021, 2^(k + 1000) below (e_exp.c's twopk), at k + 1075. */
const TWO_POW_K = Float64Array.from({ length: 2100 }, (_, i) => {
  const k = i - 1075;
  return fromWords(0x3ff00000 + ((k >= -1021 ? k : k + 1000) << 20), 0);
});

export function exp(x: number): number {
  if (x === 1) return Math.E; // V8's one special case
  if (x !== x) return x + x; // NaN
  const ax = x < 0 ? -x : x;
  if (ax >= EXP_LARGE) {
    if (x > o_threshold) return Infinity; // +∞ too
    if (x < u_threshold) return 0; // -∞ too
  }
  let k = 0, hiPart = 0, loPart = 0;
  if (ax >= EXP_REDUCE) {
    if (ax < EXP_ONE_LN2) {
      if (x < 0) {
        hiPart = x + ln2HI; loPart = -ln2LO; k = -1;
      } else {
        hiPart = x - ln2HI; loPart = ln2LO; k = 1;
      }
    } else {
      k = Math.trunc(invln2 * x + (x < 0 ? -0.5 : 0.5));
      hiPart = x - k * ln2HI;
      loPart = k * ln2LO;
    }
    x = hiPart - loPart;
  } else if (ax < EXP_TINY) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - ((loPart - (x * c) / (2.0 - c)) - hiPart);
  if (k >= -1021) {
    if (k === 1024) return y * 2.0 * 8.98846567431158e307;
    return y * TWO_POW_K[k + 1075]!;
  }
  return y * TWO_POW_K[k + 1075]! * twom1000;
}

const ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10, two54 = 1.80143985094819840000e+16;
const Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
  Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;

export function log(x: number): number {
  let hx = hi(x);
  const lx = lo(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54; x *= two54; hx = hi(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = fromWords(hx | (i ^ 0x3ff00000), lo(x));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) { if (k === 0) return 0; const dk = k; return dk * ln2_hi + dk * ln2_lo; }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k === 0) return f - R;
    const dk = k; return dk * ln2_hi - ((R - dk * ln2_lo) - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  let i2 = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i2 |= j;
  const R = t2 + t1;
  if (i2 > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

const Lp1 = 6.666666666666735130e-01, Lp2 = 3.999999999940941908e-01, Lp3 = 2.857142874366239149e-01,
  Lp4 = 2.222219843214978396e-01, Lp5 = 1.818357216161805012e-01, Lp6 = 1.531383769920937332e-01, Lp7 = 1.479819860511658591e-01;

export function log1p(x: number): number {
  const hx = hi(x);
  const ax = hx & 0x7fffffff;
  let k = 1, f = 0, c = 0, hu = 0;
  if (hx < 0x3fda827a) {
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN;
    if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5;
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) { k = 0; f = x; hu = 1; }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = hi(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      hu = hi(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) u = fromWords(hu | 0x3ff00000, lo(u));
    else {
      k += 1;
      u = fromWords(hu | 0x3fe00000, lo(u));
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    if (f === 0) {
      if (k === 0) return 0;
      c += k * ln2_lo;
      return k * ln2_hi + c;
    }
    const R = hfsq * (1.0 - 0.66666666666666666 * f);
    return k === 0 ? f - R : k * ln2_hi - ((R - (k * ln2_lo + c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (Lp1 + z * (Lp2 + z * (Lp3 + z * (Lp4 + z * (Lp5 + z * (Lp6 + z * Lp7))))));
  return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * ln2_hi - ((hfsq - (s * (hfsq + R) + (k * ln2_lo + c))) - f);
}

// --- cos and sin ---------------------------------------------------------

const C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
  C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
function kernelCos(x: number, y: number): number {
  const ix = hi(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (x | 0) === 0) return 1;
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y));
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}
const S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
  S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
function kernelSin(x: number, y: number, iy: number): number {
  const ix = hi(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (x | 0) === 0) return x;
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return iy === 0 ? x + v * (S1 + z * r) : x - ((z * (0.5 * y - v * r) - y) - v * S1);
}
const invpio2 = 6.36619772367581382433e-01, pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11,
  pio2_2 = 6.07710050630396597660e-11, pio2_2t = 2.02226624879595063154e-21, pio2_3 = 2.02226624871116645580e-21,
  pio2_3t = 8.47842766036889956997e-32;
const npio2_hw = [0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C, 0x4025FDBB, 0x402921FB,
  0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C, 0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB, 0x403AB41B,
  0x403C463A, 0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C, 0x4043A28C, 0x40446B9C,
  0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB, 0x404858EB, 0x404921FB];
const y = [0, 0]; // remPio2's remainder, head and tail
/** x reduced by n·π/2 into y[0] + y[1], for π/4 < |x| ≤ 2¹⁹·π/2; n, or undefined beyond. */
function remPio2(x: number): number | undefined {
  const hx = hi(x), ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    if (hx > 0) {
      let z = x - pio2_1;
      if (ix !== 0x3ff921fb) { y[0] = z - pio2_1t; y[1] = (z - y[0]) - pio2_1t; }
      else { z -= pio2_2; y[0] = z - pio2_2t; y[1] = (z - y[0]) - pio2_2t; }
      return 1;
    }
    let z = x + pio2_1;
    if (ix !== 0x3ff921fb) { y[0] = z + pio2_1t; y[1] = (z - y[0]) + pio2_1t; }
    else { z += pio2_2; y[0] = z + pio2_2t; y[1] = (z - y[0]) + pio2_2t; }
    return -1;
  }
  if (ix > 0x413921fb) return undefined;
  const t0 = Math.abs(x);
  const n = (t0 * invpio2 + 0.5) | 0;
  const fn = n;
  let r = t0 - fn * pio2_1;
  let w = fn * pio2_1t;
  if (n < 32 && ix !== npio2_hw[n - 1]) {
    y[0] = r - w;
  } else {
    const j = ix >> 20;
    y[0] = r - w;
    let i = j - ((hi(y[0]) >> 20) & 0x7ff);
    if (i > 16) {
      let t = r;
      w = fn * pio2_2;
      r = t - w;
      w = fn * pio2_2t - ((t - r) - w);
      y[0] = r - w;
      i = j - ((hi(y[0]) >> 20) & 0x7ff);
      if (i > 49) {
        t = r;
        w = fn * pio2_3;
        r = t - w;
        w = fn * pio2_3t - ((t - r) - w);
        y[0] = r - w;
      }
    }
  }
  y[1] = (r - y[0]) - w;
  if (hx < 0) { y[0] = -y[0]; y[1] = -y[1]; return -n; }
  return n;
}
/** Beyond 2¹⁹·π/2 (fdlibm's long reduction, not written here) the browser's own; no lesson takes such an angle. */
const browserCos = Math.cos, browserSin = Math.sin;
/** Node's Math.cos: fdlibm's s_cos.c (k_cos.c, k_sin.c, e_rem_pio2.c's short and medium reductions). */
export function cos(x: number): number {
  const ix = hi(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x);
  if (n === undefined) return browserCos(x);
  switch (n & 3) {
    case 0: return kernelCos(y[0]!, y[1]!);
    case 1: return -kernelSin(y[0]!, y[1]!, 1);
    case 2: return -kernelCos(y[0]!, y[1]!);
    default: return kernelSin(y[0]!, y[1]!, 1);
  }
}
/** Node's Math.sin: fdlibm's s_sin.c. */
export function sin(x: number): number {
  const ix = hi(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x);
  if (n === undefined) return browserSin(x);
  switch (n & 3) {
    case 0: return kernelSin(y[0]!, y[1]!, 1);
    case 1: return kernelCos(y[0]!, y[1]!);
    case 2: return -kernelSin(y[0]!, y[1]!, 1);
    default: return -kernelCos(y[0]!, y[1]!);
  }
}
