/**
 * The playground: differentiates what the learner types and shows downhill
 * grad's report of it (one Document, check/grad-report.ts: the same sections
 * the command prints, then a gradient check, the graph and a descent), as the
 * sections the engine rendered, swapped by id.
 *
 * Nothing the learner types becomes markup: in the form, symbol names, values
 * and messages go into the page as text nodes and attribute values (el(),
 * .value, .textContent); the report's sections are the Document's HTML
 * renderer's, which escapes every text it is given (the expression, symbol
 * names; values are numbers read as the CLI reads --at).
 *
 * The address holds the whole state, with the CLI's words: `?expression=…
 * &wrt=w,b&at.w=0.5&at.x=1&lr=0.1&steps=30` (a shared link opens on it).
 * An error is shown once typing pauses; Graphviz loads when the graph is
 * about to come on screen.
 */
import type { PlaygroundReply } from '../worker.ts';
import { completed, countPainted, el, engineHtml, latestOnly, state, Stopped, type Engine } from './engine.ts';

/**
 * A request that has run this long is stopped when the learner changes the
 * text (a shorter one is let finish, and a fresh engine's first is never
 * stopped this way: starting another would cost more than waiting).
 */
const SUPERSEDE_AFTER_MS = 3000;
import { liveMountain } from './mountain.ts';

/** How long typing must pause before an error is shown (ms). */
const ERROR_PAUSE = 700;

