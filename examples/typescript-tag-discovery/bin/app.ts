import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SharedClusterSnapshots } from 'cdk-shared-cluster-snapshots';

const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111';
const region = process.env.CDK_DEFAULT_REGION ?? 'eu-west-1';
const stack = new Stack(app, 'SharedSnapshotsByTag', { env: { account, region } });

// A key the target accounts already trust, managed elsewhere. Its key policy must let them use it
// (see "In the target account" in the README); the construct warns at synth time as a reminder.
const sharingKey = kms.Key.fromKeyArn(stack, 'SharingKey',
  process.env.SHARING_KEY_ARN ?? `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);

new SharedClusterSnapshots(stack, 'Snapshots', {
  // Every cluster tagged share-snapshots=true when a run starts; tag a new cluster to include it.
  clusterTag: { key: 'share-snapshots', value: 'true' },
  targetAccountIds: ['222222222222', '333333333333'],
  encryptionKey: sharingKey,
});
