/**
 * Route 53 in process: private hosted zones, their record sets, ChangeResourceRecordSets and
 * GetChange, as the Route 53 API reference describes them (shapes of the API model:
 * `ChangeBatch`/`Change`/`ResourceRecordSet`, `ChangeInfo`):
 * - A change batch is applied as a whole or not at all. `CREATE` fails when the record set exists,
 *   `DELETE` when it does not or its TTL and values differ, `UPSERT` creates or replaces it;
 *   a refused batch is `InvalidChangeBatch` (API_ChangeResourceRecordSets.html).
 * - A CNAME cannot share its name with a record set of another type (RFC 1034 section 3.6.2;
 *   Route 53 refuses it with InvalidChangeBatch).
 * - A change is `PENDING` until every Route 53 authoritative server has it, then `INSYNC`
 *   (API_GetChange.html); Route 53 says changes propagate "within 60 seconds" (Route 53 FAQ): here
 *   after `syncMs`. Until then the name answers with its value before the change (some servers
 *   answer with the new one sooner: not modelled). Resolvers' caching (the TTL) is not modelled.
 * - Errors reach Step Functions as `Route53.<exception>` (the AWS SDK integrations' naming pattern in
 *   the Step Functions Developer Guide; not confirmed for Route 53 itself).
 */
import { lambdaError } from './lambda-faults';

export interface RecordSet {
  readonly Name: string;
  readonly Type: string;
  readonly TTL?: number;
  readonly ResourceRecords?: Array<{ Value: string }>;
}

interface Change {
  readonly Action: 'CREATE' | 'DELETE' | 'UPSERT';
  readonly ResourceRecordSet: RecordSet;
}

/** What a name answered with from `from` on (until the next entry): a record set, or undefined once deleted. */
export interface RecordAnswer {
  readonly zoneId: string;
  readonly name: string;
  readonly from: number;
  readonly value?: string;
}

interface ChangeInfo {
  readonly id: string;
  readonly submittedAt: number;
}

export class FakeRoute53 {
  /** Record sets by zone id, then by `<name> <type>`. */
  public readonly zones = new Map<string, Map<string, RecordSet>>();
  /** Every answer a CNAME's name gave over time (the value before a change until it is in sync). */
  public readonly answers: RecordAnswer[] = [];
  public readonly changes: Array<{ id: string; zoneId: string; at: number; changes: Change[] }> = [];
  private readonly infos = new Map<string, ChangeInfo>();

  constructor(private readonly now: () => number, public syncMs = 60_000) {}

  /** A private hosted zone, by its id (as a template's zone would have). */
  public addZone(zoneId: string): void {
    if (!this.zones.has(zoneId)) this.zones.set(zoneId, new Map());
  }

  /** A Step Functions AWS SDK integration call (`arn:aws:states:::aws-sdk:route53:<action>`). */
  public call(action: string, input: any): unknown {
    switch (action) {
      case 'changeResourceRecordSets': return this.changeResourceRecordSets(input.HostedZoneId, input.ChangeBatch?.Changes ?? []);
      case 'getChange': return this.getChange(input.Id);
      default: throw lambdaError('Route53.InvalidInputException', `The simulator has no Route 53 ${action}`);
    }
  }

  /**
   * How long, within [from, to], `name` answered with nothing a client could connect to: no value,
   * or an endpoint `reaches` says resolves to no database at that moment (checked every `stepMs`).
   */
  public unreachableMs(name: string, from: number, to: number, reaches: (endpoint: string, at: number) => boolean, stepMs = 1000): number {
    let missing = 0;
    for (let at = from; at < to; at += stepMs) {
      const value = this.resolve(name, at);
      if (!value || !reaches(value, at)) missing += Math.min(stepMs, to - at);
    }
    return missing;
  }

  /** The value `name` answers with at `at` (its CNAME's value), or undefined. */
  public resolve(name: string, at = this.now()): string | undefined {
    const known = this.answers.filter((a) => a.name === normalize(name) && a.from <= at);
    return known.reduce<RecordAnswer | undefined>((latest, a) => (!latest || a.from >= latest.from ? a : latest), undefined)?.value;
  }

  private changeResourceRecordSets(zoneId: string, changes: Change[]) {
    const zone = this.zones.get(zoneId.replace(/^\/hostedzone\//, ''));
    if (!zone) throw lambdaError('Route53.NoSuchHostedZoneException', `No hosted zone found with ID: ${zoneId}`);
    const next = new Map(zone);
    for (const { Action, ResourceRecordSet: set } of changes) {
      const key = `${normalize(set.Name)} ${set.Type}`;
      const existing = next.get(key);
      if (Action === 'CREATE' && existing) throw invalid(`it already exists: ${key}`);
      if (Action === 'DELETE' && (!existing || JSON.stringify(existing) !== JSON.stringify(normalized(set)))) throw invalid(`it was not found or its values differ: ${key}`);
      const clash = [...next.values()].find((s) => normalize(s.Name) === normalize(set.Name) && s.Type !== set.Type && (s.Type === 'CNAME' || set.Type === 'CNAME'));
      if (Action !== 'DELETE' && clash) throw invalid(`RRSet of type ${set.Type} with DNS name ${set.Name} is not permitted because a conflicting RRSet of type ${clash.Type} exists`);
      if (Action === 'DELETE') next.delete(key);
      else next.set(key, normalized(set));
    }
    const at = this.now();
    const id = `/change/C${String(this.changes.length + 1).padStart(12, '0')}`;
    zone.clear();
    for (const [k, v] of next) zone.set(k, v);
    this.changes.push({ id, zoneId, at, changes });
    this.infos.set(id, { id, submittedAt: at });
    for (const { Action, ResourceRecordSet: set } of changes) {
      if (set.Type !== 'CNAME') continue;
      this.answers.push({ zoneId, name: normalize(set.Name), from: at + this.syncMs, value: Action === 'DELETE' ? undefined : set.ResourceRecords?.[0]?.Value });
    }
    return { ChangeInfo: { Id: id, Status: 'PENDING', SubmittedAt: new Date(at).toISOString() } };
  }

  private getChange(id: string) {
    const info = this.infos.get(id) ?? this.infos.get(`/change/${id}`);
    if (!info) throw lambdaError('Route53.NoSuchChangeException', `A change with the specified change ID does not exist: ${id}`);
    const status = this.now() >= info.submittedAt + this.syncMs ? 'INSYNC' : 'PENDING';
    return { ChangeInfo: { Id: info.id, Status: status, SubmittedAt: new Date(info.submittedAt).toISOString() } };
  }
}

/** Route 53 compares names in lowercase, without the trailing dot. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function normalized(set: RecordSet): RecordSet {
  return { Name: normalize(set.Name), Type: set.Type, TTL: set.TTL, ResourceRecords: set.ResourceRecords };
}

function invalid(why: string): Error {
  return lambdaError('Route53.InvalidChangeBatchException', `[Tried to change a resource record set, but ${why}]`);
}
