/**
 * downhill: exact derivatives behind every step of training a neural network.
 *
 *   import { parseExpression, derivative, gradient, compileGradient } from 'downhill'
 *
 * The main door, for learners and lesson authors: what the lessons and their
 * practice sets, the README, docs/authoring.md, the `downhill new` templates
 * and the live site (site/) use, and nothing else.
 * Those who extend the engine or check it part by part have a second door,
 * 'downhill/engine' (src/engine.ts). docs/architecture.md ("What is public")
 * groups both by reader. Everything else in src/ is internal and may change.
 *
 * One name a line, sorted (case ignored): add a name where it sorts.
 */
export { absoluteError } from './nn/losses.ts';
export { adam } from './train/optimizers.ts';
export { add } from './expr/node.ts';
export { answerText } from './practice/practice.ts';
export { article } from './expr/words.ts';
export { backpropEquations } from './matrix/equations.ts';
export { binaryCrossEntropy } from './nn/losses.ts';
export { binaryCrossEntropyWithLogits } from './nn/losses.ts';
export type { Block } from './render/document.ts';
export { call } from './expr/node.ts';
export { checkAttentionTrainingWork } from './limits.ts';
export { checkConvolutionTrainingWork } from './limits.ts';
export { children } from './expr/node.ts';
export { compileGradient } from './compile/compile.ts';
export { compileLayered } from './matrix/layered.ts';
export { compileMatrixGradient } from './matrix/compile.ts';
export { compileMatrixValues } from './matrix/compile.ts';
export { continuation } from './train/diagnose.ts';
export { contourPlot } from './render/plot.ts';
export { CONVOLUTION_LESSON_SPEC } from './limits.ts';
export { counted } from './expr/words.ts';
export { countMatrixSvg } from './render/pixels.ts';
export { createDoc } from './lesson/doc.ts';
export { createStepper } from './train/optimizers.ts';
export { defineLesson } from './lesson/lesson.ts';
export { definePractice } from './practice/practice.ts';
export { denseNetwork } from './nn/dense.ts';
export { derivative } from './diff/derivative.ts';
export { describeOptimizer } from './train/optimizers.ts';
export { diagnose } from './train/diagnose.ts';
export { DIGIT_PIXELS } from './nn/digits.ts';
export { div } from './expr/node.ts';
export { divergingRgb } from './render/pixels.ts';
export type { Document } from './render/document.ts';
export { DownhillError } from './errors.ts';
export { evaluate } from './expr/evaluate.ts';
export { formatNumber } from './expr/number.ts';
export { forwardEquations } from './matrix/equations.ts';
export { gd } from './train/optimizers.ts';
export { gradeAnswer } from './practice/practice.ts';
export type { Gradient } from './diff/gradient.ts';
export { gradient } from './diff/gradient.ts';
export { greyToRgb } from './render/pixels.ts';
export { huberLoss } from './nn/losses.ts';
export { imageGridSvg } from './render/pixels.ts';
export { initParams } from './nn/init.ts';
export { itemsOf } from './practice/practice.ts';
export { layeredEquations } from './matrix/layered.ts';
export { layeredMatrixNetwork } from './matrix/layered.ts';
export type { LayerSpec } from './nn/dense.ts';
export type { Lesson } from './lesson/lesson.ts';
export type { LessonDoc } from './lesson/doc.ts';
export { linePlot } from './render/plot.ts';
export { loadDigits } from './nn/digits.ts';
export { mainExample } from './nn/datasets.ts';
export { mapNodes } from './expr/node.ts';
export { matrixNetwork } from './matrix/network.ts';
export { matrixRules } from './matrix/rules.ts';
export type { MNode } from './matrix/node.ts';
export { momentum } from './train/optimizers.ts';
export { mreshape } from './matrix/node.ts';
export { mul } from './expr/node.ts';
export { mulberry32 } from './nn/random.ts';
export { namedValues } from './nn/network.ts';
export { network } from './nn/network.ts';
export { networkDiagramSvg } from './pictures/network.ts';
export type { Node } from './expr/node.ts';
export { nodeCount } from './expr/node.ts';
export { normal } from './nn/random.ts';
export type { Optimizer } from './train/optimizers.ts';
export { packBatch } from './nn/datasets.ts';
export { parseExpression } from './expr/parse.ts';
export { parseLayeredSpec } from './nn/spec.ts';
export { parseProgram } from './expr/program.ts';
export { pow } from './expr/node.ts';
export type { PracticeItem } from './practice/practice.ts';
export type { PracticeSet } from './practice/practice.ts';
export { prepareItem } from './practice/practice.ts';
export { promptText } from './practice/practice.ts';
export { proseNumber } from './expr/number.ts';
export { proseOf } from './render/document.ts';
export { pytorchExport } from './export/pytorch.ts';
export { scatterPlot } from './render/plot.ts';
export type { Series } from './render/plot.ts';
export { sgdEpoch } from './train/epoch.ts';
export { shapeText } from './matrix/node.ts';
export { squaredError } from './nn/losses.ts';
export { stepSweep } from './check/sweep.ts';
export { stepThroughHtml } from './pictures/steps.ts';
export { stopMessage } from './train/train.ts';
export { sub } from './expr/node.ts';
export { substitute } from './expr/node.ts';
export { sum } from './expr/node.ts';
export { surfacePlot } from './render/surface.ts';
export { sym } from './expr/node.ts';
export { symbolTex } from './expr/print.ts';
export { tablesOf } from './render/document.ts';
export { texNumber } from './expr/number.ts';
export { texToHtml } from './render/katex.ts';
export { toTex } from './expr/print.ts';
export { toText } from './expr/print.ts';
export { train } from './train/train.ts';
export { trainOn } from './train/train.ts';
export type { TrainOptions } from './train/train.ts';
export type { TrainResult } from './train/train.ts';
export { uniform } from './nn/random.ts';
export type { UnitState } from './train/diagnose.ts';
export { updateRule } from './train/optimizers.ts';
export { verdictLabel } from './train/diagnose.ts';
export { xor } from './nn/datasets.ts';
