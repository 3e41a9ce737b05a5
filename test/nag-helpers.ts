import { Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import {
  AwsSolutionsChecks, INagLogger, NagLoggerComplianceData, NagLoggerErrorData, NagLoggerNonComplianceData,
  NagLoggerNotApplicableData, NagLoggerSuppressedData, NagLoggerSuppressedErrorData,
} from 'cdk-nag';
import { CDK_NAG_METADATA_KEY } from '../src/shared/nag';

/*
 * What the cdk-nag tests of both constructs (test/sharing/construct/nag.test.ts, test/receiving/nag.test.ts)
 * read: the findings cdk-nag reports, the suppressions it used, and the `cdk_nag` metadata written.
 */

/** An AwsSolutions finding, as cdk-nag annotates it. */
export const NAG_FINDING = Match.stringLikeRegexp('AwsSolutions-.*');

/** One suppression as written in the `cdk_nag` metadata. */
export interface CfnRule {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: Array<string | { regex: string }>;
}

/** Collects what cdk-nag suppressed, to prove every suppression is used. */
export class SuppressedFindings implements INagLogger {
  public readonly suppressed: Array<{ path: string; ruleId: string; findingId: string }> = [];
  public onSuppressed(data: NagLoggerSuppressedData): void {
    this.suppressed.push({ path: data.resource.node.path, ruleId: data.ruleId, findingId: data.findingId });
  }
  public onCompliance(_data: NagLoggerComplianceData): void {}
  public onNonCompliance(_data: NagLoggerNonComplianceData): void {}
  public onError(_data: NagLoggerErrorData): void {}
  public onSuppressedError(_data: NagLoggerSuppressedErrorData): void {}
  public onNotApplicable(_data: NagLoggerNotApplicableData): void {}
}

/** Adds the AwsSolutions checks to `stack`; they run when it is synthesized. Returns what they will suppress. */
export function runNag(stack: Stack): SuppressedFindings {
  const logger = new SuppressedFindings();
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true, additionalLoggers: [logger] }));
  return logger;
}

/** The cdk_nag rules on every CfnResource in the stack, by construct path. */
export function nagRules(stack: Stack): Map<string, CfnRule[]> {
  const rules = new Map<string, CfnRule[]>();
  for (const child of stack.node.findAll()) {
    if (!(child instanceof CfnResource)) continue;
    const metadata = child.getMetadata(CDK_NAG_METADATA_KEY) as { rules_to_suppress?: CfnRule[] } | undefined;
    if (metadata?.rules_to_suppress) rules.set(child.node.path, metadata.rules_to_suppress);
  }
  return rules;
}
