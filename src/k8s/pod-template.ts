import { ApiObject, JsonPatch, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { fluentBitSidecar, fluentBitVolumes, LOG_VOLUME } from './fluent-bit';
import { LogShipping, LogShippingMode } from './log-shipping';
import { containerSecurityContext, podSecurityContext } from './pod-security';
import { requireMountPaths, requireUniqueNames, wholeMebibytes } from '../core/bounds';
import { propError } from '../core/errors';
import { ImageReference } from '../core/image-reference';
import { compareCodeUnits } from '../core/ordering';
import { plaintextSecretProblem } from '../core/secret-detection';

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * A reference to one key of a Kubernetes Secret, exposed to the container as an environment variable (SEC-9).
 */
export interface SecretKeyReference {
  /**
   * The name of the Secret in the workload's namespace.
   */
  readonly secretName: string;

  /**
   * The key inside the Secret.
   */
  readonly key: string;
}

/**
 * Everything the shared pod-spec renderer needs.
 *
 * @internal
 */
export interface PodTemplateOptions {
  readonly image: ImageReference;
  readonly serviceAccountName: string;
  readonly user: number;
  readonly group: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly imagePullPolicy: string;
  readonly resources: k8s.ResourceRequirements;
  readonly logShipping: LogShipping;
  readonly logConfigMapName?: string;
  /** The user's plain environment. */
  readonly env?: Record<string, string>;
  /** Environment the construct sets itself; the user's `env` and `secretEnv` may not redefine it. */
  readonly systemEnv: Record<string, string>;
  readonly secretEnv?: Record<string, SecretKeyReference>;
  readonly command?: string[];
  readonly args?: string[];
  readonly ports?: k8s.ContainerPort[];
  readonly probes?: Pick<k8s.Container, 'startupProbe' | 'livenessProbe' | 'readinessProbe'>;
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
  /** The prop each of `volumeMounts` comes from, for errors (same order). */
  readonly volumeMountProps?: readonly string[];
  readonly tmpSize: Size;
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: k8s.Toleration[];
  readonly priorityClassName?: string;
  readonly restartPolicy?: string;
  readonly scheduling?: Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'>;
  /** Init containers that run after the log shipper starts and before the main container (the artifact verifiers, MOD-1). */
  readonly extraInitContainers?: k8s.Container[];
}

/**
 * Renders the pod spec that services and jobs share: hardened main container, native log-shipping sidecar, scratch volumes,
 * dedicated service account without token.
 *
 * @internal
 */
export function renderPodSpec(scope: IConstruct, o: PodTemplateOptions): k8s.PodSpec {
  const sidecar = o.logShipping.mode === LogShippingMode.SIDECAR;
  const reserved = [...Object.keys(o.systemEnv), ...(sidecar ? ['LOG_DIR'] : [])];
  for (const [prop, names] of [['env', Object.keys(o.env ?? {})], ['secretEnv', Object.keys(o.secretEnv ?? {})]] as const) {
    for (const name of names.filter((n) => reserved.includes(n))) {
      throw propError(scope, `${prop}.${name}`, name, 'is set by the construct', `remove it; the construct sets ${reserved.join(', ')}`);
    }
  }
  requireUniqueNames(scope, 'environment variable', [
    ...Object.keys(o.env ?? {}).map((name) => ({ prop: `env.${name}`, name })),
    ...Object.keys(o.secretEnv ?? {}).map((name) => ({ prop: `secretEnv.${name}`, name })),
  ], 'set each variable in env or in secretEnv, not both');
  const env: k8s.EnvVar[] = [];
  for (const [name, value] of Object.entries({ ...o.env, ...o.systemEnv }).sort(([a], [b]) => compareCodeUnits(a, b))) {
    validateEnvName(scope, `env.${name}`, name);
    const secretProblem = plaintextSecretProblem(name, value);
    if (secretProblem) {
      throw propError(scope, `env.${name}`, name, `would be stored in plaintext in the manifest (SEC-9): ${secretProblem}`,
        'pass it through secretEnv as a reference to a Kubernetes Secret');
    }
    env.push({ name, value });
  }
  for (const [name, ref] of Object.entries(o.secretEnv ?? {}).sort(([a], [b]) => compareCodeUnits(a, b))) {
    validateEnvName(scope, `secretEnv.${name}`, name);
    env.push({ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } });
  }
  const mounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }, ...o.volumeMounts];
  if (sidecar) {
    env.push({ name: 'LOG_DIR', value: o.logShipping.logDirectory! });
    mounts.push({ name: LOG_VOLUME, mountPath: o.logShipping.logDirectory! });
  }
  const shipper = sidecar ? fluentBitSidecar(o.logShipping, o.user, o.group) : undefined;
  const mountProps = ['tmp (the construct\'s /tmp)', ...o.volumeMounts.map((m, i) => o.volumeMountProps?.[i] ?? m.name), 'logShipping.logDirectory'];
  requireMountPaths(scope, mounts.map((m, i) => ({ prop: mountProps[i], path: m.mountPath, readOnly: m.readOnly })));
  requireMountPaths(scope, (shipper?.volumeMounts ?? []).map((m) => ({
    prop: m.name === LOG_VOLUME ? 'logShipping.logDirectory' : `the log shipper's ${m.name} mount`, path: m.mountPath, readOnly: m.readOnly,
  })));
  const main: k8s.Container = {
    name: 'main',
    image: o.image.toString(),
    imagePullPolicy: o.imagePullPolicy,
    command: sidecar && o.logShipping.captureStdio ? stdioCapturingCommand(scope, o.command) : o.command,
    args: o.args,
    env: env.length > 0 ? env : undefined,
    ports: o.ports,
    ...o.probes,
    resources: o.resources,
    securityContext: containerSecurityContext(o.user, o.group, o.readOnlyRootFilesystem),
    volumeMounts: mounts,
  };
  const volumes: k8s.Volume[] = [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(`${wholeMebibytes(scope, 'tmpSize', o.tmpSize)}Mi`) } }, ...o.volumes];
  if (sidecar) {
    volumes.push(...fluentBitVolumes(o.logShipping, o.logConfigMapName!));
  }
  const initContainers = [...(shipper ? [shipper] : []), ...(o.extraInitContainers ?? [])];
  return {
    serviceAccountName: o.serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: podSecurityContext(o.user, o.group),
    initContainers: initContainers.length > 0 ? initContainers : undefined,
    containers: [main],
    volumes,
    restartPolicy: o.restartPolicy,
    nodeSelector: o.nodeSelector,
    tolerations: o.tolerations,
    priorityClassName: o.priorityClassName,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: 30,
    ...o.scheduling,
  };
}

