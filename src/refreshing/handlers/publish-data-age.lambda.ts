import { databaseKind } from './kind.lambda-shared';
import { asOwnDatabase } from './ownership.lambda-shared';
import { refreshSettings } from './settings.lambda-shared';
import { NO_COPY_AGE_SECONDS, REFRESH_METRIC, SILENT_LOGS_VARIABLE } from '../../shared/constants';

export interface DataAge {
  readonly databaseIdentifier: string;
  /** Seconds since the serving database's source snapshot was taken; `NO_COPY_AGE_SECONDS` when none of this instance's serves. */
  readonly ageSeconds: number;
  readonly sourceSnapshotTime?: string;
}

/**
 * Publishes the age of the data the stable identifier serves (hourly): the time since the source
 * snapshot of the copy it was restored from was taken. A missing or foreign database publishes an
 * age far past any `maxDataAge`, so the staleness alarm fires.
 */
export async function handler(): Promise<DataAge> {
  const settings = refreshSettings();
  const now = Date.now();
  const view = await databaseKind(settings.kind).describe(settings.databaseIdentifier);
  const own = view && asOwnDatabase(view, settings);
  const time = own ? Date.parse(own.sourceSnapshotTime) : NaN;
  const age: DataAge = {
    databaseIdentifier: settings.databaseIdentifier,
    ageSeconds: Number.isNaN(time) ? NO_COPY_AGE_SECONDS : Math.max(0, Math.round((now - time) / 1000)),
    sourceSnapshotTime: own?.sourceSnapshotTime,
  };
  if (process.env[SILENT_LOGS_VARIABLE] !== 'true') console.log(JSON.stringify(dataAgeRecord(settings.ownerId, age, now)));
  return age;
}

/** One embedded-metric-format record: the age under the owner id (what the alarm watches), with the database as a property. */
export function dataAgeRecord(ownerId: string, age: DataAge, now: number): Record<string, unknown> {
  const { namespace, servingDataAge, ownerDimension, databaseDimension } = REFRESH_METRIC;
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[ownerDimension]], Metrics: [{ Name: servingDataAge, Unit: 'Seconds' }] }],
    },
    [ownerDimension]: ownerId,
    [databaseDimension]: age.databaseIdentifier,
    [servingDataAge]: age.ageSeconds,
  };
}
