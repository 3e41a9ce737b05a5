import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REGION } from './aws-env';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../src';

type CfnTemplate = { Resources: Record<string, any> };

/**
 * Synthesizes a stack in `account` holding one ReceivedClusterSnapshots with `props` (or the props
 * made in that stack, e.g. with keys imported into it), and returns its template.
 */
export function synthesizeReceiverTemplate(
  account: string,
  props: ReceivedClusterSnapshotsProps | ((stack: Stack) => ReceivedClusterSnapshotsProps),
  stackName = 'ReceivedSnapshotsExample',
): CfnTemplate {
  const app = new App();
  const stack = new Stack(app, stackName, { env: { account, region: REGION } });
  new ReceivedClusterSnapshots(stack, 'Received', typeof props === 'function' ? props(stack) : props);
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}
