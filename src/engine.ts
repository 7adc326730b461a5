/**
 * downhill/engine: the second door, for those who extend the engine or check
 * it part by part: finite differences, program gradients, the checks one by
 * one, `downhill grad`'s report (readGradText, gradReport, and its Document
 * and JSON), models and their losses, the matrix-level engine's compiler,
 * the pictures' graphs and outlines.
 *
 *   import { centralDifference, checkModel, loadModel } from 'downhill/engine'
 *
 * The main door is 'downhill' (src/index.ts). One name a line, sorted (case
 * ignored): add a name where it sorts.
 */
export { avgspread } from './matrix/node.ts';
export { bestSteps } from './diff/finite-difference.ts';
export { bmm } from './matrix/node.ts';
export { centralDifference } from './diff/finite-difference.ts';
export { checkClaim } from './check/claim.ts';
export { checkGradient } from './check/gradient-check.ts';
export { checkModel } from './check/model-check.ts';
export { checkModelGradient } from './check/user-gradient.ts';
export { checkUserGradient } from './check/user-gradient.ts';
export type { CompiledGradient } from './compile/compile.ts';
export { compileNetwork } from './matrix/path.ts';
export { computationalGraph } from './pictures/computational.ts';
export { computationalGraphOutline } from './pictures/computational.ts';
export { computationalGraphSvg } from './pictures/computational.ts';
export { constant } from './expr/node.ts';
export type { Continuation } from './train/diagnose.ts';
export { conv } from './matrix/node.ts';
export { convGeometry } from './matrix/node.ts';
export type { ConvGeometry } from './matrix/node.ts';
export { convk } from './matrix/node.ts';
export { convx } from './matrix/node.ts';
export type { Dataset } from './nn/datasets.ts';
export { dataset } from './nn/datasets.ts';
export { datasetNames } from './nn/datasets.ts';
export type { Derivative } from './diff/derivative.ts';
export { derivativesOf } from './diff/derivative.ts';
export type { Diagnosis } from './train/diagnose.ts';
export { forwardDifference } from './diff/finite-difference.ts';
export { fourthOrderDifference } from './diff/finite-difference.ts';
export { gradDocument } from './check/grad-report.ts';
export type { GradientCheck } from './check/gradient-check.ts';
export { gradJson } from './check/grad-report.ts';
export { gradReport } from './check/grad-report.ts';
export type { GradReport } from './check/grad-report.ts';
export type { GradText } from './check/grad-report.ts';
export { halfSquaredError } from './nn/losses.ts';
export { hinge } from './nn/losses.ts';
export type { Block as LayerBlock } from './nn/spec.ts';
export type { LayeredMatrixNetwork } from './matrix/layered.ts';
export { layeredModel } from './nn/layered.ts';
export type { LayeredModel } from './nn/layered.ts';
export { layeredNetwork } from './nn/layered.ts';
export { layeredReferences } from './nn/load.ts';
export type { LayeredSpec } from './nn/spec.ts';
export type { LessonSettings } from './lesson/settings.ts';
export { loadModel } from './nn/load.ts';
export { matmul } from './matrix/node.ts';
export { maxroute } from './matrix/node.ts';
export { mcausal } from './matrix/node.ts';
export { meanAbsoluteError } from './nn/losses.ts';
export { meanOf } from './nn/losses.ts';
export { meanSquaredError } from './nn/losses.ts';
export type { Model } from './nn/network-loss.ts';
export type { ModelCheck } from './check/model-check.ts';
export { mountainHtml } from './render/mountain.ts';
export { msoftmax } from './matrix/node.ts';
export { neg } from './expr/node.ts';
export { networkDiagram } from './pictures/network.ts';
export { networkDiagramOutline } from './pictures/network.ts';
export { networkLoss } from './nn/network-loss.ts';
export { NOTATION } from './lesson/notation.ts';
export type { NotationRule } from './lesson/notation.ts';
export { pool } from './matrix/node.ts';
export type { PoolGeometry } from './matrix/node.ts';
export { poolGeometry } from './matrix/node.ts';
export type { Program } from './expr/program.ts';
export type { ProgramGradient } from './diff/program.ts';
export { programGradient } from './diff/program.ts';
export { programGradientAt } from './diff/program.ts';
export type { PyTorchExport } from './export/pytorch.ts';
export { readGradText } from './check/grad-report.ts';
export { softmaxCrossEntropy } from './nn/losses.ts';
export type { Stepper } from './train/optimizers.ts';
export type { StepRecord } from './train/train.ts';
export { symbolsOf } from './expr/node.ts';
export { tokenspread } from './matrix/node.ts';
export { tokensum } from './matrix/node.ts';
export { transpose } from './matrix/node.ts';
export type { UserGradient } from './check/user-gradient.ts';
export type { Variant } from './practice/practice.ts';
export type { Verdict } from './practice/practice.ts';
