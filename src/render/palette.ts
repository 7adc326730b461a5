/**
 * The site's colours: one colour per role, the same in the text (the page's
 * style sheet), the graphs (pictures/) and the plots (plot.ts, surface.ts).
 * Built on Okabe and Ito's palette, which stays distinguishable with the
 * common colour-vision deficiencies (deuteranopia, protanopia, tritanopia).
 *
 * | role     | colour               | where                                          |
 * |----------|----------------------|------------------------------------------------|
 * | param    | blue      #0072B2    | parameter boxes, descent paths (where the parameters go) |
 * | data     | green     #009E73    | data boxes (inputs and targets)                |
 * | grad     | vermilion #D55E00    | ∂L/∂… in graphs, the step-through's backward pass |
 * | loss     | purple    #CC79A7    | the loss box, a plot's first (loss) curve      |
 *
 * Each role has a strong colour (lines, swatches), a text colour (≥ 4.5:1 on
 * white, for words), a tint (box fills) and a dark-scheme text colour.
 *
 *   ROLE.grad.strong   // '#D55E00'
 */
export type Role = 'param' | 'data' | 'grad' | 'loss';

export interface RoleColours {
  /** Lines, swatches and marks. */
  readonly strong: string;
  /** Words on a white page (contrast ≥ 4.5:1). */
  readonly text: string;
  /** Fills of boxes that hold text. */
  readonly tint: string;
  /** Words on the dark scheme's page. */
  readonly dark: string;
}

export const ROLE: Readonly<Record<Role, RoleColours>> = {
  param: { strong: '#0072B2', text: '#0067A3', tint: '#d7e9f5', dark: '#6cc0ee' },
  data: { strong: '#009E73', text: '#00765A', tint: '#d5efe6', dark: '#48cfa4' },
  grad: { strong: '#D55E00', text: '#B04D00', tint: '#f8e0cf', dark: '#f59a5c' },
  loss: { strong: '#CC79A7', text: '#A13F77', tint: '#f4e1ec', dark: '#e8a2c9' },
};

/**
 * Colours of a plot's series, in order: the loss first (a plot's first curve
 * is its loss in every lesson), then the rest of Okabe and Ito's palette.
 */
export const SERIES_COLOURS: readonly string[] = [ROLE.loss.strong, ROLE.param.strong, ROLE.grad.strong, ROLE.data.strong, '#E69F00', '#56B4E9', '#000000'];

/**
 * Colours of descent paths drawn on a 3-D surface (viridis: dark purple to
 * yellow): each is drawn over a dark halo, in the legend as well, so it shows
 * on the map's dark and light ends and on a white page. None is white, green
 * or yellow, and all are light enough to stand out from the halo.
 */
export const SURFACE_PATH_COLOURS: readonly string[] = ['#D55E00', '#56B4E9', '#CC79A7', '#E69F00'];

/**
 * Colours of descent paths on a contour map (no halo): vermilion, black,
 * orange, purple, sky blue; no green or yellow, which vanish into viridis.
 */
export const CONTOUR_PATH_COLOURS: readonly string[] = ['#D55E00', '#000000', '#E69F00', '#CC79A7', '#56B4E9', '#0072B2'];

/** The ink of the plots' and graphs' lines and words (not a role). */
export const INK = { text: '#1d1d1f', muted: '#5f6368', line: '#475569' } as const;

/** CSS custom properties for the roles: `--param`, `--param-tint`, … with their dark-scheme values. */
export function roleCss(): { light: string; dark: string } {
  const roles = Object.entries(ROLE) as [Role, RoleColours][];
  return {
    light: roles.map(([r, c]) => `--${r}: ${c.text}; --${r}-strong: ${c.strong}; --${r}-tint: ${c.tint};`).join(' '),
    dark: roles.map(([r, c]) => `--${r}: ${c.dark}; --${r}-strong: ${c.strong};`).join(' '),
  };
}

/** Heights, low to high: viridis's dark purple, blue, teal, green, yellow (the contour maps' scale; colour-blind safe). */
const HEIGHT_STOPS: readonly (readonly [number, number, number])[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/**
 * The colour of a height t in [0, 1] (clamped), as [r, g, b] in 0–255.
 *
 *   heightRgb(0)   // [68, 1, 84]
 */
export function heightRgb(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isNaN(t) ? 1 : t)) * (HEIGHT_STOPS.length - 1);
  const i = Math.min(HEIGHT_STOPS.length - 2, Math.floor(u));
  const a = HEIGHT_STOPS[i]!;
  const b = HEIGHT_STOPS[i + 1]!;
  const mix = (k: number): number => Math.round(a[k]! + (b[k]! - a[k]!) * (u - i));
  return [mix(0), mix(1), mix(2)];
}

/**
 * vega's viridis (vega-scale's palettes.js: 33 colours, read as a ramp), the
 * contour maps' colour scale: the map's raster (plot.ts) and vega's legend
 * gradient take their colours from the same ramp.
 */
const VIRIDIS = '440154470e61481a6c482575472f7d443a834144873d4e8a39568c35608d31688e2d708e2a788e27818e23888e21918d1f988b1fa08822a8842ab07f35b77943bf7154c56866cc5d7ad1518fd744a5db36bcdf27d2e21be9e51afde725';
export const VIRIDIS_COLOURS: readonly string[] = Array.from({ length: VIRIDIS.length / 6 }, (_, k) => `#${VIRIDIS.slice(6 * k, 6 * k + 6)}`);

/**
 * The colour at t in [0, 1] (clamped) of a ramp through `stops`, evenly
 * spaced, mixed linearly in RGB and rounded, as [r, g, b] in 0–255: what
 * vega draws for a scheme or a colour range with `interpolate: 'rgb'`
 * (d3's piecewise interpolateRgb):
 *   with n = stops.length − 1 and i = ⌊t·n⌋ (at most n − 1): round(sᵢ + (t·n − i)·(sᵢ₊₁ − sᵢ)).
 *
 *   rampRgb(['#000000', '#ffffff'], 0.5)   // [128, 128, 128]
 */
export function rampRgb(stops: readonly string[], t: number): [number, number, number] {
  const n = stops.length - 1;
  const u = Math.min(1, Math.max(0, t)) * n;
  const i = Math.max(0, Math.min(n - 1, Math.floor(u)));
  const a = stops[i]!;
  const b = stops[i + 1] ?? a;
  const channel = (k: number): number => {
    const from = parseInt(a.slice(1 + 2 * k, 3 + 2 * k), 16);
    const to = parseInt(b.slice(1 + 2 * k, 3 + 2 * k), 16);
    return Math.max(0, Math.min(255, Math.round(from + (u - i) * (to - from))));
  };
  return [channel(0), channel(1), channel(2)];
}
