import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ReceivedClusterSnapshots } from 'cdk-shared-cluster-snapshots';

// The target account (222222222222 in the other examples), in the source's Region. The source
// account runs SharedClusterSnapshots with `notifyTargetAccounts: true`.
const app = new App();
const stack = new Stack(app, 'ReceivedSnapshots', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT ?? '222222222222', region: process.env.CDK_DEFAULT_REGION ?? 'eu-west-1' },
});

const topic = new sns.Topic(stack, 'StaleCopies', { displayName: 'Cluster snapshot copies are stale' });

const received = new ReceivedClusterSnapshots(stack, 'Received', {
  sourceAccountIds: [process.env.SOURCE_ACCOUNT_ID ?? '111111111111'],
  sourceSnapshotPrefix: 'shared',
  retainCopies: 7,
  maxCopyAge: Duration.hours(26),
  confirmCopies: true,
  alarmTopic: topic,
});

new CfnOutput(stack, 'CopyStateMachineArn', { value: received.stateMachine.stateMachineArn });
new CfnOutput(stack, 'CopyKeyArn', { value: received.encryptionKey.keyArn });
