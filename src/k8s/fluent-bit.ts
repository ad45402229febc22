import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { FORWARD_SHARED_KEY_ENV, LOG_TLS_CA_DIR } from './log-destination';
import { LogShipping } from './log-shipping';
import { containerSecurityContext } from './pod-security';
import { propError } from '../core/errors';
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
const TLS_CA_VOLUME = 'log-shipper-tls-ca';
const BUFFER_VOLUME = 'log-shipper-buffer';
const CONFIG_DIR = '/fluent-bit/config';
const BUFFER_DIR = '/fluent-bit/buffer';
/** Fluent Bit's built-in HTTP server port, used for its health endpoint (the serving port may not take it). @internal */
export const HEALTH_PORT = 2020;

/**
 * One record field the sidecar adds to every log line (`Add <key> <value>` of the `modify` filter), with the prop it came from
 * (for the error message).
 *
 * @internal
 */
export interface LogRecordField {
  readonly key: string;
  readonly value: string;
  readonly prop: string;
}

/**
 * Refuses a value that Fluent Bit's classic configuration cannot hold as one intact value: an entry ends at the line break
 * (a newline would start a new entry or section), leading and trailing blanks are trimmed, `${NAME}` is replaced by an
 * environment variable, and control characters have no meaning in a value. Returns the value.
 *
 * @internal
 */
export function fluentBitConfigValue(scope: IConstruct | undefined, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw propError(scope, prop, value, 'must be a non-empty string to be written into the Fluent Bit configuration', 'give a value');
  }
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.exec(value);
  if (control) {
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw propError(scope, prop, value, `holds the control character ${code}; in the Fluent Bit configuration a line break would start a new entry or section`,
      'remove line breaks and other control characters from the value');
  }
  if (value.trim() !== value) {
    throw propError(scope, prop, value, 'starts or ends with a blank, which the Fluent Bit configuration trims', 'remove the leading and trailing blanks');
  }
  if (value.includes('${')) {
    throw propError(scope, prop, value, 'holds "${", which Fluent Bit replaces by an environment variable', 'remove "${" from the value');
  }
  return value;
}

/**
 * Refuses a record value that the `modify` filter's `Add` cannot hold: it splits `Add` into key and value at blanks and reads
 * quotes, so the value must be one token.
 *
 * @internal
 */
export function fluentBitRecordValue(scope: IConstruct | undefined, prop: string, value: string): string {
  fluentBitConfigValue(scope, prop, value);
  if (/[\s"'\\]/.test(value)) {
    throw propError(scope, prop, value, 'holds a blank, a quote or a backslash, which the Fluent Bit modify filter would split or unquote',
      'use a value without blanks, quotes and backslashes (e.g. letters, digits, ".", "_", "-", ":", "/")');
  }
  return value;
}

/**
 * Renders the Fluent Bit configuration (classic format) for a sidecar. Every value written is checked by
 * `fluentBitConfigValue` (record values by `fluentBitRecordValue`), so no prop can add an entry or a section.
 *
 * @internal
 */
export function renderFluentBitConfig(scope: IConstruct | undefined, shipping: LogShipping, records: LogRecordField[]): string {
  const section = (name: string, entries: Array<[string, string]>, propOf: (key: string) => string) =>
    [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(18)} ${fluentBitConfigValue(scope, propOf(k), v)}`)].join('\n');
  const filter: Array<[string, string]> = [['Name', 'modify'], ['Match', '*']];
  for (const record of [...records].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (!/^[a-z][a-z0-9_]*$/.test(record.key)) {
      throw propError(scope, record.prop, record.key, 'is not a record field name', 'use lowercase letters, digits and "_"');
    }
    fluentBitRecordValue(scope, record.prop, record.value);
    filter.push(['Add', `${record.key} ${record.value}`]);
  }
  const destination = shipping.destination!;
  // Shared_Key is the one value with "${...}": the library's own reference to the Secret-fed variable of the sidecar.
  const output = destination._outputSettings();
  const sharedKey = output.find(([k]) => k === 'Shared_Key');
  const rendered = [
    section('SERVICE', [['Flush', '1'], ['Log_Level', 'info'], ['HTTP_Server', 'On'], ['HTTP_Listen', '0.0.0.0'],
      ['HTTP_Port', String(HEALTH_PORT)], ['Health_Check', 'On'], ['storage.path', BUFFER_DIR], ['storage.sync', 'normal']], (k) => `(service) ${k}`),
    section('INPUT', [['Name', 'tail'], ['Path', `${shipping.logDirectory}/*.log`], ['Tag', 'model.*'], ['DB', `${BUFFER_DIR}/tail.db`],
      ['Refresh_Interval', '5'], ['Skip_Long_Lines', 'On'], ['storage.type', 'filesystem']], () => 'logShipping.logDirectory'),
    section('FILTER', filter, (k) => (k === 'Add' ? 'records' : `(filter) ${k}`)),
    section('OUTPUT', output.filter(([k]) => k !== 'Shared_Key'), (k) => `logShipping.destination (${k})`),
  ];
  if (sharedKey) {
    rendered[3] += `\n    ${'Shared_Key'.padEnd(18)} ${sharedKey[1]}`;
  }
  return rendered.join('\n\n') + '\n';
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
    env: shipping.destination!.sharedKey ? [{
      name: FORWARD_SHARED_KEY_ENV,
      valueFrom: { secretKeyRef: { name: shipping.destination!.sharedKey.secretName, key: shipping.destination!.sharedKey.key } },
    }] : undefined,
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
      ...(shipping.destination!.tlsCaConfigMap ? [{ name: TLS_CA_VOLUME, mountPath: LOG_TLS_CA_DIR, readOnly: true }] : []),
    ],
  };
}

/**
 * The volumes sidecar log shipping needs: the shared log directory, the configuration and the filesystem buffer.
 *
 * @internal
 */
export function fluentBitVolumes(shipping: LogShipping, configMapName: string): k8s.Volume[] {
  const caConfigMap = shipping.destination!.tlsCaConfigMap;
  return [
    { name: LOG_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
    { name: CONFIG_VOLUME, configMap: { name: configMapName } },
    { name: BUFFER_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } },
    ...(caConfigMap ? [{ name: TLS_CA_VOLUME, configMap: { name: caConfigMap, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] : []),
  ];
}
