/**
 * EventBridge in process, for the handoff simulation: a default bus per account, the bus policies
 * (AWS::Events::EventBusPolicy) and rules (AWS::Events::Rule) of every deployed template, PutEvents
 * with the cross-account check, and delivery to each matching rule's targets.
 *
 * - "A default event bus accepts events from its own account only; a bus policy lets other accounts
 *   put events" (aws-facts.md, "EventBridge"). A cross-account entry the policy does not allow is
 *   answered as a failed entry with ErrorCode `AccessDeniedException` (the PutEventsResultEntry
 *   shape of the SDK model; whether AWS fails the entry or the whole call is not confirmed).
 * - The event's `account` is the sender's account: EventBridge sets it, the sender cannot.
 * - The state machine's own IAM permission for events:PutEvents is not checked here.
 */
import { randomUUID } from 'crypto';
import { REGION } from './aws-env';
import { matchesPattern } from './event-pattern';

export interface BusEvent {
  readonly 'version': '0';
  readonly 'id': string;
  readonly 'detail-type': string;
  readonly 'source': string;
  readonly 'account': string;
  readonly 'time': string;
  readonly 'region': string;
  readonly 'resources': string[];
  readonly 'detail': any;
}

/** A PutEvents entry (SDK model PutEventsRequestEntry). */
export interface PutEventsEntry {
  readonly EventBusName?: string;
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string | object;
  readonly Resources?: string[];
}

/** PutEventsResponse (SDK model): one result entry per request entry, in order. */
export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

/** What happened to one entry. */
export interface EventRecord {
  readonly at: number;
  readonly from: string;
  /** The bus's account. */
  readonly to: string;
  readonly event: BusEvent;
  readonly outcome: 'delivered' | 'refused' | 'dropped';
  /** The rules it matched (logical ids), when delivered. */
  readonly rules: string[];
}

export interface EventFaults {
  /** Drops an accepted event before any rule sees it (an event lost in transit). */
  readonly drop?: (event: BusEvent, busAccount: string) => boolean;
}

interface Rule {
  readonly account: string;
  readonly logicalId: string;
  readonly pattern: Record<string, unknown>;
  readonly targets: { Arn: string; Input?: string; InputPath?: string }[];
}

interface PolicyStatement {
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Where a rule's target sends the event: a Lambda function or a state machine, by ARN. */
export type TargetInvoker = (account: string, targetArn: string, input: unknown, event: BusEvent) => Promise<unknown>;

export class EventBuses {
  public readonly records: EventRecord[] = [];
  public faults: EventFaults = {};
  private readonly rules: Rule[] = [];
  private readonly policies = new Map<string, PolicyStatement[]>();
  private pending = 0;

  constructor(private readonly invokeTarget: TargetInvoker) {}

  /** Reads the bus policies and rules of a template deployed to `account` (intrinsics resolved by `resolve`). */
  public addTemplate(account: string, template: { Resources: Record<string, any> }, resolve: (v: unknown) => unknown): void {
    for (const [logicalId, r] of Object.entries(template.Resources)) {
      if (r.Type !== 'AWS::Events::EventBusPolicy' && r.Type !== 'AWS::Events::Rule') continue;
      const props = resolve(r.Properties ?? {}) as Record<string, any>;
      if (r.Type === 'AWS::Events::EventBusPolicy') {
        if (busName(props.EventBusName) !== 'default') continue;
        // The Statement property, or the older Action/Principal/Condition properties.
        const statement = props.Statement ?? { Effect: 'Allow', Action: props.Action, Principal: props.Principal === '*' ? '*' : { AWS: props.Principal } };
        this.policies.set(account, [...(this.policies.get(account) ?? []), statement]);
      }
      if (r.Type === 'AWS::Events::Rule' && props.EventPattern && (props.State ?? 'ENABLED') === 'ENABLED' && busName(props.EventBusName) === 'default') {
        this.rules.push({ account, logicalId, pattern: props.EventPattern, targets: props.Targets ?? [] });
      }
    }
  }

