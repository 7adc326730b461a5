/**
 * TeX to plain Unicode text, for the terminal and for picture labels where
 * TeX cannot go. Covers what downhill's printers emit (fractions, sub- and
 * superscripts, Greek letters, \left/\right, \operatorname, \cdot), not TeX
 * at large; anything unknown keeps its name without the backslash.
 *
 *   texToUnicode('\\frac{\\partial L}{\\partial w_{1}}')   // '∂L/∂w₁'
 *   texToUnicode('\\sigma\\left(z\\right)^{2}')             // 'σ(z)²'
 */

const symbols: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ',
  upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ',
  Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  partial: '∂', nabla: '∇', cdot: '·', times: '×', pm: '±', propto: '∝', leftarrow: '←', rightarrow: '→', to: '→', gets: '←',
  le: '≤', leq: '≤', ge: '≥', geq: '≥', ne: '≠', neq: '≠', approx: '≈', infty: '∞', sum: 'Σ', prod: 'Π',
  ln: 'ln', log: 'log', exp: 'exp', sin: 'sin', cos: 'cos', tan: 'tan', tanh: 'tanh', sinh: 'sinh', cosh: 'cosh',
  max: 'max', min: 'min', quad: '  ', qquad: '    ', ',': ' ', ';': ' ', '!': '', ' ': ' ', in: '∈', mid: '|',
  arcsin: 'arcsin', arccos: 'arccos', arctan: 'arctan', coth: 'coth', lvert: '|', rvert: '|', ldots: '…', cdots: '⋯',
  odot: '⊙', otimes: '⊗', oplus: '⊕', circ: '∘', top: 'ᵀ', intercal: 'ᵀ', bullet: '•', ast: '∗', star: '⋆', div: '÷',
};

const sub: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', n: 'ₙ', o: 'ₒ', x: 'ₓ',
};
const sup: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', T: 'ᵀ', 'ᵀ': 'ᵀ', '′': '′', '*': '*',
};

function script(text: string, table: Record<string, string>, mark: string): string {
  const chars = [...text];
  if (chars.every((c) => table[c] !== undefined)) return chars.map((c) => table[c]).join('');
  return text.length === 1 ? `${mark}${text}` : `${mark}(${text})`;
}

/** Reads one TeX argument at i: a {group}, a \command, or one character. */
function argument(tex: string, i: number): { text: string; end: number } {
  while (tex[i] === ' ') i++;
  if (tex[i] === '{') {
    let depth = 1;
    let j = i + 1;
    while (j < tex.length && depth > 0) {
      if (tex[j] === '{') depth++;
      else if (tex[j] === '}') depth--;
      j++;
    }
    return { text: tex.slice(i + 1, j - 1), end: j };
  }
  if (tex[i] === '\\') {
    const m = /^\\([A-Za-z]+|.)/.exec(tex.slice(i));
    return { text: m ? m[0] : '\\', end: i + (m ? m[0].length : 1) };
  }
  return { text: tex[i] ?? '', end: i + 1 };
}

/** Whether the bracket opening `s` closes at its very end: (a + b) yes, (a) + (b) no. */
function wrapped(s: string): boolean {
  if (!s.startsWith('(')) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i === s.length - 1;
  }
  return false;
}

const needsBrackets = (s: string): boolean => !wrapped(s) && /[+\-·/ ]/.test(s);

/**
 * Plain Unicode text of a TeX formula. Minus signs come out as − (U+2212),
 * juxtaposed single letters as TeX sets them (w_{1} x_{1} → w₁x₁), words in
 * \\text{…} as written.
 */
export function texToUnicode(tex: string): string {
  return convert(tex, true);
}

