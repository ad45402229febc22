/* eslint-disable @typescript-eslint/no-explicit-any */
import { Manifest, podSpecPath, PodView } from './manifest';
import { artifactReports } from './model-artifact-rules';
import { K8sObjectIndex } from './object-index';
import { DiscoveredWorkload, discoverWorkloads, renameEvidence } from './pod-spec-discovery';
import { evaluateWorkload } from './workload-checks';
import { applicableControlIds } from '../../compliance/catalogue';
import { ControlScope } from '../../compliance/control';
import { Backend, NotEvaluatedObject, WorkloadReport } from '../../compliance/report-model';
import { OutputWaivers, readAnnotationWaivers } from '../../core/output-waivers';
import { Waiver } from '../../core/waiver';
import { WAIVERS_ANNOTATION } from '../metadata';
import { apiGroup } from './profile';

/** The API groups of the built-in kinds with a pod template ('' is the core group); a CRD that reuses a kind name is not one. */
const WORKLOAD_GROUPS: Record<string, string[]> = {
  Pod: [''],
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  Job: ['batch'],
  CronJob: ['batch'],
  ReplicationController: [''],
  PodTemplate: [''],
};

/**
 * True when `apiVersion`/`kind` name a built-in Kubernetes workload with a pod template (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job, CronJob, ReplicationController, PodTemplate). Cheap: it needs no rendering. Pod specs inside
 * custom resources are found by `discoverWorkloads` (pod-spec-discovery.ts).
 *
 * @internal
 */
export function isPodTemplateKind(apiVersion: unknown, kind: unknown): boolean {
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || podSpecPath(kind) === undefined) {
    return false;
  }
  const group = apiGroup(apiVersion);
  return (WORKLOAD_GROUPS[kind] ?? []).includes(group);
}

/**
 * Which controls apply to a workload: Jobs and CronJobs, and bare Pods and PodTemplates that run to completion
 * (`restartPolicy` `Never` or `OnFailure`), are jobs; everything else (Deployment, StatefulSet, ReplicaSet, DaemonSet,
 * ReplicationController, long-running Pod) is a service.
 *
 * @internal
 */
export function workloadScope(obj: Manifest): ControlScope {
  if (obj.kind === 'Job' || obj.kind === 'CronJob') {
    return ControlScope.JOB;
  }
  if (obj.kind === 'PodTemplate') {
    const restart = obj.template?.spec?.restartPolicy;
    return restart === 'Never' || restart === 'OnFailure' ? ControlScope.JOB : ControlScope.SERVICE;
  }
  if (obj.kind === 'Pod') {
    const restart = obj.spec?.restartPolicy;
    return restart === 'Never' || restart === 'OnFailure' ? ControlScope.JOB : ControlScope.SERVICE;
  }
  return ControlScope.SERVICE;
}

/**
 * Every image a workload runs, as written: main containers first, then init containers (native sidecars included),
 * without duplicates.
 *
 * @internal
 */
export function imagesOf(obj: Manifest): string[] {
  const p = new PodView(obj);
  const ordered = [...p.containers.filter((x) => !x.init), ...p.containers.filter((x) => x.init)];
  return [...new Set(ordered.map(({ c }) => String(c.image ?? '')))];
}

/**
 * The waivers written into a workload's annotation `compliance.cdk-compliant-ml.io/waivers` (a JSON array of
 * `{control, reason, expires?, approvedBy?}`), validated like waivers in code against the controls of the workload's kind.
 *
 * @internal
 */
export function annotationWaivers(obj: Manifest, scope: ControlScope = workloadScope(obj)): OutputWaivers {
  const raw = obj.metadata?.annotations?.[WAIVERS_ANNOTATION];
  if (raw === undefined) {
    return { waivers: [], problems: [] };
  }
  const found = readAnnotationWaivers(raw, applicableControlIds(scope));
  return { waivers: found.waivers, problems: found.problems.map((p) => `annotation ${WAIVERS_ANNOTATION}: ${p}`) };
}

/**
 * The report entry of a workload that no construct of this library rendered, evaluated with the same checker as ours.
 *
 * @param path the construct path (or, outside an app, `<manifest file>#<kind>/<name>`)
 * @param obj the resolved manifest of the workload
 * @param all the objects it is evaluated with, indexed (or a list, indexed for this call); it may include `obj`
 * @param waivers waivers to apply (read from the workload's annotation)
 * @param waiverSource where the waivers were read (`manifest annotation at FILE:LINE`)
 * @internal
 */
export function foreignWorkloadEntry(path: string, obj: Manifest, all: Manifest[] | K8sObjectIndex, waivers: Waiver[] = [],
  waiverSource?: string): WorkloadReport {
  const index = all instanceof K8sObjectIndex ? all : K8sObjectIndex.of(all);
  return discoveredEntry(path, { manifest: obj, kind: String(obj.kind), suffix: '', scope: workloadScope(obj), renames: [] }, index, waivers, waiverSource);
}

/** The report entry of one discovered workload, its evidence naming the object of the output. */
function discoveredEntry(basePath: string, found: DiscoveredWorkload, index: K8sObjectIndex, waivers: Waiver[],
  waiverSource?: string): WorkloadReport {
  const controls = evaluateWorkload(found.manifest, {
    index,
    scope: found.scope,
    waivers,
    waiverSource,
    controller: found.controller,
    owner: found.owner,
    networkPoliciesBy: found.networkPoliciesBy,
  });
  return {
    path: `${basePath}${found.suffix}`,
    kind: found.kind,
    backend: Backend.KUBERNETES,
    images: imagesOf(found.manifest),
    ...artifactReports(new PodView(found.manifest, found.owner)),
    controls: found.renames.length === 0 ? controls
      : controls.map((c) => ({ ...c, evidence: c.evidence.map((e) => renameEvidence(e, found.renames)) })),
  };
}

/**
 * What one object of the output holds: the report entries of every workload discovered in it (pod-spec-discovery.ts), each
 * evaluated with every object of the app (`index`) and the waivers of the object's annotation, and the places that may hold a
 * workload but could not be evaluated. Waiver problems are returned (they waive nothing).
 *
 * @param basePath the construct path, or `<file>#<kind>/<name>`
 * @param waiverSource where the annotation was read
 * @internal
 */
export function objectWorkloads(basePath: string, obj: Manifest, index: K8sObjectIndex, waiverSource: string):
{ workloads: WorkloadReport[]; notEvaluated: NotEvaluatedObject[]; problems: string[] } {
  const discovered = discoverWorkloads(obj);
  const problems = new Set<string>();
  const workloads = discovered.workloads.map((found) => {
    const waivers = annotationWaivers(obj, found.scope);
    waivers.problems.forEach((p) => problems.add(p));
    return discoveredEntry(basePath, found, index, waivers.waivers, waiverSource);
  });
  return {
    workloads,
    notEvaluated: discovered.notEvaluated.map((n) => ({ path: `${basePath}${n.suffix}`, kind: n.kind, reason: n.reason })),
    problems: [...problems],
  };
}
