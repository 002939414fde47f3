/**
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least squares)
 * with step halving, on a sparse design matrix. Small and exact: the parameters are an intercept
 * (not penalised) and one coefficient per column; the penalty `l2/2 * sum(beta_j^2)` keeps the
 * problem strictly concave, so it converges even for columns that never vary or that separate the
 * outcomes perfectly, and the Hessian it inverts for standard errors is always positive definite.
 */

/**
 * A design matrix in compressed sparse row form: row `i`'s non-zero entries are
 * `values[k]` in column `columnIndex[k]` for `k` in `rowStart[i] .. rowStart[i + 1] - 1`. A row
 * names each column at most once.
 */
export interface SparseDesign {
  readonly rows: number;
  readonly columns: number;
  /** Length `rows + 1`. */
  readonly rowStart: ArrayLike<number>;
  readonly columnIndex: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

export interface LogisticOptions {
  /** The ridge penalty λ on every coefficient but the intercept (default 1). Must be >= 0. */
  readonly l2?: number;
  /** Newton iterations before giving up (default 100). */
  readonly maxIterations?: number;
  /** Converged when no parameter moves more than this (relative to its size; default 1e-9). */
  readonly tolerance?: number;
  /** A weight per row (bootstrap resampling counts); default 1 each. */
  readonly rowWeights?: ArrayLike<number>;
  /** Where Newton starts (default: intercept at the log-odds of the mean outcome, coefficients 0). */
  readonly start?: { readonly intercept: number; readonly coefficients: readonly number[] };
}

export interface LogisticFit {
  readonly intercept: number;
  /** One per column of the design, in log-odds per unit of the column. */
  readonly coefficients: readonly number[];
  readonly interceptStandardError: number;
  /**
   * Wald standard errors: square roots of the diagonal of the inverse penalised Hessian at the
   * solution (the usual approximation for a ridge fit; they shrink with the penalty).
   */
  readonly standardErrors: readonly number[];
  /** The unpenalised log-likelihood at the solution. */
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Fits `P(outcome) = sigmoid(intercept + X·beta)` by maximising the penalised log-likelihood.
 * Throws a RangeError when the sizes disagree or `l2` is negative; never throws on the data
 * itself (an all-positive or all-negative outcome gives a large-magnitude intercept).
 */
export function fitLogistic(design: SparseDesign, outcomes: ArrayLike<boolean>, options: LogisticOptions = {}): LogisticFit {
  const { rows, columns } = design;
  if (outcomes.length !== rows) throw new RangeError(`fitLogistic: ${outcomes.length} outcomes for ${rows} rows`);
  if (design.rowStart.length !== rows + 1) throw new RangeError('fitLogistic: rowStart must have rows + 1 entries');
  const l2 = options.l2 ?? 1;
  if (!(l2 >= 0)) throw new RangeError(`fitLogistic: l2 must be >= 0, got ${l2}`);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  const weights = options.rowWeights;
  const d = columns + 1;

  // theta[0] is the intercept, theta[1 + j] the coefficient of column j.
  const theta = new Float64Array(d);
  if (options.start !== undefined) {
    theta[0] = options.start.intercept;
    for (let j = 0; j < columns; j++) theta[1 + j] = options.start.coefficients[j] ?? 0;
  } else {
    let total = 0;
    let positive = 0;
    for (let i = 0; i < rows; i++) {
      const w = weights === undefined ? 1 : weights[i];
      total += w;
      if (outcomes[i]) positive += w;
    }
    const mean = total === 0 ? 0.5 : Math.min(1 - 1e-6, Math.max(1e-6, positive / total));
    theta[0] = Math.log(mean / (1 - mean));
  }

  const linear = (parameters: Float64Array, i: number): number => {
    let eta = parameters[0];
    for (let k = design.rowStart[i]; k < design.rowStart[i + 1]; k++) eta += parameters[1 + design.columnIndex[k]] * design.values[k];
    return eta;
  };
  const objective = (parameters: Float64Array): { penalised: number; logLikelihood: number } => {
    let logLikelihood = 0;
    for (let i = 0; i < rows; i++) {
      const w = weights === undefined ? 1 : weights[i];
      if (w === 0) continue;
      const eta = linear(parameters, i);
      logLikelihood += w * ((outcomes[i] ? eta : 0) - softplus(eta));
    }
    let penalty = 0;
    for (let j = 1; j < d; j++) penalty += parameters[j] * parameters[j];
    return { penalised: logLikelihood - (l2 / 2) * penalty, logLikelihood };
  };

  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  let current = objective(theta);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    accumulate(design, outcomes, weights, theta, l2, gradient, hessian, linear);
    const step = solveSymmetric(hessian, gradient, d);
    // Step halving: Newton's step is accepted when it does not lower the objective.
    let scale = 1;
    let next = theta;
    let nextValue = current;
    let accepted = false;
    for (let halving = 0; halving < 40; halving++) {
      const candidate = new Float64Array(d);
      for (let j = 0; j < d; j++) candidate[j] = theta[j] + scale * step[j];
      const value = objective(candidate);
      if (value.penalised >= current.penalised - 1e-12 * Math.abs(current.penalised)) {
        next = candidate;
        nextValue = value;
        accepted = true;
        break;
      }
      scale /= 2;
    }
    let largestMove = 0;
    if (accepted) {
      for (let j = 0; j < d; j++) largestMove = Math.max(largestMove, Math.abs(next[j] - theta[j]) / (1 + Math.abs(theta[j])));
      theta.set(next);
      current = nextValue;
    }
    if (!accepted || largestMove < tolerance) {
      converged = true;
      iterations++;
      break;
    }
  }

