import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, REGION } from './aws-env';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../src';

export const TARGET_ACCOUNTS = ['222222222222', '333333333333'];

type CfnTemplate = { Resources: Record<string, any> };

/** Synthesizes a stack holding one SharedClusterSnapshots with `props`, and returns its template. */
export function synthesizeTemplate(props: Partial<SharedClusterSnapshotsProps> = {}, stackName = 'SharedSnapshotsExample'): CfnTemplate {
  return synthesizeInstances({ Snapshots: props }, stackName);
}

/**
 * Synthesizes the app as `cdk synth` does (`app.synth()`, no assertions library), and returns the
 * stack's template from the cloud assembly: what the bench times.
 */
export function synthesizeApp(props: Partial<SharedClusterSnapshotsProps>, stackName = 'SharedSnapshotsExample'): CfnTemplate {
  const app = new App();
  const stack = new Stack(app, stackName, { env: { account: ACCOUNT, region: REGION } });
  new SharedClusterSnapshots(stack, 'Snapshots', { targetAccountIds: TARGET_ACCOUNTS, ...props } as SharedClusterSnapshotsProps);
  return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
}

/** Synthesizes one stack holding a SharedClusterSnapshots per entry (construct id → props). */
export function synthesizeInstances(instances: Record<string, Partial<SharedClusterSnapshotsProps>>, stackName = 'SharedSnapshotsExample'): CfnTemplate {
  const app = new App();
  const stack = new Stack(app, stackName, { env: { account: ACCOUNT, region: REGION } });
  for (const [id, props] of Object.entries(instances)) {
    new SharedClusterSnapshots(stack, id, { targetAccountIds: TARGET_ACCOUNTS, ...props } as SharedClusterSnapshotsProps);
  }
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}
