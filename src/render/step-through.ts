/**
 * The step-through of backpropagation as a page shows it: the computational
 * graph's SVG (drawn by pictures/steps.ts) with buttons that highlight the
 * nodes one at a time, first in forward order (each value as it is
 * computed), then in backward order (each gradient as the sum of what its
 * outgoing edges add). In predict mode (a checkbox) every value and gradient
 * stays hidden until its step, and each step asks first ("= ?") and answers
 * at the next press. A few lines of inline script, no external resources: it
 * works offline from file://. Without JavaScript the picture is still there,
 * fully labelled.
 *
 *   stepThroughFigure({ svg, id: 'dh1a2b', lossName: 'L', caption: 'one step of backprop' })
 *   // '<div class="dh-steps" id="dh1a2b_steps">…<svg …>…</svg>…<script>(function () {…})();</script>'
 */
import { escapeHtml } from './page.ts';

/** What a step-through shows: the graph's SVG (its nodes and edges carry the steps as data attributes), its id prefix, the loss's name. */
export interface StepThroughData {
  readonly svg: string;
  /** The SVG's id prefix (letters and digits). */
  readonly id: string;
  readonly lossName: string;
  /** A caption under the picture (plain text). */
  readonly caption?: string;
}

/**
 * The script shared by every step-through on a page. It sets up each
 * `.dh-steps` block once, however many times it is included.
 */
export const STEP_THROUGH_SCRIPT = `(function () {
  function byNumber(attr) { return function (a, b) { return Number(a.getAttribute(attr)) - Number(b.getAttribute(attr)); }; }
  function list(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function setup(root) {
    root.setAttribute('data-ready', 'true');
    var svg = root.querySelector('svg');
    var status = root.querySelector('.dh-steps-status');
    var edges = list(svg, 'g.edge');
    var steps = [];
    list(svg, '[data-fwd]').sort(byNumber('data-fwd')).forEach(function (el) {
      steps.push({ el: el, phase: 'forward', say: el.getAttribute('data-say-fwd'),
        edges: edges.filter(function (e) { return e.getAttribute('data-to') === el.id; }) });
    });
    list(svg, '[data-bwd]').sort(byNumber('data-bwd')).forEach(function (el) {
      steps.push({ el: el, phase: 'backward', say: el.getAttribute('data-say-bwd'),
        edges: edges.filter(function (e) { return e.getAttribute('data-from') === el.id && e.hasAttribute('data-contribution'); }) });
    });
    var forwardCount = steps.filter(function (s) { return s.phase === 'forward'; }).length;
    var k = -1;
    // Predict mode: numbers stay hidden until their step is reached, and each step shows its question
    // first ("= ?") and its number at the next press, so the learner can predict, then check.
    var predict = root.querySelector('input[data-predict]');
    var revealed = true;
    function texts(el, test) { return list(el, 'text').filter(function (t) { return test(t.textContent || ''); }); }
    var isValue = function (t) { return t.indexOf('= ') === 0; };
    var isGrad = function (t) { return t.indexOf('\u2202') === 0 && t.indexOf('/\u2202') > 0 && t.indexOf('+=') < 0; };
    var isEdgeNumber = function (t) { return t.indexOf('= ') === 0 || t.indexOf('+=') > 0; };
    var fwdAt = {}, bwdAt = {};
    steps.forEach(function (s, j) { (s.phase === 'forward' ? fwdAt : bwdAt)[s.el.id] = j; });
    function shown(j) { return j !== undefined && (j < k || (j === k && revealed)); }
    function hide() {
      var on = predict && predict.checked;
      list(svg, 'g.node').forEach(function (g) {
        texts(g, isValue).forEach(function (t) { t.style.visibility = !on || shown(fwdAt[g.id]) ? '' : 'hidden'; });
        texts(g, isGrad).forEach(function (t) { t.style.visibility = !on || shown(bwdAt[g.id]) ? '' : 'hidden'; });
      });
      edges.forEach(function (e) {
        var at = bwdAt[e.getAttribute('data-from')];
        texts(e, isEdgeNumber).forEach(function (t) { t.style.visibility = !on || shown(at) ? '' : 'hidden'; });
      });
    }
    function show() {
      list(svg, '.dh_on, .dh_done').forEach(function (el) { el.classList.remove('dh_on'); el.classList.remove('dh_done'); });
      hide();
      for (var j = 0; j < k; j++) if (steps[j].phase === steps[k].phase) steps[j].el.classList.add('dh_done');
      if (k < 0) { status.textContent = status.getAttribute('data-start'); return; }
      var s = steps[k];
      s.el.classList.add('dh_on');
      s.edges.forEach(function (e) { e.classList.add('dh_on'); });
      var n = s.phase === 'forward' ? k + 1 : k + 1 - forwardCount;
      var of = s.phase === 'forward' ? forwardCount : steps.length - forwardCount;
      var say = revealed ? s.say : s.say.replace(/= [^=]*$/, '= ?') + ' (predict it, then press next)';
      status.textContent = s.phase + ' pass, step ' + n + ' of ' + of + ': ' + say;
      // The highlighted node comes into view (a tall graph runs below the screen); the least scroll that shows it.
      if (scroll && s.el.scrollIntoView) s.el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
    var scroll = false;
    root.addEventListener('click', function (event) {
      var button = event.target.closest ? event.target.closest('button[data-step]') : null;
      if (!button) return;
      var what = button.getAttribute('data-step');
      var on = predict && predict.checked;
      if (what === 'next' && on && !revealed) revealed = true;
      else if (what === 'next' && k < steps.length - 1) { k++; revealed = !on; }
      else if (what === 'back' && k > -1) { k--; revealed = true; }
      else if (what === 'reset') { k = -1; revealed = true; }
      scroll = true;
      show();
    });
    if (predict) predict.addEventListener('change', function () { k = -1; revealed = true; show(); });
    show();
  }
  list(document, '.dh-steps:not([data-ready])').forEach(setup);
})();`;

