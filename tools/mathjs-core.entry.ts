/**
 * The mathjs that downhill loads: `npm run build` bundles this module with
 * everything it imports into one file, src/expr/mathjs-core.cjs
 * (tools/build-mathjs.ts), which src/expr/mathjs-bundle.ts loads.
 *
 * It is mathjs's own default instance (every function, the default
 * configuration) without units. Units are used only when mathjs evaluates
 * or typesets a symbol that names one (`cm`), which downhill never does;
 * creating them is most of the time mathjs takes to make `parse` (every
 * SymbolNode asks for them), so without them a command starts sooner.
 * `parse`, `derivative` and `simplify` give the same trees.
 */
import {
  all, create,
  addDependencies, subtractDependencies, multiplyDependencies, divideDependencies,
  powDependencies, unaryMinusDependencies, unaryPlusDependencies, compileDependencies,
  type FactoryFunctionMap,
} from 'mathjs';

const unitFactories = new Set(['createUnitClass', 'createUnitFunction', 'createCreateUnit']);

const factories: Record<string, FactoryFunctionMap[string]> = {};
for (const [name, factory] of Object.entries(all as FactoryFunctionMap)) {
  const dependencies = (factory as { dependencies?: readonly string[] }).dependencies ?? [];
  // Physical constants (speedOfLight, ...) are units, too.
  if (!unitFactories.has(name) && !dependencies.includes('Unit')) factories[name] = factory;
}

/** mathjs's default instance, without units. */
export const math = create(factories);

export {
  create,
  addDependencies, subtractDependencies, multiplyDependencies, divideDependencies,
  powDependencies, unaryMinusDependencies, unaryPlusDependencies, compileDependencies,
};
