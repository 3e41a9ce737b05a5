import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BundledHandler, bundledFunction, CONNECTION_REUSE_ENVIRONMENT } from './bundled-handler';
import { assertEnvironmentFits, EnvironmentLimitAdvice } from './function-environment';
import type { HandlerFunctionSettings } from './function-options';
import { withConstructPath } from './validation-error';

/** A function's timeout unless it says otherwise: its handler makes a few RDS calls. */
const DEFAULT_TIMEOUT = Duration.minutes(2);

/** What the functions of one construct have in common. */
export interface HandlerFunctionFactoryProps<Name extends string> {
  /** The construct's class name, in its errors and its roles' descriptions. */
  readonly constructName: string;
  /** Each function's Lambda description, by its construct id (at most 256 characters). */
  readonly descriptions: Readonly<Record<Name, string>>;
  /** The function options of the props, and what each role needs for them. */
  readonly settings: HandlerFunctionSettings;
  /** How long each function's log group keeps its logs. */
  readonly logRetention: logs.RetentionDays;
  /** What the error says when a function's environment is over Lambda's limit. */
  readonly environmentLimit: EnvironmentLimitAdvice;
}

/**
 * Creates every function of a construct: each with its own role holding exactly the statements
 * given, its own log group, the function options of the props and its description.
 */
export class HandlerFunctionFactory<Name extends string> {
  private readonly logGroups = new Map<Name, logs.ILogGroup>();

  constructor(private readonly scope: Construct, private readonly props: HandlerFunctionFactoryProps<Name>) {}

  /**
   * The function `id` (its construct id and `Handler` metric dimension), a child of the scope,
   * running `handler` of its side's bundle.
   */
  public create(
    id: Name,
    handler: BundledHandler,
    environment: Record<string, string>,
    statements: iam.PolicyStatement[],
    timeout = DEFAULT_TIMEOUT,
  ): lambda.Function {
    const { constructName, settings } = this.props;
    // Measured on what the props produce: the error names the construct's path, as a ValidationError.
    withConstructPath(this.scope, constructName, () =>
      assertEnvironmentFits(id, { ...environment, ...CONNECTION_REUSE_ENVIRONMENT }, this.props.environmentLimit));
    const logGroup = new logs.LogGroup(this.scope, `${id}Logs`, { retention: this.props.logRetention });
    this.logGroups.set(id, logGroup);
    const role = new iam.Role(this.scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${constructName} ${id} handler`,
    });
    logGroup.grantWrite(role);
    for (const statement of [...statements, ...settings.roleStatements()]) role.addToPrincipalPolicy(statement);
    return bundledFunction(this.scope, id, handler, {
      role, logGroup, environment, timeout, ...settings.options, description: this.props.descriptions[id],
    });
  }

  /** The log group of a function this factory created. */
  public logGroupOf(fn: lambda.IFunction): logs.ILogGroup {
    const logGroup = this.logGroups.get(fn.node.id as Name);
    if (!logGroup) throw new Error(`${fn.node.path} was not created by this factory`);
    return logGroup;
  }
}
