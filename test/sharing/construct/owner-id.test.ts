import { App, NestedStack, Stack, Stage, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { SharedClusterSnapshots } from '../../../src';
import { ownerDiscriminator, snapshotIdentifier } from '../../../src/shared/naming.lambda-shared';

// Issue 8, item 5: two instances with default props on the same clusters and schedule, in one app
// or in two apps deployed to the same account and Region, must own and name their snapshots apart.

const ENV = { account: '111111111111', region: 'eu-west-1' };
const PROPS = { clusterIdentifiers: ['orders-db'], targetAccountIds: ['222222222222'] };

/** The instance at `Snapshots` in a stack `Platform` of a fresh app, deployed under `stackName`. */
function instanceInApp(stackName: string): SharedClusterSnapshots {
  const stack = new Stack(new App(), 'Platform', { env: ENV, stackName });
  return new SharedClusterSnapshots(stack, 'Snapshots', PROPS);
}

function ownerIdsInTemplate(stack: Stack): unknown[] {
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  return Object.values(functions).map((fn) => fn.Properties.Environment?.Variables?.OWNER_ID).filter((v) => v !== undefined);
}

describe('the owner id', () => {
  test('is <stack name>/<path below the stack>, a literal, and every handler gets it', () => {
    const construct = instanceInApp('team-a-snapshots');
    expect(construct.ownerId).toBe('team-a-snapshots/Snapshots');
    expect(Token.isUnresolved(construct.ownerId)).toBe(false);
    const ids = ownerIdsInTemplate(Stack.of(construct));
    expect(ids.length).toBeGreaterThanOrEqual(7);
    expect(new Set(ids)).toEqual(new Set([construct.ownerId]));
    // The starter too: its quota check credits this owner's snapshots of the run.
    const starter = Stack.of(construct).resolve((construct.starterFunction.node.defaultChild as CfnFunction).environment);
    expect(starter.variables.OWNER_ID).toBe(construct.ownerId);
  });

  test('two apps with the same construct path, deployed as two stacks to one account and Region, get distinct owners and names', () => {
    const a = instanceInApp('team-a-snapshots');
    const b = instanceInApp('team-b-snapshots');
    // The previous owner id, node.addr, hashes the construct path only: it is the same for both.
    expect(a.node.addr).toBe(b.node.addr);
    expect(a.ownerId).not.toBe(b.ownerId);
    const name = (c: SharedClusterSnapshots) => snapshotIdentifier({ prefix: 'shared', ownerId: c.ownerId }, 'orders-db', '202611270200', 'shared');
    expect(name(a)).not.toBe(name(b));
    expect(name(a)).toBe(`shared-orders-db-202611270200-${ownerDiscriminator('team-a-snapshots/Snapshots')}`);
  });

  test('two instances in one stack get distinct owners', () => {
    const stack = new Stack(new App(), 'Platform', { env: ENV });
    const first = new SharedClusterSnapshots(stack, 'First', PROPS);
    const second = new SharedClusterSnapshots(stack, 'Second', PROPS);
    expect([first.ownerId, second.ownerId]).toEqual(['Platform/First', 'Platform/Second']);
  });

  test('the path below the stack is used, not the stack\'s own path (stacks in a stage)', () => {
    const stage = new Stage(new App(), 'Prod');
    const stack = new Stack(stage, 'Platform', { env: ENV });
    const construct = new SharedClusterSnapshots(stack, 'Snapshots', PROPS);
    expect(stack.node.path).toBe('Prod/Platform');
    expect(construct.ownerId).toBe('Prod-Platform/Snapshots');
  });

  test('in a nested stack, whose name is a token, the owner id is a token resolved at deploy time', () => {
    const parent = new Stack(new App(), 'Parent', { env: ENV });
    const nested = new NestedStack(parent, 'Nested');
    const construct = new SharedClusterSnapshots(nested, 'Snapshots', PROPS);
    expect(Token.isUnresolved(construct.ownerId)).toBe(true);
    const [ownerId] = ownerIdsInTemplate(nested);
    // CloudFormation joins the nested stack's own name and the path.
    expect(JSON.stringify(ownerId)).toContain('Fn::Join');
    expect(JSON.stringify(ownerId)).toContain('/Snapshots');
  });
});
