/**
 * mathjs, loaded from its single-file build.
 *
 * It is the same mathjs (same version, same code) as `import ... from
 * 'mathjs'`, but one file instead of about 1,500 ES modules: node loads it
 * in about 0.1 s instead of 2 s (mathjs-bundle.ts loads it). Every
 * downhill module takes mathjs from here, so that the node classes
 * (`instanceof ConstantNode`) are the same classes everywhere.
 *
 *   import { parse, derivative } from './mathjs-lib.ts'
 */
import type * as MathJs from 'mathjs';
import { mathjsBundle } from './mathjs-bundle.ts';

/** The default mathjs instance. */
export const math = mathjsBundle as typeof MathJs;

export const {
  parse, derivative, create, version,
  ConstantNode, FunctionNode, OperatorNode, ParenthesisNode, SymbolNode,
  addDependencies, subtractDependencies, multiplyDependencies, divideDependencies,
  powDependencies, unaryMinusDependencies, unaryPlusDependencies, compileDependencies,
} = math;

export type { MathNode, FactoryFunctionMap, EvalFunction, FunctionNode as MathJsFunctionNode } from 'mathjs';