/**
 * Makes the log-shipping init container a native sidecar (`restartPolicy: Always`, Kubernetes 1.29+).
 *
 * The Kubernetes 1.27 types of cdk8s-plus-27 have no such field, and their `toJson()` re-serializes the manifest through those
 * types after `addJsonPatch` patches are applied, which would drop it. So the field is added to the final JSON of this object.
 *
 * @internal
 */
export function patchNativeSidecar(obj: ApiObject, podSpecPointer: string, shipping: LogShipping): void {
  if (shipping.mode !== LogShippingMode.SIDECAR) {
    return;
  }
  const typedToJson = obj.toJson.bind(obj);
  obj.toJson = () => {
    const json = typedToJson();
    // the shipper by name, not by position: an escape hatch may prepend init containers or remove the shipper (then there is
    // no sidecar to make native, and the report's LOG-1 shows what the output ships)
    const podSpec = podSpecPointer.split('/').slice(1).reduce((at, key) => at?.[key], json);
    const initContainers: Array<{ name?: unknown }> = Array.isArray(podSpec?.initContainers) ? podSpec.initContainers : [];
    const index = initContainers.findIndex((container) => container?.name === LOG_SHIPPER_NAME);
    return index < 0 ? json : JsonPatch.apply(json, JsonPatch.add(`${podSpecPointer}/initContainers/${index}/restartPolicy`, 'Always'));
  };
}

/**
 * The shell wrapper that appends the main container's stdout and stderr to `$LOG_DIR/stdout.log` and `$LOG_DIR/stderr.log`,
 * where the sidecar's tail input ships them (LOG-1). `exec` keeps the server as the shell's process, so it gets the signals.
 *
 * @internal
 */
export const STDIO_CAPTURE_SCRIPT = 'exec "$@" >>"$LOG_DIR/stdout.log" 2>>"$LOG_DIR/stderr.log"';

function stdioCapturingCommand(scope: IConstruct, command: string[] | undefined): string[] {
  if (!command || command.length === 0) {
    throw propError(scope, 'command', command, 'is required with LogShipping.sidecar(..., { captureStdio: true }): the library wraps it to route stdout/stderr into the log directory',
      'give the server\'s command (e.g. [\'mlserver\', \'start\', \'/models\']), or leave captureStdio off and collect stdout/stderr with a node agent');
  }
  return ['/bin/sh', '-c', STDIO_CAPTURE_SCRIPT, 'sh', ...command];
}

/** The name fluentBitSidecar() gives the log-shipping container. */
const LOG_SHIPPER_NAME = 'log-shipper';

function validateEnvName(scope: IConstruct, prop: string, name: string): void {
  if (!ENV_NAME.test(name)) {
    throw propError(scope, prop, name, 'is not a valid environment variable name', 'use letters, digits, "_", "-" or "." and do not start with a digit');
  }
}