  /** PutEvents from `caller` (SDK model PutEventsRequest/PutEventsResponse). */
  public putEvents(caller: string, entries: readonly PutEventsEntry[]): PutEventsResult {
    const results = entries.map((entry) => {
      const to = busAccount(entry.EventBusName, caller);
      const event: BusEvent = {
        'version': '0',
        'id': randomUUID(),
        'detail-type': entry.DetailType ?? '',
        'source': entry.Source ?? '',
        'account': caller,
        'time': new Date().toISOString(),
        'region': REGION,
        'resources': [...(entry.Resources ?? [])],
        'detail': typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail ?? {},
      };
      if (to !== caller && !this.allows(to, caller, event)) {
        this.records.push({ at: Date.now(), from: caller, to, event, outcome: 'refused', rules: [] });
        return { ErrorCode: 'AccessDeniedException', ErrorMessage: `The policy of the default bus of ${to} does not allow account ${caller} to put this event` };
      }
      if (this.faults.drop?.(event, to)) {
        this.records.push({ at: Date.now(), from: caller, to, event, outcome: 'dropped', rules: [] });
        return { EventId: event.id };
      }
      const rules = this.rules.filter((rule) => rule.account === to && matchesPattern(rule.pattern, event));
      this.records.push({ at: Date.now(), from: caller, to, event, outcome: 'delivered', rules: rules.map((r) => r.logicalId) });
      for (const rule of rules) for (const target of rule.targets) this.deliver(to, target, event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  /** Deliveries still in progress (a target's invocation). */
  public get inFlight(): number {
    return this.pending;
  }

  /** Events that reached (or were refused or dropped on the way to) `account`'s bus. */
  public to(account: string, detailType?: string): EventRecord[] {
    return this.records.filter((r) => r.to === account && (!detailType || r.event['detail-type'] === detailType));
  }

  /** Delivered asynchronously, as EventBridge does: the sender's PutEvents does not wait for the target. */
  private deliver(account: string, target: Rule['targets'][number], event: BusEvent): void {
    if (target.Arn.includes(':event-bus/')) {
      this.forward(account, target.Arn, event);
      return;
    }
    const input = target.Input !== undefined ? JSON.parse(target.Input) : target.InputPath ? pathOf(event, target.InputPath) : event;
    this.pending++;
    setTimeout(() => {
      this.invokeTarget(account, target.Arn, input, event).catch(() => undefined).finally(() => this.pending--);
    }, 0);
  }

  /**
   * A rule whose target is another account's bus sends the event on, unchanged (its `account` stays
   * the original sender's), if that bus's policy allows the rule's account (EventBridge User Guide,
   * "Sending and receiving events between AWS accounts"). The rule's role is not checked.
   */
  private forward(from: string, busArn: string, event: BusEvent): void {
    const to = busAccount(busArn, from);
    if (to !== from && !this.allows(to, from, event)) {
      this.records.push({ at: Date.now(), from, to, event, outcome: 'refused', rules: [] });
      return;
    }
    const rules = this.rules.filter((rule) => rule.account === to && matchesPattern(rule.pattern, event));
    this.records.push({ at: Date.now(), from, to, event, outcome: 'delivered', rules: rules.map((r) => r.logicalId) });
    for (const rule of rules) for (const target of rule.targets) if (!target.Arn.includes(':event-bus/')) this.deliver(to, target, event);
  }

  private allows(busOwner: string, caller: string, event: BusEvent): boolean {
    const bus = `arn:aws:events:${REGION}:${busOwner}:event-bus/default`;
    return (this.policies.get(busOwner) ?? []).some((s) => s.Effect === 'Allow'
      && principalMatches(s.Principal, caller)
      && list(s.Action).some((a) => a === 'events:PutEvents' || a === 'events:*')
      && (s.Resource === undefined || list(s.Resource).some((r) => r === bus || r === '*'))
      && conditionsHold(s.Condition, event));
  }
}

function busName(name: unknown): string {
  const n = typeof name === 'string' ? name : 'default';
  return n.startsWith('arn:') ? n.split('/').pop()! : n;
}

/** The account of the bus an entry names: a bus ARN names its account; a name is the caller's own bus. */
function busAccount(name: string | undefined, caller: string): string {
  if (name?.startsWith('arn:')) {
    if (busName(name) !== 'default') throw new Error(`The simulator has only default buses, not ${name}`);
    return name.split(':')[4];
  }
  if (name !== undefined && name !== 'default') throw new Error(`The simulator has only default buses, not ${name}`);
  return caller;
}

function principalMatches(principal: unknown, caller: string): boolean {
  if (principal === '*') return true;
  const aws = list((principal as { AWS?: string | string[] } | undefined)?.AWS);
  return aws.some((p) => p === '*' || p === caller || p === `arn:aws:iam::${caller}:root`);
}

/** StringEquals and StringLike on events:source, events:detail-type and events:account; any other condition does not hold. */
function conditionsHold(condition: PolicyStatement['Condition'], event: BusEvent): boolean {
  const context: Record<string, string> = { 'events:source': event.source, 'events:detail-type': event['detail-type'], 'events:account': event.account };
  return Object.entries(condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, values]) => {
    const actual = context[key];
    if (actual === undefined) return false;
    if (operator === 'StringEquals') return list(values).includes(actual);
    if (operator === 'StringLike') return list(values).some((v) => new RegExp(`^${v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(actual));
    return false;
  }));
}

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function pathOf(event: BusEvent, path: string): unknown {
  return path.replace(/^\$\.?/, '').split('.').filter(Boolean).reduce<any>((v, key) => v?.[key], event);
}
