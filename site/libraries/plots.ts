// vega and vega-lite for the engine worker, loaded with its first plot (see site/libraries.ts).
export * as vega from 'vega';
export * as vegaLite from 'vega-lite';
