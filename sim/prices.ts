/** List prices used for cost estimates (us-east-1, x86, as published by AWS; no free tier). */
export const PRICES = {
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecond: 0.0000166667,
};

/** Lambda memory of every handler, as the construct configures it. */
export const LAMBDA_MEMORY_GB = 256 / 1024;
/**
 * Billed duration assumed per invocation: handlers wait on one to three RDS API calls. An
 * assumption, not a measurement; it is printed with every estimate.
 */
export const ASSUMED_LAMBDA_MS = 300;

export interface CostEstimate {
  readonly stepFunctions: number;
  readonly lambdaRequests: number;
  readonly lambdaCompute: number;
  readonly total: number;
}

export function estimateCost(stateTransitions: number, invocations: number): CostEstimate {
  const stepFunctions = stateTransitions * PRICES.stepFunctionsPerTransition;
  const lambdaRequests = invocations * PRICES.lambdaPerRequest;
  const lambdaCompute = invocations * (ASSUMED_LAMBDA_MS / 1000) * LAMBDA_MEMORY_GB * PRICES.lambdaPerGbSecond;
  return { stepFunctions, lambdaRequests, lambdaCompute, total: stepFunctions + lambdaRequests + lambdaCompute };
}

export function dollars(value: number): string {
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toPrecision(3)}` : `$${value.toFixed(2)}`;
}
