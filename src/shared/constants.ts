/**
 * Facts the constructs and the handlers share: defaults, environment keys, limits, error names and
 * tag keys. One place each, so the construct that sets a value and the handler that reads it cannot
 * disagree.
 *
 * The facts live in `facts/`, one module per concern; this module gathers them, so every file
 * imports its facts from one place. It and the fact modules are imported by the handlers AND by the
 * constructs: they import only each other (no AWS SDK, no aws-cdk-lib, no Node built-ins), so they
 * cost nothing in either bundle.
 */
export * from './facts/bundles';
export * from './facts/defaults';
export * from './facts/environment';
export * from './facts/errors';
export * from './facts/events';
export * from './facts/limits';
export * from './facts/metrics';
export * from './facts/tags';
export * from './facts/refresh';
