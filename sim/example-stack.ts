import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../src';
import { ACCOUNT, REGION } from './fake-rds';

export const TARGET_ACCOUNTS = ['222222222222', '333333333333'];

/** Synthesizes a stack holding one SharedClusterSnapshots with `props`, and returns its template. */
export function synthesizeTemplate(props: Partial<SharedClusterSnapshotsProps> = {}): { Resources: Record<string, any> } {
  const app = new App();
  const stack = new Stack(app, 'SharedSnapshotsExample', { env: { account: ACCOUNT, region: REGION } });
  new SharedClusterSnapshots(stack, 'Snapshots', {
    targetAccountIds: TARGET_ACCOUNTS,
    ...props,
  } as SharedClusterSnapshotsProps);
  return Template.fromStack(stack).toJSON() as { Resources: Record<string, any> };
}
