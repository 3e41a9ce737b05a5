import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/**
 * A step of your own that runs on each restored database before it serves: sanitize personal data,
 * run migrations, grant roles. It gets (as its event, or its execution's input) a
 * `PostRestoreInput`: the database's temporary identifier, endpoint, port, engine, the ARN of the
 * Secrets Manager secret that holds its new master password, and the copy it was restored from.
 * A failed invocation or execution, or one that outlasts `postRestoreTimeout`, abandons the refresh
 * (`PostRestoreFailed`): the restored database is deleted and the serving one stays.
 *
 * Its role is yours: grant it `secretsmanager:GetSecretValue` on the secrets RDS creates
 * (`arn:aws:secretsmanager:<region>:<account>:secret:rds!cluster-*`) and the network path to
 * the database's port. The refresh's state machine may only invoke it (or start and read its
 * executions).
 */
export class PostRestoreStep {
  /** Invoke a Lambda function, and wait for it to return. */
  public static fromFunction(fn: lambda.IFunction): PostRestoreStep {
    return new PostRestoreStep(fn, undefined);
  }

  /** Start an execution of a Standard state machine, and wait for it to succeed. */
  public static fromStateMachine(stateMachine: sfn.IStateMachine): PostRestoreStep {
    return new PostRestoreStep(undefined, stateMachine);
  }

  private constructor(
    /** The function, for `PostRestoreStep.fromFunction`. */
    public readonly lambdaFunction?: lambda.IFunction,
    /** The state machine, for `PostRestoreStep.fromStateMachine`. */
    public readonly stateMachine?: sfn.IStateMachine,
  ) {}
}
