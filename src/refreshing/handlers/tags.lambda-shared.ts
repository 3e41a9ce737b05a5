import { AddTagsToResourceCommand, MasterUserSecret, Tag } from '@aws-sdk/client-rds';
import type { DatabaseView } from './kind-types.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';

export function tagRecord(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
}

export function tagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Tags a database of either kind by its ARN (a tag key set again takes the new value). */
export async function tagDatabase(database: DatabaseView, tags: Record<string, string>): Promise<void> {
  await rds.send(new AddTagsToResourceCommand({ ResourceName: database.arn, Tags: tagList(tags) }));
}

/** The master user's secret as a database of either kind reports it (DBCluster and DBInstance alike). */
export function masterUserSecretOf(secret: MasterUserSecret | undefined): DatabaseView['masterUserSecret'] {
  return secret?.SecretArn ? { arn: secret.SecretArn, status: secret.SecretStatus ?? '' } : undefined;
}