/** Highlight styles, scoped to one picture's id. */
function styles(prefix: string): string {
  const shapes = (cls: string): string => ['path', 'polygon', 'ellipse'].map((s) => `#${prefix} .${cls} > ${s}`).join(', ');
  return `<style>${shapes('dh_on')} { stroke: #c2410c; stroke-width: 3px; } `
    + `#${prefix} g.node.dh_on text { font-weight: bold; } `
    + `${shapes('dh_done')} { stroke: #2563eb; stroke-width: 2px; } `
    // The buttons and the status line stay on screen while the highlighted node is scrolled into view below them.
    + `#${prefix}_steps .dh-steps-controls { position: sticky; top: 0; z-index: 1; background: var(--bg, #fff); padding: .25rem 0; } `
    + `#${prefix} g.node, #${prefix} g.edge { scroll-margin-top: 7rem; scroll-margin-bottom: 1rem; }</style>`;
}

/** The step-through as HTML: buttons (back, next, start again), a status line that reads out each step, the picture, the inline script. */
export function stepThroughFigure(data: StepThroughData): string {
  const start = `Press “next” to run the forward pass one node at a time, then the backward pass from ${data.lossName} to the inputs.`;
  const caption = data.caption === undefined ? '' : `<figcaption>${escapeHtml(data.caption)}</figcaption>`;
  return [
    `<div class="dh-steps" id="${data.id}_steps">`,
    // The highlight styles beside the picture (scoped by its id), not written into its SVG.
    styles(data.id),
    '<div class="dh-steps-controls">',
    '<p class="dh-steps-bar">',
    '<button type="button" data-step="back">◀ back</button>',
    '<button type="button" data-step="next">next ▶</button>',
    '<button type="button" data-step="reset">start again</button>',
    '<label><input type="checkbox" data-predict> predict first: hide each number until its step</label>',
    '</p>',
    `<p class="dh-steps-status" aria-live="polite" data-start="${escapeHtml(start)}">${escapeHtml(start)}</p>`,
    '</div>',
    `<figure>${data.svg.trim()}${caption}</figure>`,
    '</div>',
    `<script>${STEP_THROUGH_SCRIPT}</script>`,
    '',
  ].join('\n');
}

