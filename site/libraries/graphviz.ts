// Graphviz (viz-js) for the engine worker, loaded with its first picture (see site/libraries.ts).
export * as viz from '@viz-js/viz';
