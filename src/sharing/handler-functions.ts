import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { assertEnvironmentFits } from './function-environment';
import type { HandlerFunctionSettings } from './function-options';
import { FUNCTION_DESCRIPTIONS, HandlerName } from './operations';
import { withConstructPath } from '../shared/validation-error';

/** A generated handler class (`handlers/*-function.ts`). */
export type HandlerClass = new (scope: Construct, id: string, props: lambda.FunctionOptions) => lambda.Function;

/** A function's timeout unless it says otherwise: its handler makes a few RDS calls. */
const DEFAULT_TIMEOUT = Duration.minutes(2);

/**
 * Creates every function of a `SharedClusterSnapshots`: each with its own role holding exactly the
 * statements given, its own log group, the function options of the props and its description.
 */
export class HandlerFunctionFactory {
  private readonly logGroups = new Map<HandlerName, logs.ILogGroup>();

  constructor(
    private readonly scope: Construct,
    private readonly settings: HandlerFunctionSettings,
    private readonly logRetention: logs.RetentionDays,
  ) {}

  /** The function `id` (its construct id and `Handler` metric dimension), a child of the scope. */
  public create(
    id: HandlerName,
    fn: HandlerClass,
    environment: Record<string, string>,
    statements: iam.PolicyStatement[],
    timeout = DEFAULT_TIMEOUT,
  ): lambda.Function {
    // Measured on what the props produce: the error names the construct's path, as a ValidationError.
    withConstructPath(this.scope, 'SharedClusterSnapshots', () =>
      assertEnvironmentFits(id, { ...environment, AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' }));
    const logGroup = new logs.LogGroup(this.scope, `${id}Logs`, { retention: this.logRetention });
    this.logGroups.set(id, logGroup);
    const role = new iam.Role(this.scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `SharedClusterSnapshots ${id} handler`,
    });
    logGroup.grantWrite(role);
    for (const statement of [...statements, ...this.settings.roleStatements()]) role.addToPrincipalPolicy(statement);
    return new fn(this.scope, id, { role, logGroup, environment, timeout, ...this.settings.options, description: FUNCTION_DESCRIPTIONS[id] });
  }

  /** The log group of a function this factory created. */
  public logGroupOf(fn: lambda.IFunction): logs.ILogGroup {
    const logGroup = this.logGroups.get(fn.node.id as HandlerName);
    if (!logGroup) throw new Error(`${fn.node.path} was not created by this factory`);
    return logGroup;
  }
}
