/* eslint-disable @typescript-eslint/no-explicit-any */
import { PodView, selects } from './manifest';
import { K8sObjectIndex, namespaceOf } from './object-index';
import { apiGroup } from './profile';

/**
 * Whether a signature policy applies to the pods of a workload: `yes`, `no`, or `unknown` (the output lacks what decides it,
 * e.g. the Namespace object a selector or label needs), with the reason.
 *
 * @internal
 */
export interface Applicability {
  readonly applies: 'yes' | 'no' | 'unknown';
  readonly reason: string;
}

/** One way a policy object verifies images: its patterns, whether it blocks, whether it reaches the workload. @internal */
export interface Verification {
  readonly policy: string;
  readonly path: string;
  readonly patterns: string[];
  readonly skipPatterns: string[];
  readonly engine: 'kyverno' | 'sigstore';
  readonly enforcing: boolean;
  readonly mode: string;
  readonly applicability: Applicability;
}

const yes = (reason = ''): Applicability => ({ applies: 'yes', reason });
const no = (reason: string): Applicability => ({ applies: 'no', reason });
const unknown = (reason: string): Applicability => ({ applies: 'unknown', reason });

/** Kyverno's wildcard match (`*` any run, `?` one character). */
function wildcard(pattern: string, value: string): boolean {
  const esc = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`).test(value);
}

/** The labels of the workload's namespace, or undefined when the Namespace object is not in the output. */
function namespaceLabels(ns: string, index: K8sObjectIndex): Record<string, string> | undefined {
  const obj = ns ? index.namespace(ns) : undefined;
  return obj ? obj.metadata?.labels ?? {} : undefined;
}

/**
 * Whether one Kyverno resource filter (`match.any[i]`, `exclude.any[i]`, or the legacy `match.resources`) selects the pods
 * of the workload: kinds must name Pod (or the workload's own kind: a rule on Deployments checks their pod template), `*` or
 * a `Group/Version/Kind` ending in one of them; namespaces, namespaceSelector and selector must select it; names, annotations,
 * subjects and roles narrow the match to something the output cannot decide.
 */
function filterSelects(filter: any, p: PodView, ns: string, index: K8sObjectIndex, exclude: boolean): Applicability {
  const resources = filter?.resources ?? {};
  // a match filter must list kinds; an exclude filter without kinds excludes every kind
  const kinds: string[] = Array.isArray(resources.kinds) ? resources.kinds.map(String) : exclude ? ['*'] : [];
  const kindOf = (k: string) => k.slice(k.lastIndexOf('/') + 1);
  if (!kinds.some((k) => ['Pod', '*', p.kind].includes(kindOf(k)))) {
    return no(`its rule matches kinds ${JSON.stringify(kinds)}, not Pod`);
  }
  if (Array.isArray(resources.operations) && !resources.operations.includes('CREATE')) {
    return no(`its rule matches operations ${JSON.stringify(resources.operations)} only`);
  }
  if (Array.isArray(resources.namespaces)) {
    if (!ns) {
      return unknown(`its rule matches namespaces ${JSON.stringify(resources.namespaces)}; the workload's namespace is not set in the output`);
    }
    if (!resources.namespaces.some((n: unknown) => wildcard(String(n), ns))) {
      return no(`its rule matches namespaces ${JSON.stringify(resources.namespaces)}, not ${ns}`);
    }
  }
  if (resources.namespaceSelector !== undefined) {
    const labels = namespaceLabels(ns, index);
    if (labels === undefined) {
      return unknown(`its rule matches a namespaceSelector; the Namespace ${ns || '(unset)'} is not in the output`);
    }
    if (!selects(resources.namespaceSelector, labels)) {
      return no(`its namespaceSelector does not select Namespace ${ns}`);
    }
  }
  if (resources.selector !== undefined && !selects(resources.selector, p.templateLabels)) {
    return no('its selector does not select the pod labels');
  }
  const narrowing = ['names', 'name', 'annotations'].filter((k) => resources[k] !== undefined)
    .concat(['subjects', 'roles', 'clusterRoles'].filter((k) => filter?.[k] !== undefined));
  if (narrowing.length > 0) {
    return unknown(`its rule narrows its match by ${narrowing.join(', ')}`);
  }
  return yes();
}

/** Combines the filters of `match`/`exclude`: `any` (one must select), `all` (every one must), or the legacy form. */
function blockSelects(block: any, p: PodView, ns: string, index: K8sObjectIndex, exclude = false): Applicability {
  if (!block || typeof block !== 'object') {
    return no('its rule has no match block');
  }
  if (Array.isArray(block.any) && block.any.length > 0) {
    const results = block.any.map((f: any) => filterSelects(f, p, ns, index, exclude));
    return results.find((r: Applicability) => r.applies === 'yes') ?? results.find((r: Applicability) => r.applies === 'unknown') ?? results[0];
  }
  if (Array.isArray(block.all) && block.all.length > 0) {
    const results = block.all.map((f: any) => filterSelects(f, p, ns, index, exclude));
    return results.find((r: Applicability) => r.applies === 'no') ?? results.find((r: Applicability) => r.applies === 'unknown') ?? results[0];
  }
  if (block.resources) {
    return filterSelects(block, p, ns, index, exclude);
  }
  return no('its rule has an empty match block');
}

