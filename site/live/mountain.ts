/**
 * The mountain: each `.dh-mountain` figure becomes a rotatable 3-D surface
 * with a map, where a click starts gradient descent, shown step by step with
 * its numbers (the worker computes the surface and the path).
 */
import { heightRgb, INK, SURFACE_PATH_COLOURS, type MountainData } from '../../src/live.ts';
import type { MountainReply, PathStep } from '../worker.ts';
import { el, fmt, latestOnly, type Engine } from './engine.ts';

/** Points per side of the computed surface (the worker evaluates the loss at GRID² points). */
const GRID = 81;
/** The map's plot area in canvas pixels: left, top, side; the colour bar sits to its right. */
const MAP = { left: 52, top: 14, side: 240, width: 380, height: 300 } as const;
const SURFACE = { width: 440, height: 340 } as const;
/** The path's colour, over a dark halo (as on the static surfaces: render/palette.ts). */
const PATH = SURFACE_PATH_COLOURS[0]!;

/** Where the learner started a descent, by mountain: kept when the lesson reruns with new settings. */
const chosenStarts = new Map<string, [number, number]>();

/** About `n` round numbers between lo and hi (1, 2 or 5 times a power of ten apart). */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  const raw = (hi - lo) / Math.max(1, n);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/**
 * What a mountain's pictures show that depends on its surface alone (the
 * faces, the colour map, axes and scales: not the path, nor the map's
 * cursor), drawn once per surface and view and copied under each new path:
 * a rerun with another learning rate, or a step of the descent, draws only
 * its path. The last few, by the surface's inputs and the view.
 */
const backgrounds = new Map<string, HTMLCanvasElement>();
function background(key: string, width: number, height: number, paint: (g: CanvasRenderingContext2D) => void): HTMLCanvasElement {
  const hit = backgrounds.get(key);
  if (hit !== undefined) return hit;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  paint(canvas.getContext('2d')!);
  if (backgrounds.size >= 8) backgrounds.clear();
  backgrounds.set(key, canvas);
  return canvas;
}

const rgb = (t: number, alpha = 1): string => {
  const [r, g, b] = heightRgb(t);
  return `rgba(${r},${g},${b},${alpha})`;
};

