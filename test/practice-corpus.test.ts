// The practice checker against a corpus of graded answers: right answers in
// many forms (expanded, factored, σ written out, σ′ as e^(−z)/(1 + e^(−z))²,
// the names substituted or not) and the common mistakes (a dropped
// chain-rule factor, the sign, a factor 2, a missing 1/N, σ′ written as σ,
// the wrong variable, a missing transpose, relu′/abs′ right on half the
// domain). Every verdict is worked out by hand here; zero may be wrong. Where
// the kind of mistake is listed, the diagnosis must name it. And no hint at
// level 1 or 2 contains the exact answer's text.
import { describe, expect, test } from 'vitest';
import { allSets } from '../src/cli/practice.ts';
import { answerText, gradeAnswer, itemsOf, prepareItem, type PreparedItem } from '../src/practice/practice.ts';
import { prepareFormula, gradeFormula, shownFormula } from '../src/practice/formula.ts';
import { hintsFor } from '../src/practice/diagnose.ts';
import { parseExpression } from '../src/expr/parse.ts';
import { tidy } from '../src/expr/tidy.ts';

type Expected = 'right' | 'wrong' | `wrong:${string}`;

/** [lesson, item id, answer, verdict (and the kind of mistake)]. */
const corpus: readonly (readonly [number, string, string, Expected])[] = [
  // Lesson 1: e = (y − w x)², ∂e/∂w = −2x(y − wx).
  [1, 'de-dw', '-2*x*(y - w*x)', 'right'],
  [1, 'de-dw', '2*x*(w*x - y)', 'right'],
  [1, 'de-dw', '-2*(y - yhat)*x', 'right'],
  [1, 'de-dw', '2*w*x^2 - 2*x*y', 'right'],
  [1, 'de-dw', '-2*x*y + 2*w*x*x', 'right'],
  [1, 'de-dw', '(w*x - y)*x*2', 'right'],
  [1, 'de-dw', '-(2*x*y - 2*w*x^2)', 'right'],
  [1, 'de-dw', '2*x*(y - w*x)', 'wrong:sign'],
  [1, 'de-dw', '-x*(y - w*x)', 'wrong:constant-factor'],
  [1, 'de-dw', '-2*(y - w*x)', 'wrong:missing-factor'],
  [1, 'de-dw', '-2*(y - w*x)*w', 'wrong:wrong-variable'],
  [1, 'de-dw', '-2*x*(y - w*x)^2', 'wrong'],
  [1, 'de-dw', 'x^2', 'wrong'],
  [1, 'de-dw', '-2*x*(y - w*x) + 1e-6', 'wrong:constant-term'],
  [1, 'de-dw', '-2*x*(y - q*x)', 'wrong:unknown-name'],
  [1, 'de-dw', '-2*x*(y - w*x', 'wrong:unreadable'],
  [1, 'de-dyhat', '-2*(y - yhat)', 'right'],
  [1, 'de-dyhat', '2*yhat - 2*y', 'right'],
  [1, 'de-dyhat', '2*(yhat - y)', 'right'],
  [1, 'de-dyhat', '2*(y - yhat)', 'wrong:sign'],
  [1, 'de-dyhat', '-(y - yhat)', 'wrong:constant-factor'],
  [1, 'de-dyhat', '(y - yhat)^2', 'wrong'],
  [1, 'loss-formula', '7.5*w^2 - 23.05*w + 17.7275', 'right'],
  [1, 'loss-formula', '((1.5-w)^2 + (2.9-2*w)^2 + (4.8-3*w)^2 + (6.1-4*w)^2)/4', 'right'],
  [1, 'loss-formula', '((w-1.5)^2 + (2*w-2.9)^2 + (3*w-4.8)^2 + (4*w-6.1)^2)*0.25', 'right'],
  [1, 'loss-formula', '(1.5-w)^2 + (2.9-2*w)^2 + (4.8-3*w)^2 + (6.1-4*w)^2', 'wrong:constant-factor'],
  [1, 'loss-formula', '7.5*w^2 - 23.05*w + 17.9775', 'wrong:constant-term'],
  [1, 'loss-formula', '(1.5-w)^2/4', 'wrong'],
  [1, 'loss-at-w', '1.6275', 'right'],
  [1, 'loss-at-w', '1.628', 'right'],
  [1, 'loss-at-w', '((1.5-2)^2 + (2.9-4)^2 + (4.8-6)^2 + (6.1-8)^2)/4', 'right'],
  [1, 'loss-at-w', '6.51', 'wrong:constant-factor'],
  [1, 'loss-at-w', '1.63', 'wrong'],
  [1, 'one-error', '(4.8 - 3)^2', 'right'],
  [1, 'one-error', '1.8', 'wrong'],
  [1, 'best-w', '46.1/30', 'right'],
  [1, 'best-w', '1.5367', 'right'],
  [1, 'best-w', '1.6', 'wrong'],
  // Lesson 2: L'(w) = 15w − 23.05.
  [2, 'dl-dw', '15*w - 23.05', 'right'],
  [2, 'dl-dw', '(30*w - 46.1)/2', 'right'],
  [2, 'dl-dw', '(2*(w-1.5) + 4*(2*w-2.9) + 6*(3*w-4.8) + 8*(4*w-6.1))/4', 'right'],
  [2, 'dl-dw', '-15*w + 23.05', 'wrong:sign'],
  [2, 'dl-dw', '30*w - 46.1', 'wrong:constant-factor'],
  [2, 'dl-dw', '60*w - 92.2', 'wrong:constant-factor'],
  [2, 'dl-dw', '7.5*w - 11.525', 'wrong:constant-factor'],
  [2, 'dl-dw', '15*w', 'wrong'],
  [2, 'dl-dw', '15*w - 22.05', 'wrong:constant-term'],
  [2, 'slope-at', '15*1.8 - 23.05', 'right'],
  [2, 'slope-at', '3.95', 'right'],
  [2, 'slope-at', '-3.95', 'wrong:sign'],
  [2, 'slope-at', '7.9', 'wrong:constant-factor'],
  [2, 'way-down', 'b', 'right'],
  [2, 'way-down', 'B', 'right'],
  [2, 'way-down', 'a', 'wrong'],
  [2, 'way-down', 'z', 'wrong:unreadable'],
  [2, 'one-sample', '-4*(2.9 - 2*w)', 'right'],
  [2, 'one-sample', '8*w - 11.6', 'right'],
  [2, 'one-sample', '2*(2.9 - 2*w)*(-2)', 'right'],
  [2, 'one-sample', '-2*(2.9 - 2*w)', 'wrong:constant-factor'],
  [2, 'one-sample', '4*(2.9 - 2*w)', 'wrong:sign'],
  [2, 'tangent', '6.9775 + 14.45*(w - 2.5)', 'right'],
  [2, 'tangent', '14.45*w - 29.1475', 'right'],
  [2, 'tangent', '14.45*w', 'wrong:constant-term'],
  [2, 'bottom', '23.05/15', 'right'],
  [2, 'bottom', '1.54', 'wrong'],
  // Lesson 3: one step w − η(15w − 23.05); the factor 1 − 15η.
  [3, 'update', 'w - eta*(15*w - 23.05)', 'right'],
  [3, 'update', 'w*(1 - 15*eta) + 23.05*eta', 'right'],
  [3, 'update', 'w - 15*eta*w + 23.05*eta', 'right'],
  [3, 'update', 'w + eta*(15*w - 23.05)', 'wrong'],
  [3, 'update', 'w - (15*w - 23.05)', 'wrong'],
  [3, 'update', 'eta*(15*w - 23.05)', 'wrong'],
  [3, 'factor', '1 - 15*eta', 'right'],
  [3, 'factor', '-(15*eta - 1)', 'right'],
  [3, 'factor', '15*eta - 1', 'wrong:sign'],
  [3, 'factor', '1 - 7.5*eta', 'wrong'],
  [3, 'one-step-rate', '1/15', 'right'],
  [3, 'one-step-rate', '0.0667', 'right'],
  [3, 'one-step-rate', '2/15', 'wrong:constant-factor'],
  [3, 'bound', '2/15', 'right'],
  [3, 'bound', '0.1', 'wrong'],
  [3, 'grow', '1.025^40', 'right'],
  [3, 'grow', '2.7', 'right'],
  [3, 'grow', '0.5', 'wrong'],
  [3, 'bounce', '1', 'right'],
  [3, 'bounce', '0', 'wrong'],
  // Lesson 4: z = w1 x1 + w2 x2, h = σ(z), ŷ = w3 h, L = (y − ŷ)².
  [4, 'dl-dw3', '-2*(y - yhat)*h', 'right'],
  [4, 'dl-dw3', '-2*(y - w3*sigmoid(w1*x1 + w2*x2))*sigmoid(w1*x1 + w2*x2)', 'right'],
  [4, 'dl-dw3', '2*(w3*h - y)*h', 'right'],
  [4, 'dl-dw3', '-2*(y - yhat)/(1 + exp(-z))', 'right'],
  [4, 'dl-dw3', '2*w3*h^2 - 2*y*h', 'right'],
  [4, 'dl-dw3', '2*(y - yhat)*h', 'wrong:sign'],
  [4, 'dl-dw3', '-(y - yhat)*h', 'wrong:constant-factor'],
  [4, 'dl-dw3', '-2*(y - yhat)', 'wrong:missing-factor'],
  [4, 'dl-dw3', '-2*(y - yhat)*w3', 'wrong'],
  [4, 'dl-dw3', '-2*(y - yhat)*h*(1 - h)', 'wrong'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3*h*(1 - h)*x1', 'right'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3*sigmoid(z)*(1 - sigmoid(z))*x1', 'right'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3*exp(-z)/(1 + exp(-z))^2*x1', 'right'],
  [4, 'dl-dw1', '2*x1*w3*(yhat - y)*h*(1 - h)', 'right'],
  [4, 'dl-dw1', '-2*x1*w3*(y - yhat)*(h - h^2)', 'right'],
  [4, 'dl-dw1', '-2*(y - w3*sigmoid(w1*x1 + w2*x2))*w3*sigmoid(w1*x1 + w2*x2)*(1 - sigmoid(w1*x1 + w2*x2))*x1', 'right'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3*x1', 'wrong:missing-factor'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3*h*x1', 'wrong:function-for-derivative'],
  [4, 'dl-dw1', '2*(y - yhat)*w3*h*(1 - h)*x1', 'wrong:sign'],
  [4, 'dl-dw1', '-(y - yhat)*w3*h*(1 - h)*x1', 'wrong:constant-factor'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3*h*(1 - h)*x2', 'wrong:wrong-variable'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3', 'wrong:chain-stops'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3*h*(1 - h)', 'wrong:missing-factor'],
  [4, 'dl-dw1', '-2*(y - yhat)*h*(1 - h)*x1', 'wrong:missing-factor'],
  [4, 'dl-dw1', '-2*(y - yhat)*w3*h*(1 - h)*x1*x1', 'wrong:extra-factor'],
  [4, 'dl-dw2', '-2*(y - yhat)*w3*h*(1 - h)*x2', 'right'],
  [4, 'dl-dw2', '-2*(y - yhat)*w3*h*(1 - h)*x1', 'wrong:wrong-variable'],
  [4, 'dl-dw2', '-2*(y - yhat)*w3*x2', 'wrong:missing-factor'],
  [4, 'sigmoid-prime', 'h*(1 - h)', 'right'],
  [4, 'sigmoid-prime', 'sigmoid(z)*(1 - sigmoid(z))', 'right'],
  [4, 'sigmoid-prime', 'exp(-z)/(1 + exp(-z))^2', 'right'],
  [4, 'sigmoid-prime', 'exp(z)/(1 + exp(z))^2', 'right'],
  [4, 'sigmoid-prime', 'sigmoid(z) - sigmoid(z)^2', 'right'],
  [4, 'sigmoid-prime', '1/(2 + exp(z) + exp(-z))', 'right'],
  [4, 'sigmoid-prime', '1/(1 + exp(-z)) - 1/(1 + exp(-z))^2', 'right'],
  [4, 'sigmoid-prime', 'sigmoid(z)', 'wrong:function-for-derivative'],
  [4, 'sigmoid-prime', '-exp(-z)/(1 + exp(-z))^2', 'wrong:sign'],
  [4, 'sigmoid-prime', 'h*(1 + h)', 'wrong'],
  [4, 'sigmoid-prime', 'exp(-z)/(1 + exp(-z))', 'wrong'],
  [4, 'sigmoid-prime', 'h*(1 - h)/z*z', 'wrong:undefined'],
  [4, 'forward', '0.024127', 'right'],
  [4, 'forward', '-0.024127', 'wrong:sign'],
  [4, 'grad-w3', '-0.682021', 'right'],
  [4, 'grad-w3', '0.682021', 'wrong:sign'],
  [4, 'grad-w3', '-0.34101', 'wrong:constant-factor'],
  [4, 'step-w3', '0.395905', 'right'],
  [4, 'step-w3', '0.1', 'wrong'],
  // Lesson 5: e = (y − (wx + b))².
  [5, 'de-db', '-2*(y - w*x - b)', 'right'],
  [5, 'de-db', '2*(w*x + b - y)', 'right'],
  [5, 'de-db', '-2*(y - yhat)', 'right'],
  [5, 'de-db', '2*(y - w*x - b)', 'wrong:sign'],
  [5, 'de-db', '-2*(y - w*x - b)*x', 'wrong:wrong-variable'],
  [5, 'de-db', '-(y - w*x - b)', 'wrong:constant-factor'],
  [5, 'de-dw', '-2*x*(y - yhat)', 'right'],
  [5, 'de-dw', '2*w*x^2 + 2*b*x - 2*x*y', 'right'],
  [5, 'de-dw', '-2*(y - yhat)', 'wrong:missing-factor'],
  [5, 'de-dw', '-2*x*(y - w*x)', 'wrong'],
  [5, 'dl-db', '(10.5*w + 6*b - 9.7)/3', 'right'],
  [5, 'dl-db', '3.5*w + 2*b - 9.7/3', 'right'],
  [5, 'dl-db', '2*(10.5*w + 6*b - 9.7)', 'wrong:constant-factor'],
  [5, 'dl-db', '10.5*w + 6*b - 9.7', 'wrong:constant-factor'],
  [5, 'dl-db', '(10.5*w + 6*b - 9.7)/6', 'wrong:constant-factor'],
  [5, 'curvature', '2*x^2', 'right'],
  [5, 'curvature', '2*x*x', 'right'],
  [5, 'curvature', '2*x', 'wrong:wrong-variable'],
  [5, 'curvature', '-2*x^2', 'wrong:sign'],
  [5, 'curvature', 'x^2', 'wrong:constant-factor'],
  [5, 'largest-eta', '0.21', 'right'],
  [5, 'largest-eta', '0.3', 'wrong'],
  // Lesson 6: f = (0.2 − σ(1.5w))², p = σ(u), u = 1.5w.
  [6, 'f-prime', '-3*(0.2 - p)*p*(1 - p)', 'right'],
  [6, 'f-prime', '3*(p - 0.2)*p*(1 - p)', 'right'],
  [6, 'f-prime', '-2*(0.2 - sigmoid(1.5*w))*sigmoid(1.5*w)*(1 - sigmoid(1.5*w))*1.5', 'right'],
  [6, 'f-prime', '-3*(0.2 - p)*exp(-u)/(1 + exp(-u))^2', 'right'],
  [6, 'f-prime', '-3*(0.2 - p)*exp(-1.5*w)/(1 + exp(-1.5*w))^2', 'right'],
  [6, 'f-prime', '-2*(0.2 - p)*p*(1 - p)', 'wrong:constant-factor'],
  [6, 'f-prime', '-3*(0.2 - p)*p', 'wrong:function-for-derivative'],
  [6, 'f-prime', '-3*(0.2 - p)', 'wrong:missing-factor'],
  [6, 'f-prime', '3*(0.2 - p)*p*(1 - p)', 'wrong:sign'],
  [6, 'central', '(sin(w + h) - sin(w - h))/(2*h)', 'right'],
  [6, 'central', 'cos(w)*sin(h)/h', 'right'],
  [6, 'central', '(sin(w + h) - sin(w))/h', 'wrong'],
  [6, 'central', '(sin(w + h) - sin(w - h))/h', 'wrong:constant-factor'],
  [6, 'central', 'cos(w)', 'wrong'],
  [6, 'f-prime-value', '0.311531', 'right'],
  [6, 'f-prime-value', '0.2', 'wrong'],
  [6, 'truncation', '0.000900054', 'right'],
  [6, 'truncation', '0.1^2*sin(1)/6', 'wrong'],
  [6, 'best-step', '-5', 'right'],
  [6, 'best-step', '-8', 'wrong'],
  // Lesson 7.
  [7, 'ce-sigmoid', '(p - y)*x', 'right'],
  [7, 'ce-sigmoid', '(sigmoid(w*x) - y)*x', 'right'],
  [7, 'ce-sigmoid', 'x*sigmoid(z) - x*y', 'right'],
  [7, 'ce-sigmoid', '-(y*(1 - p) - (1 - y)*p)*x', 'right'],
  [7, 'ce-sigmoid', '(1/(1 + exp(-w*x)) - y)*x', 'right'],
  [7, 'ce-sigmoid', '-(y/p - (1 - y)/(1 - p))*p*(1 - p)*x', 'right'],
  [7, 'ce-sigmoid', '(y - p)*x', 'wrong:sign'],
  [7, 'ce-sigmoid', 'p - y', 'wrong:missing-factor'],
  [7, 'ce-sigmoid', '(p - y)*p*(1 - p)*x', 'wrong:extra-factor'],
  [7, 'ce-sigmoid', '(p - y)*w', 'wrong:wrong-variable'],
  [7, 'ce-sigmoid', '-(y/p - (1 - y)/(1 - p))*x', 'wrong'],
  [7, 'ce-logit', 'p - y', 'right'],
  [7, 'ce-logit', 'sigmoid(z) - y', 'right'],
  [7, 'ce-logit', '1/(1 + exp(-z)) - y', 'right'],
  [7, 'ce-logit', 'y - p', 'wrong:sign'],
  [7, 'ce-logit', '(p - y)*p*(1 - p)', 'wrong'],
  [7, 'abs-below', '-1', 'right'],
  [7, 'abs-below', '-sign(y - yhat)', 'right'],
  [7, 'abs-below', 'sign(yhat - y)', 'right'],
  [7, 'abs-below', '1', 'wrong:sign'],
  [7, 'abs-below', '0', 'wrong'],
  [7, 'abs-everywhere', 'sign(yhat - y)', 'right'],
  [7, 'abs-everywhere', '-sign(y - yhat)', 'right'],
  [7, 'abs-everywhere', '2*heaviside(yhat - y) - 1', 'right'],
  [7, 'abs-everywhere', '-1', 'wrong:part-of-domain'],
  [7, 'abs-everywhere', '1', 'wrong:part-of-domain'],
  [7, 'abs-everywhere', 'heaviside(yhat - y)', 'wrong:part-of-domain'],
  [7, 'abs-everywhere', 'sign(y - yhat)', 'wrong:sign'],
  [7, 'squared', '2*(yhat - y)', 'right'],
  [7, 'squared', '2*(y - yhat)', 'wrong:sign'],
  [7, 'squared', '-(y - yhat)', 'wrong:constant-factor'],
  [7, 'huber-inside', 'u', 'right'],
  [7, 'huber-inside', 'clip(u, -1, 1)', 'right'],
  [7, 'huber-inside', '2*u', 'wrong:constant-factor'],
  [7, 'huber-inside', 'u^2/2', 'wrong'],
  [7, 'huber-inside', 'sign(u)', 'wrong'],
  [7, 'ce-value', '-log(0.9)', 'right'],
  [7, 'ce-value', 'log(0.9)', 'wrong:sign'],
  [7, 'ce-value', '0.1', 'wrong'],
  // Lesson 8: L = softplus(z) − y z on the 2-2-1 network.
  [8, 'dl-dv1', '(sigmoid(z) - y)*a1', 'right'],
  [8, 'dl-dv1', '(1/(1 + exp(-z)) - y)*a1', 'right'],
  [8, 'dl-dv1', 'a1*sigmoid(z) - y*a1', 'right'],
  [8, 'dl-dv1', '(sigmoid(v1*a1 + v2*a2 + c) - y)*sigmoid(z1)', 'right'],
  [8, 'dl-dv1', '(sigmoid(z) - y)*a2', 'wrong:wrong-variable'],
  [8, 'dl-dv1', '(y - sigmoid(z))*a1', 'wrong:sign'],
  [8, 'dl-dv1', 'sigmoid(z) - y', 'wrong:missing-factor'],
  [8, 'dl-dv1', '(softplus(z) - y)*a1', 'wrong'],
  [8, 'dl-dc', 'sigmoid(z) - y', 'right'],
  [8, 'dl-dc', 'exp(z)/(1 + exp(z)) - y', 'right'],
  [8, 'dl-dc', 'softplus(z) - y', 'wrong'],
  [8, 'dl-dc', 'y - sigmoid(z)', 'wrong:sign'],
  [8, 'dl-dw1', '(sigmoid(z) - y)*v1*a1*(1 - a1)*x1', 'right'],
  [8, 'dl-dw1', '(sigmoid(z) - y)*v1*sigmoid(z1)*(1 - sigmoid(z1))*x1', 'right'],
  [8, 'dl-dw1', '(sigmoid(z) - y)*v1*x1', 'wrong:missing-factor'],
  [8, 'dl-dw1', '(sigmoid(z) - y)*v1*a1*x1', 'wrong:function-for-derivative'],
  [8, 'dl-dw1', '(sigmoid(z) - y)*v1*a1*(1 - a1)*x2', 'wrong:wrong-variable'],
  [8, 'dl-dw1', '(sigmoid(z) - y)*v1*a1*(1 - a1)', 'wrong'],
  [8, 'dl-dw1', '(sigmoid(z) - y)*v2*a1*(1 - a1)*x1', 'wrong'],
  [8, 'dl-db2', '(sigmoid(z) - y)*v2*a2*(1 - a2)', 'right'],
  [8, 'dl-db2', '(sigmoid(z) - y)*v1*a1*(1 - a1)', 'wrong:wrong-variable'],
  [8, 'dl-db2', '(sigmoid(z) - y)*v2', 'wrong:missing-factor'],
  [8, 'logit', '0.655706', 'right'],
  [8, 'logit', '0.6', 'wrong'],
  // Lesson 9: the Rosenbrock function.
  [9, 'df-dw1', '-2*(1 - w1) - 400*w1*(w2 - w1^2)', 'right'],
  [9, 'df-dw1', '2*w1 - 2 - 400*w1*w2 + 400*w1^3', 'right'],
  [9, 'df-dw1', '-2*(1 - w1) + 100*2*(w2 - w1^2)*(-2*w1)', 'right'],
  [9, 'df-dw1', '-2*(1 - w1) + 400*w1*(w2 - w1^2)', 'wrong'],
  [9, 'df-dw1', '-2*(1 - w1) - 200*w1*(w2 - w1^2)', 'wrong'],
  [9, 'df-dw1', '200*(w2 - w1^2)', 'wrong:wrong-variable'],
  [9, 'df-dw1', '-2*(1 - w1)', 'wrong'],
  [9, 'df-dw2', '200*(w2 - w1^2)', 'right'],
  [9, 'df-dw2', '200*w2 - 200*w1^2', 'right'],
  [9, 'df-dw2', '100*(w2 - w1^2)', 'wrong:constant-factor'],
  [9, 'df-dw2', '-200*(w2 - w1^2)', 'wrong:sign'],
  [9, 'df-dw2', '200*(w2 - w1^2)*2*w1', 'wrong'],
  [9, 'across', '(1154 + 200)/2 + sqrt(((1154 - 200)/2)^2 + 480^2)', 'right'],
  [9, 'across', '1154', 'wrong'],
  [9, 'bound', '2/1354', 'right'],
  [9, 'bound', '1/1354', 'wrong'],
  [9, 'steps-under', '3900', 'right'],
  [9, 'steps-under', '1000', 'wrong'],
  [9, 'eta-002', '1e9', 'wrong'],
  // Lesson 10: matrix form; shapes checked.
  [10, 'delta2', '(softmax(z2) - Y)/N', 'right'],
  [10, 'delta2', 'softmax(z2)/N - Y/N', 'right'],
  [10, 'delta2', '(softmax(W2*a1 + b2) - Y)/N', 'right'],
  [10, 'delta2', 'softmax(z2) - Y', 'wrong:constant-factor'],
  [10, 'delta2', '(Y - softmax(z2))/N', 'wrong:sign'],
  [10, 'delta2', '(sigmoid(z2) - Y)/N', 'wrong'],
  [10, 'dl-dw2', "delta2 * a1'", 'right'],
  [10, 'dl-dw2', 'delta2 * transpose(a1)', 'right'],
  [10, 'dl-dw2', "(softmax(z2) - Y)/N * a1'", 'right'],
  [10, 'dl-dw2', "a1 * delta2'", 'wrong:transposed'],
  [10, 'dl-dw2', 'delta2 * a1', 'wrong:shape'],
  [10, 'dl-dw2', "delta2' * a1", 'wrong:shape'],
  [10, 'dl-dw2', "delta2 * X'", 'wrong:shape'],
  [10, 'delta1', "(W2' * delta2) .* a1 .* (1 - a1)", 'right'],
  [10, 'delta1', '(transpose(W2) * delta2) .* sigmoid(z1) .* (1 - sigmoid(z1))', 'right'],
  [10, 'delta1', "a1 .* (1 - a1) .* (W2' * delta2)", 'right'],
  [10, 'delta1', "(delta2' * W2)' .* a1 .* (1 - a1)", 'right'],
  [10, 'delta1', "W2' * delta2", 'wrong:missing-factor'],
  [10, 'delta1', 'W2 * delta2', 'wrong:shape'],
  [10, 'delta1', "(W2' * delta2) .* a1", 'wrong'],
  [10, 'dl-dw1', "delta1 * X'", 'right'],
  [10, 'dl-dw1', "X * delta1'", 'wrong:transposed'],
  [10, 'dl-dw1', 'delta1 * X', 'wrong:shape'],
  [10, 'dl-db1', 'sum(delta1, 2)', 'right'],
  [10, 'dl-db1', 'delta1', 'wrong:shape'],
  [10, 'dl-db1', 'sum(delta1, 2)/N', 'wrong:constant-factor'],
  [10, 'parameters', '784*30 + 30 + 30*10 + 10', 'right'],
  [10, 'parameters', '784*30 + 30*10', 'wrong'],
  [10, 'steps-per-epoch', '8000/32', 'right'],
  [10, 'steps-per-epoch', '8000', 'wrong'],
];

describe('the practice checker on a corpus of graded answers', async () => {
  const sets = await allSets();
  const prepared = new Map<string, PreparedItem>();
  for (const set of sets) for (const item of itemsOf(set)) prepared.set(`${set.lesson}/${item.id}`, prepareItem(item));

  test(`${corpus.length} answers, every verdict as worked out by hand (and the kind of mistake where listed)`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const wrong: string[] = [];
    for (const [lesson, id, answer, expected] of corpus) {
      const p = prepared.get(`${lesson}/${id}`);
      if (!p) throw new Error(`no item ${lesson}/${id}`);
      const v = gradeAnswer(p, answer);
      const [verdict, kind] = expected.split(':');
      if (v.correct !== (verdict === 'right') || (kind !== undefined && v.kind !== kind)) {
        wrong.push(`${lesson}/${id} "${answer}": expected ${expected}, got ${v.correct ? 'right' : `wrong:${v.kind}`} (${v.hints[0]})`);
      }
    }
    expect(wrong).toEqual([]);
    // Both verdicts and every kind of mistake the corpus names are represented.
    const kinds = new Set(corpus.map(([, , , e]) => e.split(':')[1]).filter((k) => k !== undefined));
    for (const k of ['sign', 'constant-factor', 'missing-factor', 'extra-factor', 'function-for-derivative', 'chain-stops', 'wrong-variable', 'part-of-domain', 'transposed', 'shape', 'undefined']) expect(kinds).toContain(k);
  });

  test('no hint at level 1 or 2 contains the exact answer (its text, the key, or its Unicode)', () => {
    for (const [lesson, id, answer] of corpus) {
      const p = prepared.get(`${lesson}/${id}`)!;
      if (p.item.kind === 'prediction') continue; // a prediction's run is shown after the answer, by design
      const v = gradeAnswer(p, answer);
      if (v.correct) continue;
      const key = answerText(p);
      const forms = [key, key.replace(/\s+/g, '')];
      if ('formula' in p) forms.push(p.formula.exactText, shownFormula(tidy(p.formula.exact)), shownFormula(parseExpression(key)));
      for (const hint of v.hints) {
        for (const form of forms) {
          if (form.length < 3 && p.item.kind !== 'number') continue; // a one-character answer (-1, u) is in every sentence
          expect(hint.replace(/\s+/g, ''), `${lesson}/${id} "${answer}"`).not.toContain(form.replace(/\s+/g, ''));
        }
      }
    }
  });

  test('relu′ left out is refused, though it agrees wherever the unit is on (points on both sides of the kink)', () => {
    const f = prepareFormula({ expression: '(y - yhat)^2', wrt: 'w', names: { z: 'w*x + b', yhat: 'relu(z)' } });
    expect(gradeFormula(f, '-2*(y - yhat)*heaviside(z)*x').correct).toBe(true);
    const v = gradeFormula(f, '-2*(y - yhat)*x');
    expect(v.correct).toBe(false);
    expect(v.diagnosis.kind).toBe('part-of-domain');
    expect(hintsFor(v.diagnosis, f.links, 'w')[0]).toContain('z > 0');
    // The points beside the kink: some with z just above 0, some just below.
    const zs = f.points.map((p) => p.get('w')! * p.get('x')! + p.get('b')!);
    expect(zs.some((z) => z > 0 && z < 1e-4)).toBe(true);
    expect(zs.some((z) => z < 0 && z > -1e-4)).toBe(true);
  });

  test('an answer undefined where the exact one is defined is refused with the point', () => {
    // d/dx (x |x|) = 2|x|; 2x²/|x| equals it except at x = 0, where it is 0/0.
    const g = prepareFormula({ expression: 'abs(x)*x', wrt: 'x', domain: { x: [-1, 1] } });
    expect(gradeFormula(g, '2*abs(x)').correct).toBe(true);
    const v = gradeFormula(g, '2*x^2/abs(x)');
    expect(v.correct).toBe(false);
    expect(v.diagnosis.kind).toBe('undefined');
    expect(hintsFor(v.diagnosis, [])[0]).toContain('x = 0');
  });
});
