/**
 * The hand-written cdk8s equivalent of one `k8s.CompliantModelService` with default props: the same six hardened objects
 * (ServiceAccount, log-shipper ConfigMap, Deployment with the native Fluent Bit sidecar, Service, PodDisruptionBudget,
 * NetworkPolicy), written with the cdk8s-plus-27 L1 `k8s.Kube*` types, as a careful platform engineer would without the
 * library: no validation, no report, literals where the library computes values. The caller passes the same object name the
 * library derives (path plus hash), so both sides render byte-identical manifests.
 *
 * cdk8s-plus-27's 1.27 types have no `restartPolicy` on containers, so the native sidecar needs the same `toJson()`
 * override the library uses (a JSON patch applied after the typed serialization).
 */
import { createHash } from 'crypto';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** What differs between the services of a benchmark app. */
export interface HandwrittenK8sService {
  /** The object name (a DNS label, unique in the namespace). */
  readonly name: string;
  /** The model server image, pinned by digest. */
  readonly image: string;
  /** Model name and version. */
  readonly model: { readonly name: string; readonly version: string };
}

const FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:3.2.10@sha256:d6dec000c4929a439562525728c708f6e99800d7ddc82efd6aa4f45f3a20b562';
const q = (v: string) => k8s.Quantity.fromString(v);
const port = (v: number | string) => (typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v));

function securityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function fluentBitConfig(s: HandwrittenK8sService): string {
  const kv = (k: string, v: string) => `    ${k.padEnd(18)} ${v}`;
  return [
    ['[SERVICE]', kv('Flush', '1'), kv('Log_Level', 'info'), kv('HTTP_Server', 'On'), kv('HTTP_Listen', '0.0.0.0'), kv('HTTP_Port', '2020'),
      kv('Health_Check', 'On'), kv('storage.path', '/fluent-bit/buffer'), kv('storage.sync', 'normal')],
    ['[INPUT]', kv('Name', 'tail'), kv('Path', '/var/log/model/*.log'), kv('Tag', 'model.*'), kv('DB', '/fluent-bit/buffer/tail.db'),
      kv('Refresh_Interval', '5'), kv('Skip_Long_Lines', 'On'), kv('storage.type', 'filesystem')],
    ['[FILTER]', kv('Name', 'modify'), kv('Match', '*'), kv('Add', `model_name ${s.model.name}`), kv('Add', `model_version ${s.model.version}`),
      kv('Add', `workload ${s.name}`)],
    ['[OUTPUT]', kv('Name', 'forward'), kv('Match', '*'), kv('Host', 'log-aggregator.logging.svc'), kv('Port', '24224'), kv('Retry_Limit', 'no_limits')],
  ].map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

/** Renders one hardened model service below `scope` (a construct with the same child IDs as the library's). */
export function handwrittenK8sService(scope: Construct, id: string, s: HandwrittenK8sService): Construct {
  const c = new Construct(scope, id);
  const labels = {
    'app.kubernetes.io/name': s.model.name,
    'app.kubernetes.io/instance': s.name,
    'app.kubernetes.io/version': s.model.version,
    'app.kubernetes.io/component': 'model-server',
    'app.kubernetes.io/managed-by': 'cdk-compliant-ml',
    'app.kubernetes.io/part-of': s.model.name,
  };
  const selector = { 'app.kubernetes.io/name': s.model.name, 'app.kubernetes.io/instance': s.name };
  const annotations = {
    'compliance.cdk-compliant-ml.io/image': s.image,
    'compliance.cdk-compliant-ml.io/image-digest': s.image.slice(s.image.indexOf('@') + 1),
    'model.compliance.cdk-compliant-ml.io/name': s.model.name,
    'model.compliance.cdk-compliant-ml.io/version': s.model.version,
    'compliance.cdk-compliant-ml.io/log-shipping': 'sidecar: Fluent Forward log-aggregator.logging.svc:24224',
    'compliance.cdk-compliant-ml.io/model-load-timeout-seconds': '600',
  };
  new k8s.KubeServiceAccount(c, 'ServiceAccount', { metadata: { name: s.name, labels }, automountServiceAccountToken: false });
  const conf = fluentBitConfig(s);
  const configName = `${s.name}-logs-${createHash('sha256').update(conf).digest('hex').slice(0, 8)}`;
  new k8s.KubeConfigMap(c, 'LogShipperConfig', { metadata: { name: configName, labels }, immutable: true, data: { 'fluent-bit.conf': conf } });
  const http = (path: string) => ({ path, port: port('http'), scheme: 'HTTP' });
  const main: k8s.Container = {
    name: 'main',
    image: s.image,
    imagePullPolicy: 'Always',
    env: [
      { name: 'INFERENCE_LOG_PATH', value: '/var/log/model/inference.log' }, { name: 'MODEL_CACHE_DIR', value: '/models' },
      { name: 'MODEL_NAME', value: s.model.name }, { name: 'MODEL_VERSION', value: s.model.version }, { name: 'LOG_DIR', value: '/var/log/model' },
    ],
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    startupProbe: { httpGet: http('/v2/health/live'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 60 },
    livenessProbe: { httpGet: http('/v2/health/live'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    readinessProbe: { httpGet: http('/v2/health/ready'), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
    resources: {
      requests: { 'cpu': q('1'), 'memory': q('2048Mi'), 'ephemeral-storage': q('1024Mi') },
      limits: { 'cpu': q('2'), 'memory': q('2048Mi'), 'ephemeral-storage': q('2048Mi') },
    },
    securityContext: securityContext(),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'model-cache', mountPath: '/models' }, { name: 'model-logs', mountPath: '/var/log/model' }],
  };
  const shipper: k8s.Container = {
    name: 'log-shipper',
    image: FLUENT_BIT_IMAGE,
    imagePullPolicy: 'Always',
    command: ['/fluent-bit/bin/fluent-bit'],
    args: ['-c', '/fluent-bit/config/fluent-bit.conf'],
    ports: [{ name: 'shipper-health', containerPort: 2020, protocol: 'TCP' }],
    livenessProbe: { httpGet: { path: '/api/v1/health', port: port('shipper-health') }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    resources: {
      requests: { 'cpu': q('50m'), 'memory': q('64Mi'), 'ephemeral-storage': q('64Mi') },
      limits: { 'cpu': q('200m'), 'memory': q('128Mi'), 'ephemeral-storage': q('256Mi') },
    },
    securityContext: securityContext(),
    volumeMounts: [
      { name: 'model-logs', mountPath: '/var/log/model', readOnly: true },
      { name: 'log-shipper-config', mountPath: '/fluent-bit/config', readOnly: true },
      { name: 'log-shipper-buffer', mountPath: '/fluent-bit/buffer' },
    ],
  };
  const labelSelector = { matchLabels: selector };
  const deployment = new k8s.KubeDeployment(c, 'Deployment', {
    metadata: { name: s.name, labels, annotations },
    spec: {
      replicas: 2,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: port(0), maxSurge: port(1) } },
      minReadySeconds: 10,
      progressDeadlineSeconds: 900,
      revisionHistoryLimit: 10,
      template: {
        metadata: { labels, annotations },
        spec: {
          serviceAccountName: s.name,
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            fsGroupChangePolicy: 'OnRootMismatch',
            seccompProfile: { type: 'RuntimeDefault' },
          },
          initContainers: [shipper],
          containers: [main],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: q('1024Mi') } },
            { name: 'model-cache', emptyDir: { sizeLimit: q('10240Mi') } },
            { name: 'model-logs', emptyDir: { sizeLimit: q('1Gi') } },
            { name: 'log-shipper-config', configMap: { name: configName } },
            { name: 'log-shipper-buffer', emptyDir: { sizeLimit: q('256Mi') } },
          ],
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 30,
          topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
            maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector,
          })),
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector } }],
            },
          },
        },
      },
    },
  });
  const typed = deployment.toJson.bind(deployment);
  deployment.toJson = () => JsonPatch.apply(typed(), JsonPatch.add('/spec/template/spec/initContainers/0/restartPolicy', 'Always'));
  new k8s.KubeService(c, 'Service', {
    metadata: { name: s.name, labels },
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 8080, targetPort: port('http'), protocol: 'TCP' }] },
  });
  new k8s.KubePodDisruptionBudget(c, 'DisruptionBudget', {
    metadata: { name: s.name, labels },
    spec: { maxUnavailable: port(1), selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  });
  const tcp = (p: number) => ({ port: port(p), protocol: 'TCP' });
  new k8s.KubeNetworkPolicy(c, 'NetworkPolicy', {
    metadata: { name: s.name, labels },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': s.name } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [tcp(8080)] }],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: port(53), protocol: 'UDP' }, tcp(53)],
        },
        { ports: [tcp(24224)], to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } }] },
      ],
    },
  });
  return c;
}
