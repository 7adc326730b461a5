/**
 * The playground: differentiates what the learner types (the worker reads it
 * as downhill grad does) and shows its partials, graph, check and descent.
 */
import type { MountainData } from '../../src/render/mountain.ts';
import type { PlaygroundReply } from '../worker.ts';
import { completed, el, fmt, latestOnly, state, type Engine } from './engine.ts';
import { liveMountain } from './mountain.ts';

export function livePlayground(engine: Engine, form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[name=expression]')!;
  const table = form.querySelector<HTMLElement>('.dh-symbols')!;
  const error = form.querySelector<HTMLElement>('.dh-error')!;
  const out = document.querySelector<HTMLElement>('#dh-results')!;
  const note = out.querySelector<HTMLElement>('.dh-results-note')!;
  /** The expression whose results are shown. */
  let shownText = '';
  const roles = new Map<string, { param: boolean; value: string }>();
  const guessParam = (s: string): boolean => !/^(x|y|t|target|input)\d*$/i.test(s);

  const run = latestOnly(async (start: number, superseded) => {
    // Read once: the learner may type on while the engine answers.
    const text = input.value;
    try {
      const { symbols } = await engine.call<{ symbols: string[] }>({ kind: 'symbols', text });
      const rows = symbols.map((s) => {
        const role = roles.get(s) ?? { param: guessParam(s), value: guessParam(s) ? '0.5' : /^y/i.test(s) ? '2' : '1' };
        roles.set(s, role);
        return `<tr><td><code>${s}</code></td><td><label><input type="radio" name="role-${s}" value="param"${role.param ? ' checked' : ''}> parameter</label> <label><input type="radio" name="role-${s}" value="data"${role.param ? '' : ' checked'}> data</label></td><td><input type="text" inputmode="decimal" name="value-${s}" value="${role.value}" aria-label="value of ${s}"></td></tr>`;
      });
      if (table.dataset['symbols'] !== symbols.join(',')) {
        table.innerHTML = `<table class="numeric"><thead><tr><th>symbol</th><th>role</th><th>value (start)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
        table.dataset['symbols'] = symbols.join(',');
      }
      // No prototype: a symbol may be named __proto__ (or toString).
      // As typed: the engine reads them as the CLI reads --at (pi/4 included).
      const values: Record<string, string> = Object.create(null) as Record<string, string>;
      const params: string[] = [];
      for (const s of symbols) {
        const role = roles.get(s)!;
        values[s] = role.value;
        if (role.param) params.push(s);
      }
      // As typed: the engine checks them as the CLI checks a lesson's --lr and --steps.
      const lr = form.querySelector<HTMLInputElement>('input[name=lr]')!.value.trim();
      const steps = form.querySelector<HTMLInputElement>('input[name=steps]')!.value.trim();
      const request = { kind: 'playground', text, params, values, lr, steps } as const;
      const r = await engine.call<PlaygroundReply>({ ...request, mode: { draft: true } });
      error.textContent = '';
      out.hidden = false;
      out.classList.remove('dh-stale');
      note.hidden = true;
      shownText = text;
      out.querySelector('.dh-partials')!.innerHTML = r.partials.map((d) => `<div class="formula" data-wrt="${d.wrt}">${d.html}<p class="caption"><code class="dh-text">∂${r.name}/∂${d.wrt} = ${d.text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code></p></div>`).join('');
      out.querySelector('.dh-graph')!.innerHTML = r.graph;
      out.querySelector('.dh-check')!.innerHTML = `<table class="numeric"><thead><tr><th>parameter</th><th class="num">exact ∂${r.name}/∂p</th><th class="num">central difference</th><th class="num">|difference|</th><th>check</th></tr></thead><tbody>${r.check.map((c) => `<tr><td>${c.wrt}</td><td class="num">${fmt(c.exact, 12)}</td><td class="num">${fmt(c.central, 12)}</td><td class="num">${fmt(c.absError, 3)}</td><td>${c.pass ? 'pass' : 'FAIL'}</td></tr>`).join('')}</tbody></table><p>${r.name} = ${fmt(r.value, 12)} at the values above.</p>`;
      const shown = r.path.length > 25 ? [...r.path.slice(0, 20), r.path[r.path.length - 1]!] : r.path;
      out.querySelector('.dh-descent')!.innerHTML = `<table class="numeric"><thead><tr><th class="num">step</th>${params.map((w) => `<th class="num">${w}</th>`).join('')}<th class="num">${r.name}</th></tr></thead><tbody>${shown.map((s) => `<tr><td class="num">${r.path.indexOf(s)}</td>${s.p.map((v) => `<td class="num">${fmt(v)}</td>`).join('')}<td class="num">${fmt(s.loss)}</td></tr>`).join('')}</tbody></table><p class="dh-stop">Training ${r.stop}.</p>`;
      const mountain = out.querySelector<HTMLElement>('.dh-playground-mountain')!;
      mountain.innerHTML = '';
      if (params.length === 2) {
        const [a, b] = [r.at[params[0]!]!, r.at[params[1]!]!];
        const data = symbols.filter((s) => !params.includes(s));
        const spec: MountainData = {
          loss: r.loss, params: [params[0]!, params[1]!], data, batch: [data.map((s) => r.at[s]!)], fixed: {},
          x: [a - 3, a + 3], y: [b - 3, b + 3], start: [a, b], lr: r.lr, steps: r.steps,
        };
        const figure = el('figure', { class: 'dh-mountain', 'data-spec': JSON.stringify(spec) });
        figure.hidden = true;
        figure.append(el('figcaption', {}, `${r.name} over ${params[0]} and ${params[1]} (the other symbols at their values): drag to turn, click to start a descent.`));
        mountain.append(figure);
        liveMountain(engine, figure);
      }
      // The graph, once Graphviz has arrived (the draft drew a placeholder).
      if (r.pending.length > 0) {
        state.drafts++;
        if (superseded()) return;
        const full = await engine.call<PlaygroundReply>({ ...request, mode: { draft: false, waitFor: r.pending } });
        out.querySelector('.dh-graph')!.innerHTML = full.graph;
      }
      completed();
      state.lastMs = performance.now() - start;
    } catch (e) {
      error.textContent = `downhill grad: ${(e as Error).message}`;
      // The results shown stay, dimmed, and say whose they are.
      out.classList.add('dh-stale');
      note.textContent = `The results below are those of the last valid expression, ${shownText}.`;
      note.hidden = false;
    }
    state.updates++;
  });

  form.addEventListener('input', (e) => {
    const t = e.target as HTMLInputElement;
    const m = /^(role|value)-(.+)$/.exec(t.name);
    if (m) {
      const role = roles.get(m[2]!)!;
      if (m[1] === 'role') role.param = t.value === 'param';
      else role.value = t.value;
    }
    run(performance.now());
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(performance.now());
  });
  run(performance.now());
}