/** A table: header cells (text, with a class) and rows of cells (text, with a class), all set as text. */
function textTable(head: readonly (readonly [string, string?])[], rows: readonly (readonly (readonly [string, string?])[])[]): HTMLTableElement {
  const cell = (tag: 'th' | 'td', [text, cls]: readonly [string, string?]): HTMLElement => el(tag, cls === undefined ? {} : { class: cls }, text);
  const table = el('table', { class: 'numeric' });
  const thead = el('thead');
  const tr = el('tr');
  tr.append(...head.map((h) => cell('th', h)));
  thead.append(tr);
  const tbody = el('tbody');
  for (const row of rows) {
    const r = el('tr');
    r.append(...row.map((c) => cell('td', c)));
    tbody.append(r);
  }
  table.append(thead, tbody);
  return table;
}

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
  const lrField = form.querySelector<HTMLInputElement>('input[name=lr]')!;
  const stepsField = form.querySelector<HTMLInputElement>('input[name=steps]')!;
  // A shared link: its expression, roles, values and settings (the rest keeps the page's defaults).
  const given = new URLSearchParams(location.search);
  const givenWrt = given.get('wrt')?.split(',').filter((w) => w !== '');
  if (given.has('expression')) input.value = given.get('expression')!;
  if (given.has('lr')) lrField.value = given.get('lr')!;
  if (given.has('steps')) stepsField.value = given.get('steps')!;
  const roleOf = (s: string): { param: boolean; value: string } => {
    const param = givenWrt === undefined ? guessParam(s) : givenWrt.includes(s);
    return { param, value: given.get(`at.${s}`) ?? (guessParam(s) ? '0.5' : /^y/i.test(s) ? '2' : '1') };
  };
  /** The state in the address, once typing has paused (replaceState is slow in Chromium). */
  let addressTimer: number | undefined;
  const keepInAddress = (text: string, symbols: readonly string[]): void => {
    window.clearTimeout(addressTimer);
    addressTimer = window.setTimeout(() => {
      const url = new URL(location.href);
      url.search = '';
      url.searchParams.set('expression', text);
      url.searchParams.set('wrt', symbols.filter((s) => roles.get(s)?.param === true).join(','));
      for (const s of symbols) url.searchParams.set(`at.${s}`, roles.get(s)?.value ?? '');
      url.searchParams.set('lr', lrField.value.trim());
      url.searchParams.set('steps', stepsField.value.trim());
      history.replaceState(null, '', url);
    }, 300);
  };
  /** One row of the symbols' table, every name and value set as text. */
  const symbolRow = (s: string, role: { param: boolean; value: string }): HTMLTableRowElement => {
    const radio = (value: 'param' | 'data', label: string): HTMLLabelElement => {
      const r = el('input', { type: 'radio', name: `role-${s}`, value });
      r.checked = role.param === (value === 'param');
      const l = el('label');
      l.append(r, ` ${label}`);
      return l;
    };
    const field = el('input', { type: 'text', inputmode: 'decimal', name: `value-${s}`, 'aria-label': `value of ${s}`, autocomplete: 'off' });
    field.value = role.value;
    const tr = el('tr');
    const name = el('td');
    name.append(el('code', {}, s));
    const roleCell = el('td');
    roleCell.append(radio('param', 'parameter'), ' ', radio('data', 'data'));
    const valueCell = el('td');
    valueCell.append(field);
    tr.append(name, roleCell, valueCell);
    return tr;
  };
  // An error waits for a pause in typing: a loss typed at a normal pace is invalid at most keystrokes.
  let errorTimer: number | undefined;
  const showError = (message: string): void => {
    window.clearTimeout(errorTimer);
    state.errorPending = true;
    errorTimer = window.setTimeout(() => {
      state.errorPending = false;
      error.textContent = message;
      state.errorsShown++;
      // The results shown stay, dimmed, and say whose they are.
      out.classList.add('dh-stale');
      note.textContent = `The results below are those of the last valid expression, ${shownText}.`;
      note.hidden = false;
    }, ERROR_PAUSE);
  };
  const clearError = (): void => {
    window.clearTimeout(errorTimer);
    state.errorPending = false;
    error.textContent = '';
  };
  // Graphviz (2.9 MB) loads once the graph is about to come on screen (the report's section 'graph', watched once shown).
  const report = out.querySelector<HTMLElement>('.dh-report')!;
  let near: () => void = () => undefined;
  const graphNear = new Promise<void>((resolve) => (near = resolve));
  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    near();
  }, { rootMargin: '300px 0px' });
  /** The report's sections (the same as downhill grad's, then the check, graph and descent) in place of the last ones. */
  const showSections = (parts: PlaygroundReply['parts']): void => {
    report.replaceChildren(...parts.map((p) => engineHtml(p.html)));
    seen.disconnect();
    const graph = report.querySelector('#graph');
    if (graph !== null) seen.observe(graph);
    for (const figure of report.querySelectorAll<HTMLElement>('figure.dh-mountain')) liveMountain(engine, figure);
  };
  engine.holdLibrary('graphviz', graphNear);
  /** Counts the runs, so that a graph drawn late goes only where its own run's results are. */
  let runs = 0;

  const stop = form.querySelector<HTMLButtonElement>('button[name=stop]')!;
  stop.addEventListener('click', () => engine.stop('stopped: you pressed stop. Change the expression or a value to run again'));
  const run = latestOnly(async (start: number, superseded) => {
    // Read once: the learner may type on while the engine answers.
    const text = input.value;
    stop.disabled = false;
    try {
      const { symbols } = await engine.call<{ symbols: string[] }>({ kind: 'symbols', text });
      for (const s of symbols) if (!roles.has(s)) roles.set(s, roleOf(s));
      if (table.dataset['symbols'] !== JSON.stringify(symbols)) {
        const t = textTable([['symbol'], ['role'], ['value (start)']], []);
        t.tBodies[0]!.append(...symbols.map((s) => symbolRow(s, roles.get(s)!)));
        table.replaceChildren(t);
        table.dataset['symbols'] = JSON.stringify(symbols);
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
      const lr = lrField.value.trim();
      const steps = stepsField.value.trim();
      keepInAddress(text, symbols);
      const request = { kind: 'playground', text, params, values, lr, steps } as const;
      const r = await engine.call<PlaygroundReply>({ ...request, mode: { draft: true } });
      if (Number.isNaN(state.firstAnswerAt)) state.firstAnswerAt = performance.now();
      const thisRun = ++runs;
      clearError();
      out.hidden = false;
      out.classList.remove('dh-stale');
      note.hidden = true;
      shownText = text;
      showSections(r.parts);
      // The graph, once Graphviz has arrived (the draft drew a placeholder): not waited for here, since
      // Graphviz loads only when the graph comes near the screen, and typing goes on meanwhile.
      if (r.pending.length > 0) {
        state.drafts++;
        if (!superseded()) {
          // Asked for only once the graph is near (a request waiting for a library that is held would run out its time budget).
          void graphNear.then(() => (thisRun === runs ? engine.call<PlaygroundReply>({ ...request, mode: { draft: false, waitFor: r.pending } }) : undefined)).then((full) => {
            if (full === undefined) return;
            if (thisRun !== runs) return;
            const graph = full.parts.find((p) => p.id === 'graph');
            const old = report.querySelector('#graph');
            if (graph !== undefined && old !== null) old.replaceWith(engineHtml(graph.html));
            completed();
          }, () => undefined);
        }
      } else completed();
      state.lastMs = performance.now() - start;
    } catch (e) {
      // A request stopped because a newer one is waiting says nothing: the newer one runs next.
      if (e instanceof Stopped && superseded()) return;
      showError(`downhill grad: ${(e as Error).message}`);
    } finally {
      stop.disabled = true;
    }
    state.updates++;
    countPainted(start);
  });
  /** A change while a request has run for a while stops it: the newest text is what the learner wants answered. */
  const supersede = (): void => {
    if (engine.isWarm() && engine.busyFor() > SUPERSEDE_AFTER_MS) engine.stop('superseded by a newer request');
  };

  form.addEventListener('input', (e) => {
    const t = e.target as HTMLInputElement;
    const m = /^(role|value)-(.+)$/.exec(t.name);
    if (m) {
      const role = roles.get(m[2]!);
      if (role === undefined) return;
      if (m[1] === 'role') role.param = t.value === 'param';
      else role.value = t.value;
    }
    supersede();
    run(e.timeStamp);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(performance.now());
  });
  run(performance.now());
}
