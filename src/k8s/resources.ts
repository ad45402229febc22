import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
/* eslint-disable @typescript-eslint/no-explicit-any */
import { KubernetesDefaults } from './defaults';
import { WorkloadPodOptions } from './pod-options';
import { validateUserId } from './pod-security';
import { refuseToken, requireLabels, requirePositive, wholeMebibytes } from '../core/bounds';
import { propError, requireInteger } from '../core/errors';

/**
 * Renders requests and limits for cpu, memory, ephemeral storage and GPUs (RES-1), with the given defaults filled in.
 *
 * @internal
 */
export function renderResources(scope: IConstruct, resources: kplus.ContainerResources | undefined, defaults: Required<kplus.ContainerResources>,
  gpuCount: number | undefined, gpuResourceName: string): k8s.ResourceRequirements {
  const cpu = { ...defaults.cpu, ...resources?.cpu };
  const memory = { ...defaults.memory, ...resources?.memory };
  const storage = { ...defaults.ephemeralStorage, ...resources?.ephemeralStorage };
  for (const [what, value, type] of [['cpu', cpu, kplus.Cpu], ['memory', memory, Size], ['ephemeralStorage', storage, Size]] as const) {
    for (const bound of ['request', 'limit'] as const) {
      if (!((value as any)[bound] instanceof type)) {
        throw propError(scope, `resources.${what}.${bound}`, (value as any)[bound], `is not a ${type.name}`,
          what === 'cpu' ? 'use kplus.Cpu.millis(n) or kplus.Cpu.units(n)' : 'use Size.mebibytes(n) or Size.gibibytes(n)');
      }
    }
  }
  const q = (v: string) => k8s.Quantity.fromString(v);
  // negative, zero, NaN and fractional-MiB amounts get our error here, not the API server's (or Size's own exception)
  const mebibytes = (what: string, bound: string, size: Size) => wholeMebibytes(scope, `resources.${what}.${bound}`, size, 'Size.mebibytes(512) or Size.gibibytes(2)');
  const mi = (what: string, bound: string, size: Size) => `${mebibytes(what, bound, size)}Mi`;
  for (const bound of ['request', 'limit'] as const) {
    refuseToken(scope, `resources.cpu.${bound}`, Number(String(cpu[bound]!.amount).replace(/m$/, '')), 'kplus.Cpu.millis(500) or kplus.Cpu.units(1) with a literal number');
    requirePositive(scope, `resources.cpu.${bound}`, cpuMillis(cpu[bound]!.amount), 'millicores', 'use kplus.Cpu.millis(500) or kplus.Cpu.units(1)');
  }
  const requests: Record<string, k8s.Quantity> = {
    'cpu': q(cpu.request!.amount), 'memory': q(mi('memory', 'request', memory.request!)), 'ephemeral-storage': q(mi('ephemeralStorage', 'request', storage.request!)),
  };
  const limits: Record<string, k8s.Quantity> = {
    'cpu': q(cpu.limit!.amount), 'memory': q(mi('memory', 'limit', memory.limit!)), 'ephemeral-storage': q(mi('ephemeralStorage', 'limit', storage.limit!)),
  };
  const check = (what: string, req: number, lim: number) => {
    if (req > lim) {
      throw propError(scope, `resources.${what}`, { request: req, limit: lim }, 'the request is larger than the limit', 'make the limit at least the request');
    }
  };
  check('memory', memory.request!.toMebibytes(), memory.limit!.toMebibytes());
  check('ephemeralStorage', storage.request!.toMebibytes(), storage.limit!.toMebibytes());
  check('cpu', cpuMillis(cpu.request!.amount), cpuMillis(cpu.limit!.amount));
  if (gpuCount !== undefined && gpuCount > 0) {
    requireInteger(scope, 'gpuCount', gpuCount, 0, 64);
    if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(gpuResourceName)) {
      throw propError(scope, 'gpuResourceName', gpuResourceName, 'is not a resource name', 'e.g. nvidia.com/gpu or amd.com/gpu');
    }
    requests[gpuResourceName] = q(String(gpuCount));
    limits[gpuResourceName] = q(String(gpuCount));
  } else if (gpuCount !== undefined) {
    requireInteger(scope, 'gpuCount', gpuCount, 0, 64);
  }
  return { requests, limits };
}

/**
 * The pod options both constructs derive the same way from `WorkloadPodOptions`: validated IDs, resources with GPUs, placement.
 *
 * @internal
 */
export function sharedPodOptions(scope: IConstruct, props: WorkloadPodOptions & { readonly resources?: kplus.ContainerResources },
  defaults: Required<kplus.ContainerResources>) {
  return {
    user: validateUserId(scope, 'runAsUser', props.runAsUser),
    group: validateUserId(scope, 'runAsGroup', props.runAsGroup),
    resources: renderResources(scope, props.resources, defaults, props.gpuCount, props.gpuResourceName ?? KubernetesDefaults.GPU_RESOURCE_NAME),
    nodeSelector: props.nodeSelector && requireLabels(scope, 'nodeSelector', props.nodeSelector),
    tolerations: props.tolerations,
    priorityClassName: props.priorityClassName,
  };
}

function cpuMillis(amount: string): number {
  const text = String(amount);
  if (!/^-?([0-9]+(\.[0-9]+)?|NaN|Infinity)m?$/.test(text)) {
    return NaN;
  }
  return text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;
}
