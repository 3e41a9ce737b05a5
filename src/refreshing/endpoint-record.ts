import type { Duration } from 'aws-cdk-lib';
import type * as route53 from 'aws-cdk-lib/aws-route53';

/** A CNAME record in a private hosted zone that points at the serving database (`RefreshedDatabaseProps.endpointRecord`). */
export interface EndpointRecord {
  /**
   * The private hosted zone of the record. The refresh may change only this record (CNAME, this
   * name) in it.
   */
  readonly zone: route53.IHostedZone;

  /**
   * The record's name: within the zone (`orders-staging`), or fully qualified, ending with the
   * zone's name (`orders-staging.internal.example.com`).
   */
  readonly recordName: string;

  /**
   * The record's time to live: how long resolvers may keep answering with the previous database
   * after a swap. 0 to 1 day.
   *
   * @default Duration.seconds(60)
   */
  readonly ttl?: Duration;
}