// A single letter (maybe \hat, with sub- or superscripts) that is not the start of a word or a call: x, w_{1}, \hat{y}.
const SINGLE = /^(?:[A-Za-z]|\\hat\{[A-Za-z]\})(?:[_^](?:\{[^{}]*\}|[A-Za-z0-9]))*(?![A-Za-z(]|\\left)/;
const LETTER_END = /[\p{L}\d\u0302₀-₉ₐₑᵢⱼₖₙₒₓ⁰-⁹ⁿⁱ]$/u;
const VULGAR: Record<string, string> = { '1/2': '½', '1/3': '⅓', '2/3': '⅔', '1/4': '¼', '3/4': '¾' };
const WORDS = new Set(['ln', 'log', 'exp', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'max', 'min', 'arcsin', 'arccos', 'arctan', 'coth']);

function convert(tex: string, math: boolean): string {
  let out = '';
  let i = 0;
  let afterWord = false; // the last thing written was a function name (sin, ln): keep the space after it
  while (i < tex.length) {
    const c = tex[i]!;
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(tex.slice(i));
      const name = m ? m[1]! : '';
      i += m ? m[0].length : 1;
      afterWord = WORDS.has(name) || ['text', 'textrm', 'mathrm', 'operatorname'].includes(name);
      // TeX ignores the space after a control word: \partial L is ∂L, \partial \hat{y} is ∂ŷ (but keep a ← b).
      if (/^∂$|^∇$/u.test(symbols[name] ?? '')) while (tex[i] === ' ') i++;
      else if (/^\p{L}$/u.test(symbols[name] ?? '')) while (tex[i] === ' ' && /[A-Za-z0-9]/.test(tex[i + 1] ?? '')) i++;
      if (name === 'left' || name === 'right' || name === 'big' || name === 'Big' || name === 'bigl' || name === 'bigr') {
        const d = tex[i] === '\\' ? argument(tex, i) : { text: tex[i] ?? '', end: i + 1 };
        out += d.text === '.' ? '' : convert(d.text, math);
        i = d.end;
      } else if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
        const a = argument(tex, i);
        const b = argument(tex, a.end);
        const num = convert(a.text, math);
        const den = convert(b.text, math);
        const vulgar = VULGAR[`${num}/${den}`];
        if (vulgar !== undefined) {
          out += vulgar;
          i = b.end;
          continue;
        }
        out += `${needsBrackets(num) ? `(${num})` : num}/${needsBrackets(den) ? `(${den})` : den}`;
        i = b.end;
      } else if (name === 'sqrt') {
        let root = '';
        if (tex[i] === '[') {
          const j = tex.indexOf(']', i);
          root = script(tex.slice(i + 1, j), sup, '^');
          i = j + 1;
        }
        const a = argument(tex, i);
        const inner = convert(a.text, math);
        out += `${root}√${needsBrackets(inner) ? `(${inner})` : inner}`;
        i = a.end;
      } else if (['operatorname', 'mathrm', 'text', 'mathit', 'mathbf', 'textrm', 'hat', 'bar', 'tilde'].includes(name)) {
        const a = argument(tex, i);
        const inner = convert(a.text, math && !['text', 'textrm', 'mathrm', 'operatorname'].includes(name));
        out += name === 'hat' ? `${inner}\u0302` : name === 'bar' ? `${inner}\u0304` : name === 'tilde' ? `${inner}\u0303` : inner;
        i = a.end;
      } else if (name === 'underbrace' || name === 'overbrace') {
        // \underbrace{A}_{label}: the label goes in the bracket, after the part it names.
        const a = argument(tex, i);
        i = a.end;
        while (tex[i] === ' ') i++;
        let label = '';
        if (tex[i] === '_' || tex[i] === '^') {
          const b = argument(tex, i + 1);
          label = convert(b.text, math);
          i = b.end;
        }
        out += `[${convert(a.text, math)}${label === '' ? '' : `: ${label}`}]`;
      } else if (name === 'begin' || name === 'end') {
        i = argument(tex, i).end;
      } else if (name === '\\') {
        out += '; ';
      } else {
        out += symbols[name] ?? name;
      }
    } else if (c === '_' || c === '^') {
      const a = argument(tex, i + 1);
      const inner = convert(a.text, math);
      out += script(inner.replace(/−/g, '-'), c === '_' ? sub : sup, c).replace(/-/g, '−');
      i = a.end;
    } else if (c === '{' || c === '}') {
      i++;
    } else if (c === '&') {
      out += ' ';
      i++;
    } else if (c === ' ' && math && !afterWord && LETTER_END.test(out) && SINGLE.test(tex.slice(i).trimStart())) {
      i++; // juxtaposed letters: w_{1} x_{1} is w₁x₁
    } else {
      out += c === '-' && math ? '−' : c;
      afterWord = afterWord && c === ' ';
      i++;
    }
  }
  return out.replace(/ {2,}/g, ' ').trim().normalize('NFC');
}
