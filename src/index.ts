/**
 * downhill: exact derivatives behind every step of training a neural network.
 *
 *   import { parseExpression, derivative, gradient, compileGradient } from 'downhill'
 */
export { DownhillError } from './errors.ts';
export {
  type Node, type Kind, type Operand, constant, sym, add, sub, mul, div, pow, neg, call, sum,
  topoOrder, nodeCount, symbolsOf, substitute, mapNodes, children,
} from './expr/node.ts';
export { parseExpression, MAX_EXPRESSION_LENGTH, MAX_NESTING } from './expr/parse.ts';
export { toText, toTex, symbolTex, formatNumber, type PrintOptions } from './expr/print.ts';
export { tidy } from './expr/tidy.ts';
export { evaluate, evaluateAll, evaluateFinite, type Values } from './expr/evaluate.ts';
export { toMathjs, fromMathjs, mathjsEvaluator } from './expr/mathjs.ts';
export { functionTable, functionRule, type FunctionRule, type Family } from './primitives.ts';
export { localDerivative, templateDerivative } from './diff/local.ts';
export { gradient, type Gradient, type TraceEntry } from './diff/gradient.ts';
export { derivative, type Derivative } from './diff/derivative.ts';
export { compileGradient, packBatch, assertSafeSource, type CompiledGradient, type CompileOptions } from './compile/compile.ts';
export { parseNetworkSpec, specModel, type NetworkSpec, type SpecLoss, type SpecModel } from './nn/spec.ts';
export { denseNetwork, activate, type LayerSpec, type Activation, type DenseNetwork, type Naming } from './nn/dense.ts';
export { squaredError, halfSquaredError, absoluteError, huberLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, softmaxCrossEntropy, hinge } from './nn/losses.ts';
export { mulberry32, uniform, normal, glorotUniform } from './nn/random.ts';
export { linePlot, scatterPlot, contourPlot, type Point, type Series, type Category, type Background } from './render/plot.ts';
export { texToUnicode } from './render/unicode.ts';
export { defineLesson, type Lesson, type LessonInfo, type LessonSettings, type LessonFlag } from './lesson/lesson.ts';
export { createDoc, type LessonDoc } from './lesson/doc.ts';
export { gd, momentum, adam, createStepper, updateRule, describeOptimizer, type Optimizer, type GradientDescent, type Momentum, type Adam, type Stepper } from './train/optimizers.ts';
export { train, stopMessage, assertConverged, type TrainOptions, type TrainResult, type StepRecord, type StopReason } from './train/train.ts';
export { network, networkLayers, namedValues, type NetworkOptions } from './nn/network.ts';
export { initParams, type InitMethod, type InitOptions } from './nn/init.ts';
export { mainExample, xor, noisyRegression, moons, referenceData, dataset, datasetNames, type Dataset } from './nn/datasets.ts';
export { meanSquaredError, meanAbsoluteError } from './nn/losses.ts';
export { modelLoss, networkLoss, type LossName, type NetworkLoss } from './nn/model.ts';
export { buildFormulaDocs, writeFormulaDocs, defaultPageSpecs, type FormulaDocs, type FormulaDocsOptions, type PageSpec, type DocItem, type DocFile } from './docs/generate.ts';
export { checkDerivatives, samplePoints, seedOf, FormulaCheckError, type Domain, type CheckResult } from './docs/check.ts';
export { documentFormula, functionSpecs, lossSpecs, type FormulaSpec } from './docs/functions.ts';
export { documentLayer, layerExamples, networkSpec, type LayerExample } from './docs/layers.ts';
export { githubTex } from './docs/markdown.ts';
export {
  computationalGraph, computationalGraphSvg, computationalGraphSvgOf, computationalGraphDot, computationalGraphOutline, layerGroups, MAX_GRAPH_NODES,
  type ComputationalGraph, type ComputationalGraphOptions, type GraphBox, type GraphArrow, type GraphNodeKind, type NodeGroup,
} from './graph/computational.ts';
export {
  networkDiagram, networkDiagramSvg, networkDiagramDot, networkDiagramOutline, MAX_DIAGRAM_NEURONS, MAX_DIAGRAM_EDGES,
  type NetworkDiagram, type NetworkDiagramOptions, type DiagramLayer,
} from './graph/network.ts';
export { stepThroughHtml, STEP_THROUGH_SCRIPT, type StepThroughOptions } from './graph/steps.ts';
export { renderDot } from './graph/render.ts';
export { unicodeName } from './graph/labels.ts';
export { checkGradient, compare, type CheckOptions, type GradientCheck, type VariableCheck, type Method, type Precision, type Status } from './check/gradient-check.ts';
export { checkClaim, parseClaims, type ClaimOptions, type ClaimResult, type ClaimCheck, type ClaimPoint } from './check/claim.ts';
export { stepSweep, SWEEP_STEPS, type StepSweep, type SweepRow, type SweepOptions } from './check/sweep.ts';
export { checkModel, loadModel, type CheckableModel, type ModelCheck, type ModelCheckOptions, type ModelRecord } from './check/model.ts';
export { checkUserGradient, checkModelGradient, type UserGradient, type UserGradientCheck, type UserRecord } from './check/user-gradient.ts';
export { kinksNear, type KinkWarning } from './check/kinks.ts';
export { float32Evaluator, float32BatchLoss } from './check/float32.ts';
export { asciiPlot, type AsciiSeries, type AsciiPlotOptions } from './check/ascii-plot.ts';
export { formatGradientCheck, formatClaim, formatSweep, formatModelCheck } from './check/format.ts';
export { checkReportHtml, type CheckReport } from './check/report.ts';
