/* eslint-disable @typescript-eslint/no-explicit-any */
import { isPodTemplateKind, workloadScope } from './foreign';
import { Manifest, PodOwner, podSpecPath } from './manifest';
import { isPodSpec, jsonPath, kindLocations, PodSpecLocation } from './pod-spec-locations';
import { apiGroup } from './profile';
import { ControlScope } from '../../compliance/control';

/** How deep the generic fallback looks for pod specs inside an unknown kind's spec. */
const MAX_GENERIC_DEPTH = 8;

/** API groups of Kubernetes itself: their kinds are known, so the generic fallback does not search them. */
const BUILT_IN_GROUP = /^(|apps|batch|autoscaling|policy|extensions|[a-z0-9.-]*\.k8s\.io)$/;

/**
 * A prefix of evidence text to rewrite: the evaluated manifest names its own kind, name and pod spec path; the report names
 * the object of the output and the real path.
 *
 * @internal
 */
export interface EvidenceRename {
  readonly from: string;
  readonly to: string;
}

/**
 * One workload found in an object: the object itself (built-in kinds, Argo Rollout), or a pod spec inside a custom resource,
 * evaluated as a manifest that holds it.
 *
 * @internal
 */
export interface DiscoveredWorkload {
  /** The manifest evaluated (the object itself, a Job built from a Job template, or a holder of the pod spec). */
  readonly manifest: Manifest;
  /** The kind the report names: the object's. */
  readonly kind: string;
  /** Appended to the object's report path (`/workerGroupSpecs[0]`), '' for the object itself. */
  readonly suffix: string;
  readonly scope: ControlScope;
  /** The controller that manages replicas, rollout and job fields, if any. */
  readonly controller?: string;
  /** Evidence rewrites, applied in order. */
  readonly renames: EvidenceRename[];
  /** The object whose kind decides the workload profile when the manifest evaluated is of another kind (a Job template). */
  readonly owner?: PodOwner;
  /** Who renders the pods' NetworkPolicies at runtime (an operator), when they are not in the output by design. */
  readonly networkPoliciesBy?: string;
}

/** @internal */
export interface DiscoveredObjects {
  readonly workloads: DiscoveredWorkload[];
  readonly notEvaluated: Array<{ readonly suffix: string; readonly kind: string; readonly reason: string }>;
}

const nothing = (): DiscoveredObjects => ({ workloads: [], notEvaluated: [] });

/** Renames `<from>.` and `<from>=` (a path continues, or a value follows). */
const renamePath = (from: string, to: string): EvidenceRename[] => [{ from: `${from}.`, to: `${to}.` }, { from: `${from}=`, to: `${to}=` }];

/**
 * Applies evidence renames to a text.
 *
 * @internal
 */
export function renameEvidence(text: string, renames: EvidenceRename[]): string {
  return renames.reduce((t, r) => (t.includes(r.from) ? t.split(r.from).join(r.to) : t), text);
}

/** The manifest a pod-spec location is evaluated as, with the renames that make its evidence name the real object and path. */
function holderOf(owner: Manifest, location: PodSpecLocation): { manifest: Manifest; renames: EvidenceRename[] } {
  const name = String(owner.metadata?.name ?? owner.metadata?.generateName ?? '(unnamed)');
  const metadata = {
    name,
    namespace: owner.metadata?.namespace,
    labels: { ...(location.podMetadata?.labels ?? {}) },
    annotations: { ...(owner.metadata?.annotations ?? {}), ...(location.podMetadata?.annotations ?? {}) },
  };
  if (location.job) {
    const manifest = { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: location.job.spec };
    return { manifest, renames: renamePath(`Job ${name} spec`, `${owner.kind} ${name} ${location.job.path}`) };
  }
  const path = podSpecPath(owner.kind) ?? ['spec'];
  // a kind that shares its name with a built-in one (Volcano's Job) holds the pod spec where PodView looks for it
  const holderMetadata = path.length > 1 ? { name, namespace: metadata.namespace, annotations: metadata.annotations } : metadata;
  const manifest: Manifest = { apiVersion: owner.apiVersion, kind: owner.kind, metadata: holderMetadata };
  let at = manifest;
  path.forEach((segment, i) => {
    if (i === path.length - 1) {
      at[segment] = location.podSpec;
    } else {
      at[segment] = i === path.length - 2 ? { metadata: { labels: metadata.labels, annotations: metadata.annotations } } : {};
      at = at[segment];
    }
  });
  return { manifest, renames: renamePath(`${owner.kind} ${name} ${path.join('.')}`, `${owner.kind} ${name} ${location.path}`) };
}

/** Katib Experiment: the trial is an unstructured object (a Job, a PyTorchJob, ...) discovered in turn. */
function katibTrial(obj: Manifest, depth: number): DiscoveredObjects {
  const trial = obj.spec?.trialTemplate?.trialSpec;
  const name = String(obj.metadata?.name ?? obj.metadata?.generateName ?? '(unnamed)');
  if (!trial || typeof trial !== 'object') {
    return { workloads: [], notEvaluated: [{ suffix: '', kind: obj.kind, reason: 'no spec.trialTemplate.trialSpec (a trial from a ConfigMap is not in the output)' }] };
  }
  const nestedName = String(trial.metadata?.name ?? name);
  const nested = { ...trial, metadata: { ...trial.metadata, name: nestedName, namespace: obj.metadata?.namespace } };
  const found = discover(nested, depth + 1);
  const outer = { from: `${nested.kind} ${nestedName} `, to: `${obj.kind} ${name} spec.trialTemplate.trialSpec.` };
  return {
    workloads: found.workloads.map((w) => ({
      ...w, kind: obj.kind, suffix: `/trialTemplate.trialSpec${w.suffix}`, scope: ControlScope.JOB, renames: [...w.renames, outer],
    })),
    notEvaluated: found.notEvaluated.map((n) => ({ ...n, kind: obj.kind, suffix: `/trialTemplate.trialSpec${n.suffix}` })),
  };
}