/** Whether a Kyverno rule (match minus exclude, preconditions) reaches the workload's pods. */
function kyvernoRuleApplies(policy: any, rule: any, p: PodView, ns: string, index: K8sObjectIndex): Applicability {
  if (policy.kind === 'Policy' && namespaceOf(policy) !== ns) {
    return no(`it is a Policy of namespace ${namespaceOf(policy) || '(unset)'}`);
  }
  const match = blockSelects(rule?.match, p, ns, index);
  if (match.applies !== 'yes') {
    return match;
  }
  if (rule?.exclude) {
    const excluded = blockSelects(rule.exclude, p, ns, index, true);
    if (excluded.applies !== 'no') {
      return unknown('its rule has an exclude block that may exclude the workload');
    }
  }
  if (rule?.preconditions !== undefined) {
    return unknown('its rule has preconditions the checker does not evaluate');
  }
  return yes();
}

/** The failure action of a Kyverno verifyImages entry in the workload's namespace (default Audit). */
function kyvernoAction(spec: any, entry: any, ns: string): string {
  const override = (Array.isArray(spec.validationFailureActionOverrides) ? spec.validationFailureActionOverrides : [])
    .find((o: any) => ns && Array.isArray(o?.namespaces) && o.namespaces.some((n: unknown) => wildcard(String(n), ns)));
  return String(entry?.failureAction ?? override?.action ?? spec.validationFailureAction ?? 'Audit');
}

function kyvernoVerifications(policy: any, p: PodView, ns: string, index: K8sObjectIndex): Verification[] {
  const name = `${policy.kind} ${policy.metadata?.name ?? '(unnamed)'}`;
  const spec = policy.spec ?? {};
  const out: Verification[] = [];
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: any, i: number) => {
    (Array.isArray(rule?.verifyImages) ? rule.verifyImages : []).forEach((v: any, j: number) => {
      const attested = (v?.attestors ?? []).some((a: any) => (a?.entries ?? []).length > 0);
      if (!attested || v.required === false) {
        return;
      }
      const mode = kyvernoAction(spec, v, ns);
      out.push({
        policy: name,
        path: `spec.rules[${i}].verifyImages[${j}].imageReferences`,
        patterns: Array.isArray(v.imageReferences) ? v.imageReferences.map(String) : typeof v.image === 'string' ? [v.image] : [],
        skipPatterns: Array.isArray(v.skipImageReferences) ? v.skipImageReferences.map(String) : [],
        engine: 'kyverno',
        enforcing: mode.toLowerCase() === 'enforce',
        mode,
        applicability: kyvernoRuleApplies(policy, rule, p, ns, index),
      });
    });
  });
  return out;
}

/** A sigstore ClusterImagePolicy applies only in namespaces labelled `policy.sigstore.dev/include: "true"`. */
function sigstoreApplies(policy: any, ns: string, index: K8sObjectIndex): Applicability {
  const match = policy.spec?.match;
  if (Array.isArray(match) && match.length > 0 && !match.some((m: any) => (m?.resource ?? 'pods') === 'pods')) {
    return no('spec.match does not name pods');
  }
  const labels = namespaceLabels(ns, index);
  if (labels === undefined) {
    return unknown(`the policy-controller checks only namespaces labelled policy.sigstore.dev/include=true; the Namespace ${ns || '(unset)'} is not in the output: label it`);
  }
  return labels['policy.sigstore.dev/include'] === 'true' ? yes(` (Namespace ${ns} is labelled policy.sigstore.dev/include=true)`)
    : no(`Namespace ${ns} is not labelled policy.sigstore.dev/include=true, so the policy-controller does not check it`);
}

function sigstoreVerification(policy: any, ns: string, index: K8sObjectIndex): Verification[] {
  const spec = policy.spec ?? {};
  const authorities = Array.isArray(spec.authorities) ? spec.authorities : [];
  if (!authorities.some((a: any) => a?.key || a?.keyless)) {
    return [];
  }
  const mode = String(spec.mode ?? 'enforce');
  return [{
    policy: `${policy.kind} ${policy.metadata?.name ?? '(unnamed)'}`,
    path: 'spec.images[*].glob',
    patterns: (Array.isArray(spec.images) ? spec.images : []).map((i: any) => i?.glob).filter((g: unknown): g is string => typeof g === 'string'),
    skipPatterns: [],
    engine: 'sigstore',
    enforcing: mode === 'enforce',
    mode,
    applicability: sigstoreApplies(policy, ns, index),
  }];
}

/**
 * Every image verification of the app's signature policies, each with whether it reaches the workload's pods.
 *
 * @internal
 */
export function verificationsFor(p: PodView, index: K8sObjectIndex): Verification[] {
  const ns = p.namespace ?? '';
  return index.signaturePolicies.flatMap((policy) => (apiGroup(policy.apiVersion) === 'kyverno.io'
    ? kyvernoVerifications(policy, p, ns, index)
    : sigstoreVerification(policy, ns, index)));
}