export function liveMountain(engine: Engine, figure: HTMLElement): void {
  const spec = JSON.parse(figure.dataset['spec'] ?? '{}') as MountainData;
  figure.hidden = false;
  const template = figure.querySelector('template');
  if (template) template.replaceWith(template.content.cloneNode(true));
  const [p, q] = spec.params;
  // In the playground the start is what the learner typed; on a lesson page it is kept across settings.
  const inPlayground = figure.closest('#dh-results') !== null;
  const key = `${[...document.querySelectorAll('figure.dh-mountain')].indexOf(figure)}|${spec.params.join(',')}${inPlayground ? `|${spec.loss}|${spec.start.join(',')}` : ''}`;
  const wrap = el('div', { class: 'dh-mountain-views' });
  const map = el('canvas', {
    width: String(MAP.width), height: String(MAP.height), class: 'dh-map', tabindex: '0', role: 'img',
    'data-plot': `${MAP.left},${MAP.top},${MAP.side},${MAP.side}`,
    'aria-label': `map of the loss over ${p} (across) and ${q} (up), colour for height. Click to start a descent there; or arrow keys move a cursor and Enter starts there.`,
  });
  const surface = el('canvas', {
    width: String(SURFACE.width), height: String(SURFACE.height), class: 'dh-surface', tabindex: '0', role: 'img',
    'aria-label': `the loss over ${p} and ${q} as a mountain in 3-D. Drag or use the arrow keys to turn it; click to start a descent there; Enter starts at the map's cursor.`,
  });
  wrap.append(surface, map);
  const buttons = el('div', { class: 'dh-mountain-buttons' });
  const stepButton = el('button', { type: 'button', 'data-do': 'step' }, 'one step ▶');
  const playButton = el('button', { type: 'button', 'data-do': 'play' }, 'play ▶▶');
  const resetButton = el('button', { type: 'button', 'data-do': 'reset' }, 'back to the start');
  buttons.append(stepButton, playButton, resetButton);
  const cursorLine = el('p', { class: 'dh-cursor caption', 'aria-live': 'polite' });
  const update = el('pre', { class: 'dh-update', 'aria-live': 'polite' });
  figure.prepend(wrap, buttons, cursorLine, update);

  let heights: number[] = [];
  let path: PathStep[] = [];
  let stop = '';
  let k = 0;
  let az = -0.7;
  let elev = 0.9;
  let timer: number | undefined;
  const lo = { x: spec.x[0], y: spec.y[0] };
  const span = { x: spec.x[1] - spec.x[0], y: spec.y[1] - spec.y[0] };
  // Heights on a log scale, so that a deep narrow valley and high walls both show.
  let hMin = 0;
  let hMax = 1;
  let lossMax = 1;
  const height = (loss: number): number => (Math.log1p(Math.max(0, loss)) - hMin) / (hMax - hMin || 1);
  const lossAt = (t: number): number => Math.expm1(hMin + t * (hMax - hMin));
  const remembered = chosenStarts.get(key);
  const inside = (s: readonly number[]): boolean => s[0]! >= spec.x[0] && s[0]! <= spec.x[1] && s[1]! >= spec.y[0] && s[1]! <= spec.y[1];
  let cursor: [number, number] = remembered !== undefined && inside(remembered) ? [...remembered] : [spec.start[0], spec.start[1]];
  let showCursor = false;

  const project = (x: number, y: number, h: number): [number, number] => {
    const u = ((x - lo.x) / span.x) * 2 - 1;
    const v = ((y - lo.y) / span.y) * 2 - 1;
    const ru = u * Math.cos(az) - v * Math.sin(az);
    const rv = u * Math.sin(az) + v * Math.cos(az);
    const z = Math.min(1.6, Math.max(-0.2, h)) * 1.1 - 0.5;
    return [SURFACE.width / 2 + 140 * ru, 172 + 95 * (rv * Math.sin(elev) - z * Math.cos(elev))];
  };
  /** Nearness to the viewer (larger is nearer): the painter's order. */
  const nearness = (x: number, y: number, h: number): number => {
    const u = ((x - lo.x) / span.x) * 2 - 1;
    const v = ((y - lo.y) / span.y) * 2 - 1;
    const rv = u * Math.sin(az) + v * Math.cos(az);
    return rv * Math.cos(elev) + (Math.min(1.6, Math.max(-0.2, h)) * 1.1 - 0.5) * Math.sin(elev);
  };
  const toMap = (x: number, y: number): [number, number] => [MAP.left + ((x - lo.x) / span.x) * MAP.side, MAP.top + MAP.side - ((y - lo.y) / span.y) * MAP.side];
  const gx = (i: number): number => lo.x + (span.x * i) / (GRID - 1);
  const gy = (j: number): number => lo.y + (span.y * j) / (GRID - 1);
  const h = (i: number, j: number): number => height(heights[j * GRID + i]!);

  function label(g: CanvasRenderingContext2D, text: string, x: number, y: number, align: CanvasTextAlign = 'center'): void {
    g.textAlign = align;
    g.fillText(text, x, y);
  }

  // The surface's inputs (as the worker keys its surfaces): the heights computed for them, and so their pictures, are the same.
  const surfaceKey = JSON.stringify([spec.loss, spec.params, spec.data, spec.batch, spec.fixed, spec.x, spec.y, GRID]);

  function drawSurface(): void {
    const g = surface.getContext('2d')!;
    g.clearRect(0, 0, surface.width, surface.height);
    if (heights.length === 0) return; // (no surface yet: nothing to draw, nor to keep)
    g.drawImage(background(`surface|${surfaceKey}|${az}|${elev}`, surface.width, surface.height, surfaceBackground), 0, 0);
    drawPath(g, (s) => project(s.p[0]!, s.p[1]!, height(s.loss)));
  }

  function surfaceBackground(g: CanvasRenderingContext2D): void {
    // The faces, farthest first, each in the colour of its height.
    const faces: { near: number; t: number; pts: [number, number][] }[] = [];
    const stride = 2;
    for (let j = 0; j + stride < GRID; j += stride) {
      for (let i = 0; i + stride < GRID; i += stride) {
        const corners: [number, number][] = [[i, j], [i + stride, j], [i + stride, j + stride], [i, j + stride]];
        const t = corners.reduce((s, [a, b]) => s + h(a, b), 0) / 4;
        faces.push({ near: nearness(gx(i + stride / 2), gy(j + stride / 2), t), t, pts: corners.map(([a, b]) => project(gx(a), gy(b), h(a, b))) });
      }
    }
    faces.sort((a, b) => a.near - b.near);
    g.lineWidth = 0.5;
    g.strokeStyle = 'rgba(0,0,0,0.18)';
    for (const f of faces) {
      g.fillStyle = rgb(f.t);
      g.beginPath();
      f.pts.forEach((pt, n) => (n === 0 ? g.moveTo(...pt) : g.lineTo(...pt)));
      g.closePath();
      g.fill();
      g.stroke();
    }
    // Axes along the base from its lowest corner, with their names and end values; the height axis up from it.
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = INK.text;
    g.strokeStyle = INK.line;
    g.lineWidth = 1;
    const base = (x: number, y: number): [number, number] => project(x, y, 0);
    const axis = (from: [number, number], to: [number, number]): void => {
      g.beginPath(); g.moveTo(...from); g.lineTo(...to); g.stroke();
    };
    const o = base(lo.x, lo.y);
    const xEnd = base(spec.x[1], lo.y);
    const yEnd = base(lo.x, spec.y[1]);
    axis(o, xEnd);
    axis(o, yEnd);
    const top = project(lo.x, lo.y, 1);
    axis(o, top);
    label(g, fmt(spec.x[0], 3), o[0], o[1] + 14);
    label(g, `${fmt(spec.x[1], 3)}  ${p} →`, xEnd[0], xEnd[1] + 14);
    label(g, `${q} → ${fmt(spec.y[1], 3)}`, yEnd[0], yEnd[1] + 14);
    label(g, `L up to ${fmt(lossMax, 3)}`, top[0] + 6, top[1] - 4, 'left');
  }

  function drawMap(): void {
    const g = map.getContext('2d')!;
    g.clearRect(0, 0, map.width, map.height);
    if (heights.length > 0) g.drawImage(background(`map|${surfaceKey}`, map.width, map.height, mapBackground), 0, 0);
    drawPath(g, (s) => toMap(s.p[0]!, s.p[1]!));
    if (showCursor) {
      const [cx, cy] = toMap(...cursor);
      g.strokeStyle = '#fff';
      g.lineWidth = 3;
      g.beginPath(); g.arc(cx, cy, 8, 0, 2 * Math.PI); g.stroke();
      g.strokeStyle = '#000';
      g.lineWidth = 1.5;
      g.beginPath(); g.arc(cx, cy, 8, 0, 2 * Math.PI); g.stroke();
    }
  }

  function mapBackground(g: CanvasRenderingContext2D): void {
    // Each pixel of the plot area coloured by the height there (bilinear between grid points).
    const image = g.createImageData(MAP.side, MAP.side);
    for (let py = 0; py < MAP.side; py++) {
      const fj = ((MAP.side - 1 - py) / (MAP.side - 1)) * (GRID - 1);
      const j = Math.min(GRID - 2, Math.floor(fj));
      const dj = fj - j;
      for (let px = 0; px < MAP.side; px++) {
        const fi = (px / (MAP.side - 1)) * (GRID - 1);
        const i = Math.min(GRID - 2, Math.floor(fi));
        const di = fi - i;
        const t = (1 - dj) * ((1 - di) * h(i, j) + di * h(i + 1, j)) + dj * ((1 - di) * h(i, j + 1) + di * h(i + 1, j + 1));
        const [r, gr, b] = heightRgb(t);
        const at = 4 * (py * MAP.side + px);
        image.data[at] = r; image.data[at + 1] = gr; image.data[at + 2] = b; image.data[at + 3] = 255;
      }
    }
    g.putImageData(image, MAP.left, MAP.top);
    // Axes: ticks and values, and the parameters' names.
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = INK.muted;
    g.strokeStyle = INK.line;
    g.lineWidth = 1;
    g.strokeRect(MAP.left - 0.5, MAP.top - 0.5, MAP.side + 1, MAP.side + 1);
    for (const v of niceTicks(spec.x[0], spec.x[1])) {
      const [x] = toMap(v, lo.y);
      g.beginPath(); g.moveTo(x, MAP.top + MAP.side); g.lineTo(x, MAP.top + MAP.side + 4); g.stroke();
      label(g, fmt(v, 3), x, MAP.top + MAP.side + 15);
    }
    for (const v of niceTicks(spec.y[0], spec.y[1])) {
      const [, y] = toMap(lo.x, v);
      g.beginPath(); g.moveTo(MAP.left - 4, y); g.lineTo(MAP.left, y); g.stroke();
      label(g, fmt(v, 3), MAP.left - 6, y + 4, 'right');
    }
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = INK.text;
    label(g, p, MAP.left + MAP.side / 2, MAP.top + MAP.side + 31);
    g.save();
    g.translate(14, MAP.top + MAP.side / 2);
    g.rotate(-Math.PI / 2);
    label(g, q, 0, 0);
    g.restore();
    // The colour bar: height, with the loss's values at round places.
    const barX = MAP.left + MAP.side + 16;
    for (let py = 0; py < MAP.side; py++) {
      g.fillStyle = rgb(1 - py / (MAP.side - 1));
      g.fillRect(barX, MAP.top + py, 12, 1);
    }
    g.strokeRect(barX - 0.5, MAP.top - 0.5, 13, MAP.side + 1);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = INK.muted;
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      const y = MAP.top + (1 - t) * MAP.side;
      g.beginPath(); g.moveTo(barX + 12, y); g.lineTo(barX + 16, y); g.stroke();
      label(g, fmt(lossAt(t), 3), barX + 18, y + 4, 'left');
    }
    g.fillStyle = INK.text;
    label(g, 'L', barX + 6, MAP.top + MAP.side + 15);
  }

  function drawPath(g: CanvasRenderingContext2D, at: (s: PathStep) => [number, number]): void {
    if (path.length === 0) return;
    const line = (): void => {
      g.beginPath();
      path.slice(0, k + 1).forEach((s, n) => (n === 0 ? g.moveTo(...at(s)) : g.lineTo(...at(s))));
      g.stroke();
    };
    g.strokeStyle = 'rgba(0,0,0,0.55)';
    g.lineWidth = 4;
    line();
    g.strokeStyle = PATH;
    g.lineWidth = 2;
    line();
    for (const [s, colour] of [[path[0]!, '#fff'], [path[k]!, PATH]] as const) {
      g.fillStyle = colour;
      g.strokeStyle = '#111';
      g.lineWidth = 1.5;
      g.beginPath(); g.arc(...at(s), 4.5, 0, 2 * Math.PI); g.fill(); g.stroke();
    }
  }

  const held = Object.entries(spec.fixed);
  function showUpdate(): void {
    const s = path[k];
    if (s === undefined) return;
    const next = path[k + 1];
    const lines = [`step ${k} of ${path.length - 1}: L(${p}, ${q}) = L(${fmt(s.p[0]!)}, ${fmt(s.p[1]!)}) = ${fmt(s.loss)}`];
    if (next === undefined) lines.push(`training ${stop}.`);
    else {
      spec.params.forEach((name, n) => {
        const g = s.gradient[n]!;
        lines.push(`${name} ← ${name} − η·∂L/∂${name} = ${fmt(s.p[n]!)} − ${fmt(spec.lr)}·${g < 0 ? `(${fmt(g)})` : fmt(g)} = ${fmt(next.p[n]!)}`);
      });
    }
    // The weights this descent holds: its numbers are not those of a descent that moves every weight.
    if (held.length > 0) lines.push(`held: ${held.map(([name, v]) => `${name} = ${fmt(v)}`).join(', ')} (this descent moves only ${p} and ${q})`);
    update.textContent = lines.join('\n');
    figure.dataset['k'] = String(k);
    figure.dataset['start'] = JSON.stringify(path[0]!.p);
  }

  const draw = (): void => {
    drawSurface();
    drawMap();
    showUpdate();
  };

  const pause = (): void => {
    if (timer !== undefined) window.clearInterval(timer);
    timer = undefined;
    playButton.textContent = 'play ▶▶';
  };

  async function startAt(start: [number, number], chosen = true): Promise<void> {
    pause();
    if (chosen) chosenStarts.set(key, start);
    cursor = [start[0], start[1]];
    let reply: MountainReply;
    try {
      reply = await engine.call<MountainReply>({ kind: 'mountain', spec, start, grid: GRID });
    } catch (e) {
      update.textContent = (e as Error).message; // stopped (the time budget, or the page's stop): the last descent stays drawn
      return;
    }
    heights = reply.surface;
    const losses = heights.filter(Number.isFinite);
    const logs = losses.map((v) => Math.log1p(Math.max(0, v)));
    hMin = Math.min(...logs);
    hMax = Math.max(...logs);
    lossMax = Math.max(...losses);
    path = reply.path;
    stop = reply.stop;
    k = 0;
    draw();
    figure.dataset['ready'] = 'true';
  }

  stepButton.addEventListener('click', () => {
    pause();
    k = Math.min(k + 1, path.length - 1);
    draw();
  });
  resetButton.addEventListener('click', () => {
    pause();
    k = 0;
    draw();
  });
  playButton.addEventListener('click', () => {
    if (timer !== undefined) return pause();
    playButton.textContent = 'pause ❚❚';
    if (k >= path.length - 1) k = 0;
    timer = window.setInterval(() => {
      if (k >= path.length - 1 || !figure.isConnected) return pause();
      k++;
      draw();
    }, 60);
  });
  // On the map, a click starts there, and dragging moves the start (the newest position wins while one computes).
  const onMap = (e: MouseEvent): [number, number] => {
    const r = map.getBoundingClientRect();
    const cx = ((e.clientX - r.left) / r.width) * map.width;
    const cy = ((e.clientY - r.top) / r.height) * map.height;
    const fx = Math.min(1, Math.max(0, (cx - MAP.left) / MAP.side));
    const fy = Math.min(1, Math.max(0, (cy - MAP.top) / MAP.side));
    return [lo.x + fx * span.x, lo.y + (1 - fy) * span.y];
  };
  const startSoon = latestOnly((start: [number, number]) => startAt(start));
  let dragging = false;
  map.addEventListener('pointerdown', (e) => {
    dragging = true;
    map.setPointerCapture(e.pointerId);
  });
  map.addEventListener('pointermove', (e) => {
    if (dragging) startSoon(onMap(e));
  });
  map.addEventListener('pointerup', () => {
    dragging = false;
  });
  map.addEventListener('click', (e) => startSoon(onMap(e)));
  // The keyboard: on the map, arrows move a cursor (Shift: farther) and Enter or Space starts there;
  // on the surface, arrows turn it and Enter starts at the cursor.
  const sayCursor = (): void => {
    cursorLine.textContent = `cursor at ${p} = ${fmt(cursor[0], 4)}, ${q} = ${fmt(cursor[1], 4)}: Enter starts a descent there`;
  };
  map.addEventListener('focus', () => {
    showCursor = true;
    sayCursor();
    drawMap();
  });
  map.addEventListener('blur', () => {
    showCursor = false;
    drawMap();
  });
  map.addEventListener('keydown', (e) => {
    const move: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const d = move[e.key];
    if (d !== undefined) {
      const f = e.shiftKey ? 0.1 : 0.025;
      cursor = [Math.min(spec.x[1], Math.max(spec.x[0], cursor[0] + d[0] * f * span.x)), Math.min(spec.y[1], Math.max(spec.y[0], cursor[1] + d[1] * f * span.y))];
      sayCursor();
      drawMap();
    } else if (e.key === 'Enter' || e.key === ' ') startSoon([cursor[0], cursor[1]]);
    else return;
    e.preventDefault();
  });
  surface.addEventListener('keydown', (e) => {
    const turn: Record<string, [number, number]> = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.08], ArrowDown: [0, -0.08] };
    const d = turn[e.key];
    if (d !== undefined) {
      az += d[0];
      elev = Math.max(0.15, Math.min(1.5, elev + d[1]));
      surface.dataset['turn'] = `${az.toFixed(2)},${elev.toFixed(2)}`;
      drawSurface();
    } else if (e.key === 'Enter' || e.key === ' ') startSoon([cursor[0], cursor[1]]);
    else return;
    e.preventDefault();
  });
  // Drag turns the surface; a click without a drag starts at the nearest point of the grid.
  let drag: { x: number; y: number; moved: boolean } | undefined;
  surface.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, moved: false };
    surface.setPointerCapture(e.pointerId);
  });
  surface.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (!drag.moved) return;
    az += dx * 0.01;
    elev = Math.max(0.15, Math.min(1.5, elev + dy * 0.01));
    drag.x = e.clientX;
    drag.y = e.clientY;
    drawSurface();
  });
  surface.addEventListener('pointerup', (e) => {
    const wasDrag = drag?.moved ?? true;
    drag = undefined;
    if (wasDrag || heights.length === 0) return;
    const r = surface.getBoundingClientRect();
    const cx = ((e.clientX - r.left) / r.width) * surface.width;
    const cy = ((e.clientY - r.top) / r.height) * surface.height;
    let best: [number, number] = [spec.start[0], spec.start[1]];
    let bestD = Infinity;
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        const [sx, sy] = project(gx(i), gy(j), h(i, j));
        const d = (sx - cx) ** 2 + (sy - cy) ** 2;
        if (d < bestD) [bestD, best] = [d, [gx(i), gy(j)]];
      }
    }
    void startAt(best);
  });
  // The learner's own start, if they chose one before the settings changed; else the lesson's.
  void startAt([cursor[0], cursor[1]], false);
}

export function liveMountains(engine: Engine): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure.dh-mountain[hidden]')) liveMountain(engine, figure);
}