/** The generic fallback: pod specs (containers with images) anywhere under `spec`, to a bounded depth. */
function genericPodSpecs(obj: Manifest): { locations: PodSpecLocation[]; strayImages: string[] } {
  const locations: PodSpecLocation[] = [];
  const strayImages: string[] = [];
  const walk = (value: any, segments: Array<string | number>, parent: any, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > MAX_GENERIC_DEPTH) {
      return;
    }
    if (isPodSpec(value)) {
      const metadata = segments[segments.length - 1] === 'spec' ? parent?.metadata : undefined;
      locations.push({ suffix: '', path: jsonPath(segments), podSpec: value, podMetadata: metadata });
      return;
    }
    if (!Array.isArray(value) && typeof value.image === 'string') {
      strayImages.push(jsonPath([...segments, 'image']));
    }
    const entries: Array<[string | number, any]> = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.keys(value).sort().map((k) => [k, value[k]]);
    for (const [key, child] of entries) {
      walk(child, [...segments, key], value, depth + 1);
    }
  };
  walk(obj.spec, ['spec'], obj, 0);
  return { locations, strayImages };
}

/**
 * Where an operator renders the NetworkPolicies of an object's pods at runtime (KubeRay `networkIsolation`), so that their
 * absence from the output proves nothing: NET-1 is then unverified, not violated.
 */
function operatorNetworkPolicies(obj: Manifest): string | undefined {
  if (!String(obj.apiVersion ?? '').startsWith('ray.io/')) {
    return undefined;
  }
  const field = ['networkIsolation', 'rayClusterSpec.networkIsolation', 'rayClusterConfig.networkIsolation']
    .find((path) => path.split('.').reduce((o: any, k) => (o && typeof o === 'object' ? o[k] : undefined), obj.spec) !== undefined);
  return field ? `the KubeRay operator, from spec.${field}` : undefined;
}

function fromLocations(obj: Manifest, locations: PodSpecLocation[], scope: ControlScope, controller: string | undefined): DiscoveredWorkload[] {
  return locations.map((location) => {
    const holder = holderOf(obj, location);
    // a Job built from a Job template keeps the owner's profile (a TrainingRuntime's job is a training job, not a generic Job)
    const owner = location.job ? { kind: String(obj.kind), apiVersion: obj.apiVersion, labels: location.podMetadata?.labels } : undefined;
    return {
      manifest: holder.manifest,
      kind: String(obj.kind),
      suffix: location.suffix,
      scope,
      controller,
      renames: holder.renames,
      owner,
      networkPoliciesBy: operatorNetworkPolicies(obj),
    };
  });
}

function discover(obj: Manifest, depth: number): DiscoveredObjects {
  if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string' || depth > 3) {
    return nothing();
  }
  const kind = obj.kind;
  const group = apiGroup(obj.apiVersion);
  if (isPodTemplateKind(obj.apiVersion, kind)) {
    return { workloads: [{ manifest: obj, kind, suffix: '', scope: workloadScope(obj), renames: [] }], notEvaluated: [] };
  }
  if (group === 'argoproj.io' && kind === 'Rollout') {
    return isPodSpec(obj.spec?.template?.spec)
      ? { workloads: [{ manifest: obj, kind, suffix: '', scope: ControlScope.SERVICE, renames: [] }], notEvaluated: [] }
      : { workloads: [], notEvaluated: [{ suffix: '', kind, reason: 'no spec.template with containers: the pods come from the Deployment named in spec.workloadRef' }] };
  }
  if (group === 'kubeflow.org' && kind === 'Experiment') {
    return katibTrial(obj, depth);
  }
  const table = kindLocations(obj.apiVersion, kind);
  if (table) {
    const located = table.locate(obj);
    return {
      workloads: fromLocations(obj, located.locations, table.scope, table.controller),
      notEvaluated: located.notEvaluated.map((n) => ({ suffix: n.suffix, kind, reason: n.reason })),
    };
  }
  if (BUILT_IN_GROUP.test(group)) {
    return nothing();
  }
  const generic = genericPodSpecs(obj);
  const scope = /(Job|Workflow)$/.test(kind) ? ControlScope.JOB : ControlScope.SERVICE;
  const many = generic.locations.length > 1;
  const locations = generic.locations.map((l) => ({ ...l, suffix: many ? `/${l.path}` : '' }));
  return {
    workloads: fromLocations(obj, locations, scope, kind),
    notEvaluated: generic.strayImages.length > 0
      ? [{ suffix: '', kind, reason: `holds images (${generic.strayImages.join(', ')}) outside any pod spec the checker can read; a controller builds its pods` }]
      : [],
  };
}

/**
 * Every workload an object holds: the object itself for the built-in kinds with a pod template (and Argo Rollouts), each pod
 * spec of the custom resources of POD_SPEC_LOCATIONS (pod-spec-locations.ts; a Katib trial is discovered in turn), and, for
 * kinds of unknown API groups, every pod spec (a `containers` list of objects with `image`) under `spec` to a bounded depth.
 * `notEvaluated` lists each place that may hold a workload the checker cannot read.
 *
 * @internal
 */
export function discoverWorkloads(obj: Manifest): DiscoveredObjects {
  return discover(obj, 0);
}
