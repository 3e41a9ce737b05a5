import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { retryTransient } from './retry.lambda-shared';
import { instanceSelection } from './selection.lambda-shared';
import { tagValue } from './tags.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { isValidIdentifier } from '../../shared/naming.lambda-shared';

/**
 * The explicit instance ids, plus every DB instance carrying the instance tag (paged), without
 * duplicates, sorted. An Aurora member or a read replica that carries the tag is kept: its run
 * fails by name (InstanceIsClusterMember, InstanceIsReadReplica), so a wrong tag is seen and fixed.
 */
export async function resolveInstances(): Promise<string[]> {
  const selection = instanceSelection();
  const instances = new Set(selection.instanceIdentifiers);
  if (selection.tag) {
    let marker: string | undefined;
    do {
      const page = await retryTransient(() => rds.send(new DescribeDBInstancesCommand({ MaxRecords: 100, Marker: marker })));
      for (const instance of page.DBInstances ?? []) {
        const id = instance.DBInstanceIdentifier;
        if (id && isValidIdentifier(id) && isRdsEngine(instance.Engine) && tagValue(instance.TagList, selection.tag.key) === selection.tag.value) {
          instances.add(id.toLowerCase());
        }
      }
      marker = page.Marker;
    } while (marker);
  }
  return [...instances].sort();
}

/** DescribeDBInstances also lists Neptune and DocumentDB instances, which this library does not snapshot. */
function isRdsEngine(engine: string | undefined): boolean {
  return engine === undefined || !/^(neptune|docdb)/.test(engine);
}
