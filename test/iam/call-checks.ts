/** The checks of the IAM call tests: a call as IAM authorizes it, decided against a synthesized role, and checked against the reference. */
import { actionOf, contextProblems, resourceTypesMatching } from './reference';
import type { SynthesizedStack } from './stacks';
import { AuthorizationRequest, evaluate, RequestContext } from '../../sim/iam-policy';

export interface Call extends AuthorizationRequest {
  readonly fn: string;
  readonly why: string;
}

export const call = (fn: string, action: string, resource: string, why: string, context: RequestContext = {}): Call =>
  ({ fn, action, resource, why, context });

export const asResourceTags = (tags: Record<string, string>): RequestContext =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
export const asRequestTags = (tags: Record<string, string>): RequestContext => ({
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  'aws:TagKeys': Object.keys(tags),
});

export function decide(s: SynthesizedStack, c: Call) {
  const role = c.fn === 'stateMachine' ? s.stateMachineRole : c.fn === 'scheduler' ? s.schedulerRole : s.roleOfFunction(c.fn);
  return evaluate(role.statements, c);
}

export async function referenceProblems(calls: Call[]): Promise<string[]> {
  const problems: string[] = [];
  for (const c of calls) {
    const details = await actionOf(c.action);
    if (!details) {
      problems.push(`${c.action} is not in the reference`);
      continue;
    }
    if (c.resource === '*' ? !details.isWildcardOnly : (await resourceTypesMatching(c.action, details, c.resource)).length === 0) {
      problems.push(`${c.action} does not take ${c.resource}`);
    }
    problems.push(...(await contextProblems(c.context ?? {})).map((p) => `${c.action}: ${p}`));
  }
  return problems;
}

export const denied = (s: SynthesizedStack, calls: Call[]) => calls.filter((c) => !decide(s, c).allowed).map((c) => `${c.fn}: ${c.action} on ${c.resource} (${c.why})`);
export const allowed = (s: SynthesizedStack, calls: Call[]) => calls.filter((c) => decide(s, c).allowed).map((c) => `${c.fn}: ${c.action} on ${c.resource} (${c.why})`);