  accumulate(design, outcomes, weights, theta, l2, gradient, hessian, linear);
  const inverse = invertSymmetric(hessian, d);
  const standardErrors: number[] = [];
  for (let j = 1; j < d; j++) standardErrors.push(Math.sqrt(Math.max(0, inverse[j * d + j])));
  return {
    intercept: theta[0],
    coefficients: Array.from(theta.subarray(1)),
    interceptStandardError: Math.sqrt(Math.max(0, inverse[0])),
    standardErrors,
    logLikelihood: current.logLikelihood,
    iterations,
    converged,
  };
}

/** Gradient and Hessian (negated, so positive definite) of the penalised log-likelihood at `theta`. */
function accumulate(
  design: SparseDesign,
  outcomes: ArrayLike<boolean>,
  weights: ArrayLike<number> | undefined,
  theta: Float64Array,
  l2: number,
  gradient: Float64Array,
  hessian: Float64Array,
  linear: (parameters: Float64Array, i: number) => number,
): void {
  const d = theta.length;
  gradient.fill(0);
  hessian.fill(0);
  const { rowStart, columnIndex, values } = design;
  for (let i = 0; i < design.rows; i++) {
    const c = weights === undefined ? 1 : weights[i];
    if (c === 0) continue;
    const mu = sigmoid(linear(theta, i));
    const residual = c * ((outcomes[i] ? 1 : 0) - mu);
    const w = c * mu * (1 - mu);
    gradient[0] += residual;
    hessian[0] += w;
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      const a = 1 + columnIndex[k];
      const xa = values[k];
      gradient[a] += residual * xa;
      hessian[a] += w * xa; // row 0, column a
      for (let m = rowStart[i]; m <= k; m++) {
        const b = 1 + columnIndex[m];
        hessian[a * d + b] += w * xa * values[m];
      }
    }
  }
  // Mirror the lower triangle (and row 0) into the full matrix (a row's column indices are distinct,
  // in any order, so each off-diagonal pair landed in exactly one of the two triangles).
  for (let a = 1; a < d; a++) {
    hessian[a * d] = hessian[a];
    for (let b = 1; b < a; b++) {
      const sum = hessian[a * d + b] + hessian[b * d + a];
      hessian[a * d + b] = sum;
      hessian[b * d + a] = sum;
    }
  }
  for (let j = 1; j < d; j++) {
    gradient[j] -= l2 * theta[j];
    hessian[j * d + j] += l2;
  }
}

/**
 * Cholesky factor (lower, in place in a copy) of a symmetric positive definite `n`x`n` matrix. A
 * matrix that is only semi-definite (a column that never varies, with l2 = 0) gets a tiny ridge.
 */
function cholesky(matrix: Float64Array, n: number): Float64Array {
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-10 : jitter * 100) {
    const l = new Float64Array(matrix);
    if (jitter > 0) for (let i = 0; i < n; i++) l[i * n + i] += jitter * (1 + Math.abs(matrix[i * n + i]));
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      let diagonal = l[j * n + j];
      for (let k = 0; k < j; k++) diagonal -= l[j * n + k] * l[j * n + k];
      if (!(diagonal > 0)) {
        ok = false;
        break;
      }
      const root = Math.sqrt(diagonal);
      l[j * n + j] = root;
      for (let i = j + 1; i < n; i++) {
        let sum = l[i * n + j];
        for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
        l[i * n + j] = sum / root;
      }
    }
    if (ok) {
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
      return l;
    }
    if (jitter > 1) throw new Error('logistic regression: the Hessian is not positive definite');
  }
}

function solveWithFactor(l: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * y[k];
    y[i] = sum / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
    x[i] = sum / l[i * n + i];
  }
  return x;
}

/** Solves `A x = b` for a symmetric positive definite `A` (n x n, row-major). */
export function solveSymmetric(a: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  return solveWithFactor(cholesky(a, n), b, n);
}

/** The inverse of a symmetric positive definite matrix (n x n, row-major). */
export function invertSymmetric(a: Float64Array, n: number): Float64Array {
  const l = cholesky(a, n);
  const inverse = new Float64Array(n * n);
  const unit = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    unit.fill(0);
    unit[j] = 1;
    const column = solveWithFactor(l, unit, n);
    for (let i = 0; i < n; i++) inverse[i * n + j] = column[i];
  }
  return inverse;
}

/** A {@link SparseDesign} from dense rows (zeros are left out). For tests and small data. */
export function denseDesign(rows: readonly (readonly number[])[], columns = rows[0]?.length ?? 0): SparseDesign {
  const rowStart: number[] = [0];
  const columnIndex: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    if (row.length !== columns) throw new RangeError('denseDesign: rows differ in length');
    for (let j = 0; j < columns; j++) {
      if (row[j] !== 0) {
        columnIndex.push(j);
        values.push(row[j]);
      }
    }
    rowStart.push(columnIndex.length);
  }
  return { rows: rows.length, columns, rowStart, columnIndex, values };
}
