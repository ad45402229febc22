/* eslint-disable @typescript-eslint/no-explicit-any */
import { Manifest, podSpecPath, PodView } from './manifest';
import { evaluateK8sWorkload } from './workload-checks';
import { applicableControlIds } from '../../compliance/catalogue';
import { ControlScope } from '../../compliance/control';
import { Backend, WorkloadReport } from '../../compliance/report-model';
import { OutputWaivers, readAnnotationWaivers } from '../../core/output-waivers';
import { Waiver } from '../../core/waiver';
import { WAIVERS_ANNOTATION } from '../metadata';

/** The API groups of the built-in kinds with a pod template ('' is the core group); a CRD that reuses a kind name is not one. */
const WORKLOAD_GROUPS: Record<string, string[]> = {
  Pod: [''],
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  Job: ['batch'],
  CronJob: ['batch'],
};

/**
 * True when `apiVersion`/`kind` name a built-in Kubernetes workload with a pod template (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job, CronJob). Cheap: it needs no rendering.
 *
 * @internal
 */
export function isPodTemplateKind(apiVersion: unknown, kind: unknown): boolean {
  if (typeof kind !== 'string' || typeof apiVersion !== 'string' || podSpecPath(kind) === undefined) {
    return false;
  }
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return (WORKLOAD_GROUPS[kind] ?? []).includes(group);
}

/**
 * Which controls apply to a workload: Jobs and CronJobs, and bare Pods that run to completion (`restartPolicy` `Never` or
 * `OnFailure`), are jobs; everything else (Deployment, StatefulSet, ReplicaSet, DaemonSet, long-running Pod) is a service.
 *
 * @internal
 */
export function workloadScope(obj: Manifest): ControlScope {
  if (obj.kind === 'Job' || obj.kind === 'CronJob') {
    return ControlScope.JOB;
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
export function annotationWaivers(obj: Manifest): OutputWaivers {
  const raw = obj.metadata?.annotations?.[WAIVERS_ANNOTATION];
  if (raw === undefined) {
    return { waivers: [], problems: [] };
  }
  const found = readAnnotationWaivers(raw, applicableControlIds(workloadScope(obj)));
  return { waivers: found.waivers, problems: found.problems.map((p) => `annotation ${WAIVERS_ANNOTATION}: ${p}`) };
}

/**
 * The report entry of a workload that no construct of this library rendered, evaluated with the same checker as ours.
 *
 * @param path the construct path (or, outside an app, `<manifest file>#<kind>/<name>`)
 * @param obj the resolved manifest of the workload
 * @param all the objects it is evaluated with (PodDisruptionBudgets, NetworkPolicies, autoscalers); it may include `obj`
 * @param waivers waivers to apply (read from the workload's annotation)
 * @param waiverSource where the waivers were read (`manifest annotation at FILE:LINE`)
 * @internal
 */
export function foreignWorkloadEntry(path: string, obj: Manifest, all: Manifest[], waivers: Waiver[] = [], waiverSource?: string): WorkloadReport {
  return {
    path,
    kind: String(obj.kind),
    backend: Backend.KUBERNETES,
    images: imagesOf(obj),
    controls: evaluateK8sWorkload(obj, all, workloadScope(obj), waivers, 0, waiverSource),
  };
}
