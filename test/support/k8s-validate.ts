/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
// Strict validation of synthesized Kubernetes manifests with checkers written by others:
//  1. JSON-schema validation with kubernetes-models (schemas generated from the Kubernetes OpenAPI; this release has the
//     1.30+ fields such as appArmorProfile and container restartPolicy): required fields, types, enums, int-or-string;
//  2. unknown-field rejection (what kubectl --validate=strict does) from the attribute maps of the official
//     JavaScript client @kubernetes/client-node, generated from the same OpenAPI.
import * as client from '@kubernetes/client-node';

const MODELS: Record<string, string> = {
  'v1/ServiceAccount': 'kubernetes-models/v1/ServiceAccount',
  'v1/Service': 'kubernetes-models/v1/Service',
  'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'v1/Pod': 'kubernetes-models/v1/Pod',
  'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'apps/v1/StatefulSet': 'kubernetes-models/apps/v1/StatefulSet',
  'batch/v1/Job': 'kubernetes-models/batch/v1/Job',
  'batch/v1/CronJob': 'kubernetes-models/batch/v1/CronJob',
  'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'autoscaling/v2/HorizontalPodAutoscaler': 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
};
const CLIENT_TYPES: Record<string, string> = {
  'v1/ServiceAccount': 'V1ServiceAccount',
  'v1/Service': 'V1Service',
  'v1/ConfigMap': 'V1ConfigMap',
  'v1/Pod': 'V1Pod',
  'apps/v1/Deployment': 'V1Deployment',
  'apps/v1/StatefulSet': 'V1StatefulSet',
  'batch/v1/Job': 'V1Job',
  'batch/v1/CronJob': 'V1CronJob',
  'policy/v1/PodDisruptionBudget': 'V1PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy': 'V1NetworkPolicy',
  'autoscaling/v2/HorizontalPodAutoscaler': 'V2HorizontalPodAutoscaler',
};
const PRIMITIVES = new Set(['string', 'number', 'boolean', 'Date', 'object', 'any', 'IntOrString', 'RuntimeRawExtension']);

function unknownFields(value: any, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined) {
    return;
  }
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) {
    (value as any[]).forEach((v, i) => unknownFields(v, arr[1], `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    for (const [k, v] of Object.entries(value)) {
      unknownFields(v, map[1], `${path}.${k}`, out);
    }
    return;
  }
  if (PRIMITIVES.has(type)) {
    return;
  }
  const cls = (client as any)[type];
  if (!cls?.getAttributeTypeMap) {
    return;
  }
  const attrs: Array<{ name: string; baseName: string; type: string }> = cls.getAttributeTypeMap();
  for (const key of Object.keys(value)) {
    const attr = attrs.find((a) => a.baseName === key);
    if (!attr) {
      out.push(`${path}.${key}: unknown field of ${type}`);
    } else {
      unknownFields(value[key], attr.type, `${path}.${key}`, out);
    }
  }
}

/** Returns every strict-validation problem of one manifest; an empty list means valid. */
export function k8sProblems(doc: any): string[] {
  const gvk = `${doc.apiVersion}/${doc.kind}`;
  const model = MODELS[gvk];
  if (!model) {
    return [`${gvk}: no schema for this kind (unexpected kind in the output)`];
  }
  const problems: string[] = [];
  const Cls = Object.values(require(model))[0] as any;
  try {
    new Cls(doc).validate();
  } catch (e: any) {
    problems.push(`${gvk} ${doc.metadata?.name}: ${e.message}`);
  }
  unknownFields(doc, CLIENT_TYPES[gvk], `${gvk} ${doc.metadata?.name}`, problems);
  return problems;
}

/** Asserts that every manifest passes strict validation; returns the manifests. */
export function expectValidManifests(docs: any[]): any[] {
  const problems = docs.flatMap(k8sProblems);
  expect(problems).toEqual([]);
  return docs;
}
