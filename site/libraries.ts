/**
 * The engine's two heavy libraries, kept out of engine.js: vega and vega-lite
 * draw plots, Graphviz (viz-js) lays out pictures; ~3 MB that only plots and
 * pictures need. `npm run site` bundles each group into a classic script
 * beside the pages (`plots.js`, `graphviz.js`, entries in site/libraries/),
 * rewrites the engine's `import('vega')` etc. into `downhillLibrary('vega')`,
 * and the worker asks the page for a group the first time it needs it.
 */
export const LIBRARY_GROUPS = {
  plots: { vega: 'vega', 'vega-lite': 'vegaLite' },
  graphviz: { '@viz-js/viz': 'viz' },
  // Not a library: the digits file, in base64, for the lessons that train on the digits (site/digits-data.ts).
  digits: { './libraries/digits-file.ts': 'digitsFile' },
} as const;

export type LibraryGroup = keyof typeof LIBRARY_GROUPS;

/** The group a module belongs to, and its export in the group's bundle; undefined for any other module. */
export function libraryOf(module: string): { readonly group: LibraryGroup; readonly name: string } | undefined {
  for (const [group, modules] of Object.entries(LIBRARY_GROUPS) as [LibraryGroup, Record<string, string>][]) {
    const name = modules[module];
    if (name !== undefined) return { group, name };
  }
  return undefined;
}

/** The global a group's bundle defines when it runs, and the global its script file sets on the page (its source, as a string). */
export const libraryGlobal = (group: LibraryGroup): string => `downhill_${group}`;
export const LIBRARY_SOURCES = 'DOWNHILL_LIBRARIES';
