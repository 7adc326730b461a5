// Types of mathjs-core.cjs, the file tools/build-mathjs.ts generates (npm run build)
// from tools/mathjs-core.entry.ts. Untyped here: mathjs-lib.ts gives them mathjs's types.
export declare const math: unknown;
export declare const create: unknown;
export declare const addDependencies: unknown;
export declare const subtractDependencies: unknown;
export declare const multiplyDependencies: unknown;
export declare const divideDependencies: unknown;
export declare const powDependencies: unknown;
export declare const unaryMinusDependencies: unknown;
export declare const unaryPlusDependencies: unknown;
export declare const compileDependencies: unknown;
