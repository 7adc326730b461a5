/**
 * downhill: exact derivatives behind every step of training a neural network.
 *
 *   import { parseExpression, derivative, gradient, compileGradient } from 'downhill'
 *
 * The public API, by stage: expressions, derivatives, compiled gradients,
 * networks and training, checks, pictures, lessons and docs. Everything else
 * in src/ is internal and may change.
 */
export { DownhillError } from './errors.ts';

// Expressions: graphs, parsing, printing, evaluation
export {
  type Node, type Kind, type Operand, constant, sym, add, sub, mul, div, pow, neg, call, sum,
  topoOrder, nodeCount, symbolsOf, substitute, mapNodes, children,
} from './expr/node.ts';
export { parseExpression, MAX_EXPRESSION_LENGTH, MAX_NESTING } from './expr/parse.ts';
export { parseProgram, isProgram, evaluateProgram, type Program, type Step } from './expr/program.ts';
export { toText, toTex, symbolTex, type PrintOptions } from './expr/print.ts';
export { formatNumber, texNumber } from './expr/number.ts';
export { tidy } from './expr/tidy.ts';
export { evaluate, evaluateAll, evaluateFinite, type Values } from './expr/evaluate.ts';
export { toMathjs, fromMathjs, mathjsEvaluator } from './expr/mathjs.ts';
export { functionTable, functionRule, type FunctionRule, type Family } from './expr/functions.ts';

// Derivatives and compiled gradients
export { gradient, type Gradient, type TraceEntry } from './diff/gradient.ts';
export { derivative, derivativesOf, type Derivative } from './diff/derivative.ts';
export { forwardDifference, centralDifference, fourthOrderDifference, bestSteps } from './diff/finite-difference.ts';
export { programGradient, programGradientAt, adjointSymbol, programSymbolTex, type ProgramGradient, type NamedAdjoint } from './diff/program.ts';
export { compileGradient, type CompiledGradient, type CompileOptions } from './compile/compile.ts';

// Networks, losses, data
export { denseNetwork, activate, layerOffsets, type LayerSpec, type Activation, type DenseNetwork, type Naming } from './nn/dense.ts';
export { network, networkLayers, namedValues, type NetworkOptions } from './nn/network.ts';
export {
  squaredError, halfSquaredError, absoluteError, huberLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  softmaxCrossEntropy, hinge, meanSquaredError, meanAbsoluteError, meanOf,
} from './nn/losses.ts';
export { modelLoss, networkLoss, referenceBatch, type LossName, type NetworkLoss, type Model } from './nn/network-loss.ts';
export { loadModel, sampleValues, type LoadOptions } from './nn/load.ts';
export { initParams, type InitMethod, type InitOptions } from './nn/init.ts';
export { packBatch, mainExample, xor, noisyRegression, moons, referenceData, dataset, datasetNames, type Dataset } from './nn/datasets.ts';
export { referenceModel, referenceIds, type ReferenceModel, type ReferenceId, type LossKind } from './nn/reference.ts';
export { parseNetworkSpec, specModel, type NetworkSpec, type SpecLoss, type SpecModel } from './nn/spec.ts';
export { mulberry32, uniform, normal, glorotUniform } from './nn/random.ts';

// Training
export { gd, momentum, adam, updateRule, describeOptimizer, type Optimizer, type GradientDescent, type Momentum, type Adam } from './train/optimizers.ts';
export { train, stopMessage, assertConverged, type TrainOptions, type TrainResult, type StepRecord, type StopReason } from './train/train.ts';
export { diagnose, verdictLabel, type Diagnosis, type DiagnoseOptions, type RunKind, type UnitState } from './train/diagnose.ts';

// Symbolic against numeric gradients
export { checkGradient, type CheckOptions, type GradientCheck, type VariableCheck, type Method, type Precision, type Status } from './check/gradient-check.ts';
export { checkClaim, type ClaimOptions, type ClaimResult, type ClaimCheck, type ClaimPoint } from './check/claim.ts';
export { stepSweep, type StepSweep, type SweepRow, type SweepOptions } from './check/sweep.ts';
export { checkModel, type CheckableModel, type ModelCheck, type ModelCheckOptions, type ModelRecord } from './check/model-check.ts';
export { checkUserGradient, checkModelGradient, type UserGradient, type UserGradientCheck, type UserRecord } from './check/user-gradient.ts';
export { checkDocument, checkReportHtml, type CheckReport } from './check/document.ts';

// Pictures
export { computationalGraphSvg, computationalGraphOutline, computationalGraph, type ComputationalGraphOptions } from './pictures/computational.ts';
export { networkDiagramSvg, networkDiagramOutline, networkDiagram, type NetworkDiagramOptions } from './pictures/network.ts';
export { stepThroughHtml, type StepThroughOptions } from './pictures/steps.ts';
export { mountainHtml, type MountainSpec, type MountainData } from './render/mountain.ts';
export { linePlot, scatterPlot, contourPlot, type Point, type Series, type Category, type Background } from './render/plot.ts';
export { surfacePlot, type SurfaceOptions, type SurfacePath } from './render/surface.ts';
export { texToUnicode } from './render/unicode.ts';
export { texToHtml, type TexOptions } from './render/katex.ts';

// Lessons and the formula reference
export { defineLesson, type Lesson, type LessonInfo, type LessonSettings, type LessonFlag } from './lesson/lesson.ts';
export { createDoc, type LessonDoc } from './lesson/doc.ts';
export { documentJson, normalizeTex, tablesOf, proseOf, type Document, type Block, type Section as DocumentSection, type Cell } from './render/document.ts';
export { documentText } from './render/terminal.ts';
export { documentHtml } from './render/html.ts';
export { documentMarkdown } from './render/markdown.ts';
export { lessonDocument } from './lesson/run.ts';
export { buildFormulaDocs, writeFormulaDocs, type FormulaDocs, type FormulaDocsOptions } from './docs/generate.ts';

// The matrix-level engine: layers as matrices, the gradient as a matrix graph, compiled loops
export { matmul, transpose, madd, msub, hadamard, mscale, broadcast, msum, lse, mmap, mparam, mdata, mfill, mtopo, shapeText, type MNode, type Shape, type Dim } from './matrix/node.ts';
export { matrixRules, type MatrixRule } from './matrix/rules.ts';
export { matrixGradient, type MatrixGradient } from './matrix/gradient.ts';
export { matrixNetwork, parameterNames, type MatrixNetwork } from './matrix/network.ts';
export { compileMatrixGradient, type MatrixCompiled } from './matrix/compile.ts';
export { backpropEquations, printMatrix, type BackpropEquation } from './matrix/equations.ts';
export { compileNetwork, engineFor, MATRIX_ENGINE_FROM, type Engine } from './matrix/path.ts';
export { compileMatrixValues } from './matrix/compile.ts';
export { forwardEquations } from './matrix/equations.ts';
export { loadDigits, DIGIT_PIXELS, DIGIT_CLASSES, type Digits, type DigitSet } from './nn/digits.ts';
export { pngDataUri, greyToRgb, divergingRgb, imageGridSvg, countMatrixSvg, type GridImage } from './render/pixels.ts';
export { sgdEpoch, type EpochOptions, type EpochResult } from './train/epoch.ts';
