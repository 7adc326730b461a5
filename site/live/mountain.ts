/**
 * The mountain: each `.dh-mountain` figure becomes a rotatable 3-D surface
 * with a map, where a click starts gradient descent, shown step by step with
 * its numbers (the worker computes the surface and the path).
 */
import type { MountainData } from '../../src/render/mountain.ts';
import type { MountainReply, PathStep } from '../worker.ts';
import { el, fmt, latestOnly, type Engine } from './engine.ts';

const GRID = 41;

/** Colour of a height in [0, 1]: dark blue (low) to light yellow (high). */
function shade(t: number, alpha = 1): string {
  const c = Math.max(0, Math.min(1, t));
  return `hsla(${Math.round(230 - 180 * c)}, 70%, ${Math.round(25 + 55 * c)}%, ${alpha})`;
}

export function liveMountain(engine: Engine, figure: HTMLElement): void {
  const spec = JSON.parse(figure.dataset['spec'] ?? '{}') as MountainData;
  figure.hidden = false;
  const template = figure.querySelector('template');
  if (template) template.replaceWith(template.content.cloneNode(true));
  const [p, q] = spec.params;
  const wrap = el('div', { class: 'dh-mountain-views' });
  const map = el('canvas', { width: '280', height: '280', class: 'dh-map', 'aria-label': `the loss over ${p} and ${q}, seen from above: click to start there` });
  const surface = el('canvas', { width: '420', height: '320', class: 'dh-surface', 'aria-label': 'the loss surface in 3-D: drag to turn it, click to start there' });
  wrap.append(surface, map);
  const buttons = el('div', { class: 'dh-mountain-buttons' });
  const stepButton = el('button', { type: 'button', 'data-do': 'step' }, 'one step ▶');
  const playButton = el('button', { type: 'button', 'data-do': 'play' }, 'play ▶▶');
  const resetButton = el('button', { type: 'button', 'data-do': 'reset' }, 'back to the start');
  buttons.append(stepButton, playButton, resetButton);
  const update = el('pre', { class: 'dh-update', 'aria-live': 'polite' });
  figure.prepend(wrap, buttons, update);

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
  const height = (loss: number): number => (Math.log1p(Math.max(0, loss)) - hMin) / (hMax - hMin || 1);

  const project = (x: number, y: number, h: number): [number, number] => {
    const u = ((x - lo.x) / span.x) * 2 - 1;
    const v = ((y - lo.y) / span.y) * 2 - 1;
    const ru = u * Math.cos(az) - v * Math.sin(az);
    const rv = u * Math.sin(az) + v * Math.cos(az);
    const z = Math.min(1.6, Math.max(-0.2, h)) * 1.1 - 0.5;
    return [210 + 140 * ru, 170 + 110 * (rv * Math.sin(elev) - z * Math.cos(elev))];
  };
  const toMap = (x: number, y: number): [number, number] => [((x - lo.x) / span.x) * 280, 280 - ((y - lo.y) / span.y) * 280];

  function drawSurface(): void {
    const g = surface.getContext('2d')!;
    g.clearRect(0, 0, surface.width, surface.height);
    g.lineWidth = 1;
    const at = (i: number, j: number): [number, number] => project(lo.x + (span.x * i) / (GRID - 1), lo.y + (span.y * j) / (GRID - 1), height(heights[j * GRID + i]!));
    for (let j = 0; j < GRID; j += 2) {
      for (let i = 0; i + 1 < GRID; i++) {
        g.strokeStyle = shade(height(heights[j * GRID + i]!), 0.8);
        g.beginPath(); g.moveTo(...at(i, j)); g.lineTo(...at(i + 1, j)); g.stroke();
      }
    }
    for (let i = 0; i < GRID; i += 2) {
      for (let j = 0; j + 1 < GRID; j++) {
        g.strokeStyle = shade(height(heights[j * GRID + i]!), 0.8);
        g.beginPath(); g.moveTo(...at(i, j)); g.lineTo(...at(i, j + 1)); g.stroke();
      }
    }
    drawPath(g, (s) => project(s.p[0]!, s.p[1]!, height(s.loss)));
  }

  function drawMap(): void {
    const g = map.getContext('2d')!;
    const cell = 280 / GRID;
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        g.fillStyle = shade(height(heights[j * GRID + i]!));
        g.fillRect(i * cell - 0.5, 280 - (j + 1) * cell - 0.5, cell + 1, cell + 1);
      }
    }
    g.fillStyle = '#fff';
    g.font = '12px system-ui, sans-serif';
    g.fillText(`${p} →`, 240, 272);
    g.fillText(`${q} ↑`, 6, 14);
    drawPath(g, (s) => toMap(s.p[0]!, s.p[1]!));
  }

  function drawPath(g: CanvasRenderingContext2D, at: (s: PathStep) => [number, number]): void {
    if (path.length === 0) return;
    g.strokeStyle = '#e11d48';
    g.lineWidth = 2;
    g.beginPath();
    path.slice(0, k + 1).forEach((s, n) => (n === 0 ? g.moveTo(...at(s)) : g.lineTo(...at(s))));
    g.stroke();
    for (const [s, colour] of [[path[0]!, '#fff'], [path[k]!, '#e11d48']] as const) {
      g.fillStyle = colour;
      g.strokeStyle = '#111';
      g.beginPath(); g.arc(...at(s), 4.5, 0, 2 * Math.PI); g.fill(); g.stroke();
    }
  }

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

  async function startAt(start: [number, number]): Promise<void> {
    pause();
    const reply = await engine.call<MountainReply>({ kind: 'mountain', spec, start, grid: GRID });
    heights = reply.surface;
    const logs = heights.map((v) => Math.log1p(Math.max(0, v))).filter(Number.isFinite);
    hMin = Math.min(...logs);
    hMax = Math.max(...logs);
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
    return [lo.x + ((e.clientX - r.left) / r.width) * span.x, lo.y + (1 - (e.clientY - r.top) / r.height) * span.y];
  };
  const startSoon = latestOnly(startAt);
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
        const x = lo.x + (span.x * i) / (GRID - 1);
        const y = lo.y + (span.y * j) / (GRID - 1);
        const [sx, sy] = project(x, y, height(heights[j * GRID + i]!));
        const d = (sx - cx) ** 2 + (sy - cy) ** 2;
        if (d < bestD) [bestD, best] = [d, [x, y]];
      }
    }
    void startAt(best);
  });
  void startAt([spec.start[0], spec.start[1]]);
}

export function liveMountains(engine: Engine): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure.dh-mountain[hidden]')) liveMountain(engine, figure);
}
