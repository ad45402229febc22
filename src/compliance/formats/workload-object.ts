// The Kubernetes object a report entry is of, read back from the entry itself (its path and its evidence), for the formats that
// address objects (OpenReports and PolicyReport `scope`, OSCAL subjects). The report model names no object directly: a check
// input is `<file>#<Kind>/<name>[/<location>]`, a workload of an app is a construct path, and every evidence line of a
// Kubernetes checker starts with `<Kind> <name>` of the object it read.
import { createHash } from 'crypto';
import { compareCodeUnits } from '../../core/ordering';
import { Backend, WorkloadReport } from '../report-model';

/**
 * A reference to a Kubernetes object (the fields of `corev1.ObjectReference` the report can fill).
 *
 * @internal
 */
export interface KubernetesObjectReference {
  /** `apps/v1`, `batch/v1` or `v1` for the built-in workload kinds; absent for custom resources (the report does not keep it). */
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  /** The object's `metadata.namespace`; absent when the manifest sets none (the namespace of the apply context). */
  readonly namespace?: string;
}

/** The API version of each built-in kind with a pod template (the groups `isPodTemplateKind` accepts, at their GA version). */
const BUILT_IN_API_VERSIONS: Record<string, string> = {
  Pod: 'v1',
  ReplicationController: 'v1',
  PodTemplate: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

/** `<Kind> <name>` at the start of an evidence line: a kind is UpperCamelCase, a name a DNS-1123 subdomain. */
const EVIDENCE_OBJECT = /^([A-Z][A-Za-z0-9]*) ([a-z0-9]([-a-z0-9.]*[a-z0-9])?)[ :]/;
/** The workload's namespace as NET-1 and AVL-2 name it: `NetworkPolicy N (namespace ns)`, `... of namespace ns selects`. */
const EVIDENCE_NAMESPACE = [/^NetworkPolicy \S+ \(namespace ([a-z0-9]([-a-z0-9]*[a-z0-9])?)\)/, / of namespace ([a-z0-9]([-a-z0-9]*[a-z0-9])?) selects /];
/** The controls whose evidence names the workload's own namespace (every policy and budget they consider is of it). */
const NAMESPACE_CONTROLS = new Set(['NET-1', 'AVL-2']);

/**
 * The Kubernetes object of a report entry, or `undefined` for an ECS or image entry and for an entry that names no object.
 *
 * * kind and name: from the path of a `check` input (`<file>#<Kind>/<name>`), else from the evidence: the `<Kind> <name>` pair
 *   that most evidence lines start with, among the built-in workload kinds (our constructs render a Deployment, Job or
 *   CronJob) or of the entry's own kind (a foreign object of an app, a custom resource);
 * * namespace: from the evidence of NET-1 and AVL-2, which name the namespace of the workload whose policies and budgets they
 *   looked up; absent when they say `(unset)` or name none;
 * * apiVersion: the GA version of a built-in kind; absent for custom resources.
 *
 * @internal
 */
export function kubernetesObjectOf(workload: WorkloadReport): KubernetesObjectReference | undefined {
  if (workload.backend !== Backend.KUBERNETES) {
    return undefined;
  }
  const named = objectNamed(workload);
  if (!named) {
    return undefined;
  }
  const apiVersion = BUILT_IN_API_VERSIONS[named.kind];
  const namespace = namespaceOf(workload);
  return { ...(apiVersion ? { apiVersion } : {}), kind: named.kind, name: named.name, ...(namespace ? { namespace } : {}) };
}

function objectNamed(workload: WorkloadReport): { kind: string; name: string } | undefined {
  const hash = workload.path.lastIndexOf('#');
  if (hash >= 0) {
    const [kind, name] = workload.path.slice(hash + 1).split('/');
    if (kind && name) {
      return { kind, name };
    }
  }
  const counts = new Map<string, number>();
  for (const control of workload.controls) {
    for (const line of control.evidence) {
      const m = EVIDENCE_OBJECT.exec(line);
      if (m && (m[1] === workload.kind || BUILT_IN_API_VERSIONS[m[1]] !== undefined)) {
        const key = `${m[1]} ${m[2]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]));
  if (!best) {
    return undefined;
  }
  const [kind, name] = best[0].split(' ');
  return { kind, name };
}

function namespaceOf(workload: WorkloadReport): string | undefined {
  for (const control of workload.controls) {
    if (!NAMESPACE_CONTROLS.has(control.id)) {
      continue;
    }
    for (const line of control.evidence) {
      for (const pattern of EVIDENCE_NAMESPACE) {
        const m = pattern.exec(line);
        if (m) {
          return m[1];
        }
      }
    }
  }
  return undefined;
}

/**
 * A DNS-1123 label (at most 63 characters) for an object generated from a report entry: `prefix-<readable part>-<8 hex>`, the
 * hex a SHA-256 of `key`, so two entries never share a name and the same entry always gets the same one.
 *
 * @internal
 */
export function dnsLabelFor(prefix: string, readable: string, key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const room = 63 - prefix.length - hash.length - 2;
  const slug = readable.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, room).replace(/^-+|-+$/g, '');
  return slug ? `${prefix}-${slug}-${hash}` : `${prefix}-${hash}`;
}

/**
 * The time every report format writes where its schema requires one: `SOURCE_DATE_EPOCH` (seconds since 1970, the
 * reproducible-builds convention) when it holds a non-negative integer, else 0 (1970-01-01T00:00:00Z). Never the clock, so the
 * same report always renders to the same bytes.
 *
 * @internal
 */
export function reportEpochSeconds(env: Record<string, string | undefined> = process.env): number {
  const value = env.SOURCE_DATE_EPOCH;
  return value !== undefined && /^[0-9]{1,12}$/.test(value.trim()) ? Number(value.trim()) : 0;
}
