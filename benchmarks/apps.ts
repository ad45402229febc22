/**
 * The benchmark apps: N model services built with the library or by hand, on cdk8s and on aws-cdk-lib, plus the
 * equivalence check that both sides render the same objects.
 */
import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { App as K8sApp, Chart } from 'cdk8s';
import { handwrittenEcsService } from './handwritten-ecs';
import { handwrittenK8sService } from './handwritten-k8s';
import { ImageReference } from '../src/core';
import * as ecs from '../src/ecs';
import * as k8s from '../src/k8s';

export type Side = 'handwritten' | 'library';
export type Backend = 'k8s' | 'ecs';

/** Services per cdk8s chart (default: all in one chart) and per CloudFormation stack (the 500-resource limit needs several). */
export const K8S_SERVICES_PER_CHART = Number(process.env.BENCH_K8S_PER_CHART ?? 0) || Infinity;
export const ECS_SERVICES_PER_STACK = Number(process.env.BENCH_ECS_PER_STACK ?? 20);

const imageOf = (i: number) => `registry.example.com/ml/scorer-${i}:1.0.${i}@sha256:${(i.toString(16).padStart(8, '0')).repeat(8)}`;
const modelOf = (i: number) => ({ name: `scorer-${i}`, version: `1.0.${i}` });

/**
 * The object name the library gives a construct at `chart/id`: the readable path plus 8 hex digits of its SHA-256, written
 * out by hand so both sides render the same bytes (shorter names would make the hand-written YAML smaller and cheaper).
 */
function hashedName(chart: string, id: string): string {
  return `${chart}-${id}-${createHash('sha256').update(`${chart}/${id}`).digest('hex').slice(0, 8)}`.toLowerCase();
}

/** A cdk8s app with `n` services; nothing is synthesized yet. */
export function buildK8sApp(side: Side, n: number, outdir: string): K8sApp {
  const app = new K8sApp({ outdir });
  let chart: Chart | undefined;
  for (let i = 0; i < n; i++) {
    if (i % K8S_SERVICES_PER_CHART === 0 || !chart) {
      chart = new Chart(app, `models${Math.floor(i / K8S_SERVICES_PER_CHART)}`);
    }
    if (side === 'library') {
      new k8s.CompliantModelService(chart, `svc${i}`, { image: ImageReference.fromString(imageOf(i)), model: modelOf(i) });
    } else {
      handwrittenK8sService(chart, `svc${i}`, { name: hashedName(chart.node.id, `svc${i}`), image: imageOf(i), model: modelOf(i) });
    }
  }
  return app;
}

/** An aws-cdk app with one network stack (VPC + cluster, shared) and `n` services spread over service stacks. */
export function buildEcsApp(side: Side, n: number, outdir: string): CdkApp {
  const app = new CdkApp({ outdir });
  const network = new Stack(app, 'Network');
  const vpc = new ec2.Vpc(network, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new awsecs.Cluster(network, 'Cluster', { vpc, containerInsightsV2: awsecs.ContainerInsights.ENABLED });
  let stack: Stack | undefined;
  for (let i = 0; i < n; i++) {
    if (i % ECS_SERVICES_PER_STACK === 0 || !stack) {
      stack = new Stack(app, `Models${Math.floor(i / ECS_SERVICES_PER_STACK)}`);
    }
    if (side === 'library') {
      new ecs.CompliantModelService(stack, `svc${i}`, { cluster, image: ImageReference.fromString(imageOf(i)), model: modelOf(i) });
    } else {
      handwrittenEcsService(stack, `svc${i}`, { cluster, image: imageOf(i), model: modelOf(i) });
    }
  }
  return app;
}

/** The first differences between two JSON values, as `path: a != b` lines. */
function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (out.length >= 10 || isDeepStrictEqual(a, b)) {
    return out;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`, out);
    }
    return out;
  }
  out.push(`${path}: library=${JSON.stringify(a)} handwritten=${JSON.stringify(b)}`);
  return out;
}

/** What the check found: the kinds of one service on each side and whether the full objects are equal. */
export interface Equivalence {
  readonly backend: Backend;
  readonly library: string[];
  readonly handwritten: string[];
  readonly identical: boolean;
  readonly differences: string[];
}

/** Renders one service on each side and compares the manifests: they must be the same objects, names included. */
export function checkK8sEquivalence(outdir: string): Equivalence {
  const a = buildK8sApp('library', 1, outdir).charts.flatMap((c) => c.toJson());
  const b = buildK8sApp('handwritten', 1, outdir).charts.flatMap((c) => c.toJson());
  const kinds = (objs: Array<{ kind: string }>) => objs.map((o) => o.kind).sort();
  return { backend: 'k8s', library: kinds(a), handwritten: kinds(b), identical: isDeepStrictEqual(a, b), differences: differences(a, b) };
}

/** Synthesizes one service on each side and compares the resources of its stack (the library's own metadata removed). */
export function checkEcsEquivalence(outdirOf: (side: Side) => string): Equivalence {
  const resources = (side: Side) => {
    const app = buildEcsApp(side, 1, outdirOf(side));
    const template = app.synth().getStackByName('Models0').template;
    const res = template.Resources as Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
    for (const r of Object.values(res)) {
      if (r.Metadata) {
        delete r.Metadata['cdk-compliant-ml'];
        if (Object.keys(r.Metadata).length === 0) {
          delete r.Metadata;
        }
      }
    }
    return res;
  };
  const a = resources('library');
  const b = resources('handwritten');
  const types = (r: Record<string, { Type: string }>) => Object.values(r).map((x) => x.Type).sort();
  return { backend: 'ecs', library: types(a), handwritten: types(b), identical: isDeepStrictEqual(a, b), differences: differences(a, b) };
}
