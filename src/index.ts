/**
 * downhill: exact derivatives behind every step of training a neural network.
 *
 *   import { parseExpression, derivative, gradient, compileGradient } from 'downhill'
 *
 * The public API, grouped by stage in the order the data flows. It holds
 * what a lesson author, a student and an engineer checking a gradient use
 * (docs/architecture.md, "What is public"); the option and result types of
 * these functions come with them (TypeScript infers them). Everything else
 * in src/ is internal and may change.
 */
export { DownhillError } from './errors.ts';

// 1. Expressions: build, parse, walk, print, evaluate
export {
  type Node, constant, sym, add, sub, mul, div, pow, neg, call, sum,
  children, mapNodes, substitute, symbolsOf, nodeCount,
} from './expr/node.ts';
export { parseExpression } from './expr/parse.ts';
export { parseProgram, type Program } from './expr/program.ts';
export { toText, toTex, symbolTex } from './expr/print.ts';
export { formatNumber, proseNumber, texNumber } from './expr/number.ts';
export { article, counted } from './expr/words.ts';
export { evaluate } from './expr/evaluate.ts';

// 2. Derivatives: exact (reverse mode, closed forms), numeric (finite differences), compiled
export { gradient, type Gradient } from './diff/gradient.ts';
export { derivative, derivativesOf, type Derivative } from './diff/derivative.ts';
export { programGradient, programGradientAt, type ProgramGradient } from './diff/program.ts';
export { forwardDifference, centralDifference, fourthOrderDifference, bestSteps } from './diff/finite-difference.ts';
export { compileGradient, type CompiledGradient } from './compile/compile.ts';

// 3. Networks, losses, data
export { denseNetwork, type LayerSpec } from './nn/dense.ts';
export { network, namedValues } from './nn/network.ts';
export {
  squaredError, halfSquaredError, absoluteError, huberLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  softmaxCrossEntropy, hinge, meanSquaredError, meanAbsoluteError, meanOf,
} from './nn/losses.ts';
export { networkLoss, type Model } from './nn/network-loss.ts';
export { loadModel, layeredReferences } from './nn/load.ts';
export { parseLayeredSpec, type LayeredSpec, type Block as LayerBlock } from './nn/spec.ts';
export { layeredModel, layeredNetwork, type LayeredModel } from './nn/layered.ts';
export { initParams } from './nn/init.ts';
export { packBatch, mainExample, xor, dataset, datasetNames, type Dataset } from './nn/datasets.ts';
export { mulberry32, uniform, normal } from './nn/random.ts';
export { loadDigits, DIGIT_PIXELS } from './nn/digits.ts';
export { checkConvolutionTrainingWork, CONVOLUTION_LESSON_SPEC } from './limits.ts';

// 4. Training: optimizers, the descent loop, epochs of minibatches, what a run did
export { gd, momentum, adam, updateRule, describeOptimizer, type Optimizer } from './train/optimizers.ts';
export { train, stopMessage, type TrainOptions, type TrainResult, type StepRecord } from './train/train.ts';
export { sgdEpoch } from './train/epoch.ts';
export { continuation, diagnose, verdictLabel, type Continuation, type Diagnosis, type UnitState } from './train/diagnose.ts';

// 5. Checks: exact against finite-difference gradients
export { checkGradient, type GradientCheck } from './check/gradient-check.ts';
export { checkClaim } from './check/claim.ts';
export { stepSweep } from './check/sweep.ts';
export { checkModel, type ModelCheck } from './check/model-check.ts';
export { checkUserGradient, checkModelGradient, type UserGradient } from './check/user-gradient.ts';
export { pytorchExport, type PyTorchExport } from './export/pytorch.ts';

// 6. Pictures and plots
export { computationalGraph, computationalGraphSvg, computationalGraphOutline } from './pictures/computational.ts';
export { networkDiagram, networkDiagramSvg, networkDiagramOutline } from './pictures/network.ts';
export { stepThroughHtml } from './pictures/steps.ts';
export { linePlot, scatterPlot, contourPlot, type Series } from './render/plot.ts';
export { surfacePlot } from './render/surface.ts';
export { mountainHtml } from './render/mountain.ts';
export { greyToRgb, divergingRgb, imageGridSvg, countMatrixSvg } from './render/pixels.ts';
export { texToHtml } from './render/katex.ts';

// 7. Lessons: define one, write its document, read the document back (to test it)
export { defineLesson, type Lesson } from './lesson/lesson.ts';
export type { LessonSettings } from './lesson/settings.ts';
export { createDoc, type LessonDoc } from './lesson/doc.ts';
export { tablesOf, proseOf, type Document, type Block } from './render/document.ts';
// Practice sets: exercises graded by the engine (a sibling of defineLesson), and the checker itself
export { definePractice, itemsOf, promptText, answerText, gradeAnswer, prepareItem, type PracticeSet, type PracticeItem, type Variant, type Verdict } from './practice/practice.ts';

// 8. The matrix-level engine: layers as matrices, the gradient as a matrix graph, compiled loops
export { type MNode, matmul, transpose, shapeText } from './matrix/node.ts';
export { matrixRules } from './matrix/rules.ts';
export { matrixGradient } from './matrix/gradient.ts';
export { matrixNetwork } from './matrix/network.ts';
export { compileMatrixGradient, compileMatrixValues } from './matrix/compile.ts';
export { backpropEquations, forwardEquations } from './matrix/equations.ts';
export { compileNetwork } from './matrix/path.ts';
export {
  conv, convk, convx, convGeometry, pool, poolGeometry, maxroute, avgspread, bmm, msoftmax, mreshape, tokensum, tokenspread, mcausal,
  type ConvGeometry, type PoolGeometry,
} from './matrix/node.ts';
export { layeredMatrixNetwork, compileLayered, layeredEquations, type LayeredMatrixNetwork } from './matrix/layered.ts';
