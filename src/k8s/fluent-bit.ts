import { k8s } from 'cdk8s-plus-27';
import { LogShipping } from './log-shipping';
import { containerSecurityContext } from './pod-security';
import { ImageReference } from '../core/image-reference';

/**
 * The default log shipper: Fluent Bit 3.2.10, pinned by the digest of its multi-arch image index.
 *
 * Source: this digest is pinned for `fluent/fluent-bit:3.2.10` (and the same image at `cr.fluentbit.io/fluent/fluent-bit:3.2.10`)
 * in several independent public repositories found with code search (Helm values, supply-chain policy tables, shell scripts),
 * one of which notes that on linux/amd64 the index selects the child manifest
 * sha256:41370c4edd3a09db6565271ef647a5f69808007cf6c8ce5f205e056a77a18f41.
 *
 * @internal
 */
export const FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:3.2.10@sha256:d6dec000c4929a439562525728c708f6e99800d7ddc82efd6aa4f45f3a20b562';

/** @internal */
export const LOG_VOLUME = 'model-logs';
const CONFIG_VOLUME = 'log-shipper-config';
const BUFFER_VOLUME = 'log-shipper-buffer';
const CONFIG_DIR = '/fluent-bit/config';
const BUFFER_DIR = '/fluent-bit/buffer';
/** Fluent Bit's built-in HTTP server port, used for its health endpoint (the serving port may not take it). @internal */
export const HEALTH_PORT = 2020;

/**
 * Renders the Fluent Bit configuration (classic format) for a sidecar.
 *
 * @internal
 */
export function renderFluentBitConfig(shipping: LogShipping, records: Record<string, string>): string {
  const section = (name: string, entries: Array<[string, string]>) =>
    [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(18)} ${v}`)].join('\n');
  const filter: Array<[string, string]> = [['Name', 'modify'], ['Match', '*']];
  for (const key of Object.keys(records).sort()) {
    filter.push(['Add', `${key} ${records[key]}`]);
  }
  return [
    section('SERVICE', [['Flush', '1'], ['Log_Level', 'info'], ['HTTP_Server', 'On'], ['HTTP_Listen', '0.0.0.0'],
      ['HTTP_Port', String(HEALTH_PORT)], ['Health_Check', 'On'], ['storage.path', BUFFER_DIR], ['storage.sync', 'normal']]),
    section('INPUT', [['Name', 'tail'], ['Path', `${shipping.logDirectory}/*.log`], ['Tag', 'model.*'], ['DB', `${BUFFER_DIR}/tail.db`],
      ['Refresh_Interval', '5'], ['Skip_Long_Lines', 'On'], ['storage.type', 'filesystem']]),
    section('FILTER', filter),
    section('OUTPUT', shipping.destination!._outputSettings()),
  ].join('\n\n') + '\n';
}

let defaultShipperImage: string | undefined;

/**
 * The log shipper's image: the one given in `shipping`, else the pinned default (parsed once per process, so it is checked
 * like any other reference).
 *
 * @internal
 */
export function shipperImage(shipping: LogShipping): string {
  if (shipping.image) {
    return shipping.image.toString();
  }
  defaultShipperImage ??= ImageReference.fromString(FLUENT_BIT_IMAGE).toString();
  return defaultShipperImage;
}

/**
 * The Fluent Bit native sidecar: an init container with `restartPolicy: Always` (added by a JSON patch, since the
 * Kubernetes 1.27 types of cdk8s-plus-27 lack the field), hardened like the main container.
 *
 * @internal
 */
export function fluentBitSidecar(shipping: LogShipping, user: number, group: number): k8s.Container {
  return {
    name: 'log-shipper',
    image: shipperImage(shipping),
    imagePullPolicy: 'Always',
    command: ['/fluent-bit/bin/fluent-bit'],
    args: ['-c', `${CONFIG_DIR}/fluent-bit.conf`],
    ports: [{ name: 'shipper-health', containerPort: HEALTH_PORT, protocol: 'TCP' }],
    livenessProbe: {
      httpGet: { path: '/api/v1/health', port: k8s.IntOrString.fromString('shipper-health') },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    resources: {
      requests: { 'cpu': k8s.Quantity.fromString('50m'), 'memory': k8s.Quantity.fromString('64Mi'), 'ephemeral-storage': k8s.Quantity.fromString('64Mi') },
      limits: { 'cpu': k8s.Quantity.fromString('200m'), 'memory': k8s.Quantity.fromString('128Mi'), 'ephemeral-storage': k8s.Quantity.fromString('256Mi') },
    },
    securityContext: containerSecurityContext(user, group, true),
    volumeMounts: [
      { name: LOG_VOLUME, mountPath: shipping.logDirectory!, readOnly: true },
      { name: CONFIG_VOLUME, mountPath: CONFIG_DIR, readOnly: true },
      { name: BUFFER_VOLUME, mountPath: BUFFER_DIR },
    ],
  };
}

/**
 * The volumes sidecar log shipping needs: the shared log directory, the configuration and the filesystem buffer.
 *
 * @internal
 */
export function fluentBitVolumes(configMapName: string): k8s.Volume[] {
  return [
    { name: LOG_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
    { name: CONFIG_VOLUME, configMap: { name: configMapName } },
    { name: BUFFER_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
  ];
}
