import * as cdk from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/*
 * cdk-nag 3 reads no `cdk_nag` metadata: it runs as a CDK validation plugin
 * (`Validations.of(app).addPlugins(new AwsSolutionsChecks(app))`) and skips a finding acknowledged
 * with `Validations.of(construct).acknowledge({ id, reason })` on the flagged resource or one of
 * its scopes. Its ids are the rule id, or `<rule id>[<finding>]` for rules with granular findings
 * (`AwsSolutions-IAM5[Resource::*]`), matched exactly: no prefix or pattern matching.
 *
 * `Validations` exists from aws-cdk-lib 2.257; this library supports 2.186, so it is looked up at
 * run time and these acknowledgments are simply not made where it is missing (cdk-nag 3 checks
 * nothing before 2.258 anyway: its plugin gets no construct tree there).
 */

/** One acknowledgment, as `Validations.acknowledge` takes it. */
export interface Acknowledgment {
  /** cdk-nag 3's finding id: `AwsSolutions-L1`, `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  readonly reason: string;
}

/** The part of aws-cdk-lib's `Validations` class (2.257 and later) this library uses. */
export interface NativeValidations {
  /** The construct metadata type acknowledgments are recorded under, which cdk-nag 3 reads. */
  readonly ACKNOWLEDGED_RULES_METADATA_KEY: string;
  of(scope: IConstruct): { acknowledge(...rules: Acknowledgment[]): void };
}

/** `Validations` of the given aws-cdk-lib module (by default the one loaded), or undefined before 2.257. */
export function nativeValidations(lib: object = cdk): NativeValidations | undefined {
  const candidate = (lib as { Validations?: Partial<NativeValidations> }).Validations;
  return typeof candidate?.of === 'function' && typeof candidate.ACKNOWLEDGED_RULES_METADATA_KEY === 'string'
    ? candidate as NativeValidations
    : undefined;
}

/**
 * Acknowledges each finding on `resource` through `Validations`, when this aws-cdk-lib has it.
 *
 * aws-cdk-lib from 2.257 to at least 2.268 refuses ids holding `::` more than once
 * (`InvalidValidationId`; fixed by aws/aws-cdk#38787, tried on 2.257.0, 2.268.0 and 2.278.0), and
 * every IAM5 finding on an ARN with `<AWS::Partition>` holds two (cdklabs/cdk-nag#2351).
 * Such an id is then recorded the way `acknowledge` records it, as metadata cdk-nag 3 reads, so
 * the finding is still acknowledged on that resource alone; an error there must not fail the
 * consumer's synth over an optional suppression.
 */
export function acknowledgeFindings(
  resource: IConstruct, acknowledgments: Acknowledgment[], validations: NativeValidations | undefined = nativeValidations(),
): void {
  if (validations === undefined) return;
  for (const acknowledgment of acknowledgments) {
    try {
      validations.of(resource).acknowledge(acknowledgment);
    } catch {
      resource.node.addMetadata(validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [acknowledgment.id]: acknowledgment.reason });
    }
  }
}
