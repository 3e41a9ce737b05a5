import { Token } from 'aws-cdk-lib';
import type { Duration } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { EndpointRecord } from './endpoint-record';
import type { ResolvedEndpointRecord } from './record-swap-steps';
import { DEFAULT_ENDPOINT_RECORD_TTL_SECONDS } from '../shared/constants';

/* The rules of `endpointRecord`, checked at synth, and the record as the workflow and handlers use it. */

/**
 * The record's fully qualified name, as Route 53 normalizes it (lowercase, no trailing dot):
 * `recordName` when it ends with the zone's name, else `recordName` within the zone.
 */
export function recordFqdn(record: EndpointRecord): string {
  const zone = record.zone.zoneName.toLowerCase().replace(/\.$/, '');
  const name = record.recordName.toLowerCase().replace(/\.$/, '');
  return name === zone || name.endsWith(`.${zone}`) ? name : `${name}.${zone}`;
}

/**
 * Why `record` cannot be used, if it cannot: a public zone, a zone without a known name, a bad name
 * or TTL, or a previous database deleted while resolvers may still answer with its endpoint.
 */
export function endpointRecordProblems(record: EndpointRecord, keepPrevious?: Duration): string[] {
  const problems: string[] = [];
  const keep = keepPrevious?.toSeconds({ integral: false });
  const ttlSeconds = record.ttl?.toSeconds({ integral: false }) ?? DEFAULT_ENDPOINT_RECORD_TTL_SECONDS;
  if (keep !== undefined && !Token.isUnresolved(keep) && !Token.isUnresolved(ttlSeconds) && keep < ttlSeconds) {
    problems.push(`keepPrevious (${keepPrevious!.toString()}) must be at least endpointRecord.ttl (${ttlSeconds} seconds): resolvers may answer with the previous database's endpoint that long`);
  }
  if (record.zone instanceof route53.PublicHostedZone) {
    problems.push(`endpointRecord.zone must be a private hosted zone (the record names a database inside a VPC), got the public zone '${record.zone.zoneName}'`);
  }
  let zoneName: string | undefined;
  try {
    zoneName = record.zone.zoneName;
  } catch {
    problems.push('endpointRecord.zone must know its name: import it with HostedZone.fromHostedZoneAttributes({ hostedZoneId, zoneName }), not fromHostedZoneId');
  }
  const name = record.recordName;
  if (zoneName !== undefined && !Token.isUnresolved(name) && !Token.isUnresolved(zoneName)) {
    const fqdn = recordFqdn(record);
    const labels = fqdn.split('.');
    if (fqdn.length > MAX_DNS_NAME_LENGTH || labels.some((l) => !DNS_LABEL.test(l)) || fqdn === zoneName.replace(/\.$/, '')) {
      problems.push(`endpointRecord.recordName must be a name within the zone '${zoneName}' (labels of 1-63 letters, digits and hyphens, `
        + `at most ${MAX_DNS_NAME_LENGTH} characters in all, not the zone's own name), got '${name}'`);
    }
  } else if (Token.isUnresolved(name)) {
    problems.push(`endpointRecord.recordName must be literal (IAM is scoped to it), got '${name}'`);
  }
  const ttl = record.ttl?.toSeconds({ integral: false });
  if (ttl !== undefined && (Token.isUnresolved(ttl) || ttl < 0 || ttl > MAX_TTL_SECONDS || ttl % 1 !== 0)) {
    problems.push(`endpointRecord.ttl must be a whole number of seconds from 0 to 1 day, got ${record.ttl!.toString()}`);
  }
  return problems;
}

/** What the workflow and the handlers need of the record. */
export function resolveEndpointRecord(record: EndpointRecord): ResolvedEndpointRecord {
  return {
    zoneId: record.zone.hostedZoneId,
    zoneArn: record.zone.hostedZoneArn,
    name: recordFqdn(record),
    ttl: record.ttl?.toSeconds() ?? DEFAULT_ENDPOINT_RECORD_TTL_SECONDS,
  };
}

/** A DNS label as Route 53 takes it for a record a client resolves (RFC 1123 host name rules). */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const MAX_DNS_NAME_LENGTH = 253;
const MAX_TTL_SECONDS = 86_400;
