/* eslint-disable @typescript-eslint/no-explicit-any */
import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ControlStatus, ImageReference, k8s } from '../../src';
import { expectValidManifests } from '../support/k8s-validate';
import { pssRestrictedViolations } from '../support/pss';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };

function synth(props: Partial<k8s.CompliantModelServiceProps> = {}, id = 'scorer') {
  const chart = Testing.chart();
  const svc = new k8s.CompliantModelService(chart, id, { image: IMAGE, model: MODEL, ...props });
  const docs = expectValidManifests(Testing.synth(chart));
  for (const d of docs) {
    expect(pssRestrictedViolations(d)).toEqual([]);
  }
  const of = (kind: string) => docs.find((d) => d.kind === kind);
  const deployment = of('Deployment');
  const pod = deployment.spec.template.spec;
  const status = (id2: string) => svc.complianceEntry().controls.find((c) => c.id === id2);
  return { chart, svc, docs, of, deployment, pod, main: pod.containers[0], status };
}

describe('defaults', () => {
  test('renders Deployment, Service, PDB, NetworkPolicy, ServiceAccount and log config, all strictly valid', () => {
    const { docs } = synth();
    expect(docs.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
  });

  test('AVL-1/AVL-4: 2 replicas, RollingUpdate with maxUnavailable 0 and a progress deadline', () => {
    const { deployment } = synth();
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(deployment.spec.progressDeadlineSeconds).toBe(900);
  });

  test('AVL-3: zone and hostname spread (ScheduleAnyway) plus preferred anti-affinity', () => {
    const { pod, deployment } = synth();
    expect(pod.topologySpreadConstraints.map((t: any) => [t.topologyKey, t.whenUnsatisfiable, t.maxSkew])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway', 1], ['kubernetes.io/hostname', 'ScheduleAnyway', 1],
    ]);
    expect(pod.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  test('META-1/META-2: recommended labels with instance = name, provenance annotations', () => {
    const { deployment, svc } = synth();
    expect(deployment.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'fraud-scorer',
      'app.kubernetes.io/instance': deployment.metadata.name,
      'app.kubernetes.io/version': '1.4.2',
      'app.kubernetes.io/component': 'model-server',
      'app.kubernetes.io/part-of': 'fraud-scorer',
      'app.kubernetes.io/managed-by': 'cdk-compliant-ml',
    });
    expect(deployment.metadata.name).toBe(svc.name);
    expect(deployment.metadata.annotations).toMatchObject({
      'compliance.cdk-compliant-ml.io/image-digest': IMAGE.digest,
      'model.compliance.cdk-compliant-ml.io/name': 'fraud-scorer',
      'model.compliance.cdk-compliant-ml.io/version': '1.4.2',
    });
    expect(deployment.spec.template.metadata.annotations).toEqual(deployment.metadata.annotations);
  });

  test('SEC-1/SEC-4/SEC-8: non-root 10001, seccomp RuntimeDefault, dedicated service account without token', () => {
    const { pod, of } = synth();
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe(of('ServiceAccount').metadata.name);
    expect(of('ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  test('SEC-2/3/5/6: every container, sidecar included, is hardened', () => {
    const { pod } = synth();
    const all = [...pod.initContainers, ...pod.containers];
    expect(all.map((c: any) => c.name)).toEqual(['log-shipper', 'main']);
    for (const c of all) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
      });
      expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
      expect(c.imagePullPolicy).toBe('Always');
    }
  });

  test('SEC-5: /tmp and model cache are size-limited emptyDirs', () => {
    const { pod, main } = synth();
    const vol = (n: string) => pod.volumes.find((v: any) => v.name === n);
    expect(vol('tmp').emptyDir.sizeLimit).toBe('1024Mi');
    expect(vol('model-cache').emptyDir.sizeLimit).toBe('10240Mi');
    expect(main.volumeMounts).toEqual(expect.arrayContaining([{ name: 'tmp', mountPath: '/tmp' }, { name: 'model-cache', mountPath: '/models' }]));
  });

  test('RES-1: requests and limits for cpu, memory and ephemeral storage', () => {
    const { main } = synth();
    expect(main.resources).toEqual({
      requests: { 'cpu': '1', 'memory': '2048Mi', 'ephemeral-storage': '1024Mi' },
      limits: { 'cpu': '2', 'memory': '2048Mi', 'ephemeral-storage': '2048Mi' },
    });
  });

  test('PRB-1: OIP probes, startup budget from modelLoadTimeout, liveness != readiness', () => {
    const { main } = synth();
    expect(main.livenessProbe.httpGet).toEqual({ path: '/v2/health/live', port: 'http', scheme: 'HTTP' });
    expect(main.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    expect(main.startupProbe.failureThreshold * main.startupProbe.periodSeconds).toBe(600);
    const slow = synth({ modelLoadTimeout: Duration.minutes(30) }).main;
    expect(slow.startupProbe.failureThreshold * slow.startupProbe.periodSeconds).toBe(1800);
  });

  test('Service, PDB and NetworkPolicy select exactly the pods', () => {
    const { of, deployment } = synth();
    const selector = deployment.spec.selector.matchLabels;
    expect(of('Service').spec).toMatchObject({ type: 'ClusterIP', selector, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
    expect(of('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    const np = of('NetworkPolicy').spec;
    // exactly the instance label: it selects the same pods (instance is unique) and Polaris' check wants one matching label
    expect(np.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/instance': selector['app.kubernetes.io/instance'] });
    expect(deployment.spec.template.metadata.labels).toMatchObject(np.podSelector.matchLabels);
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([{ from: [{ podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(np.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    expect(np.egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }]);
    expect(np.egress[1]).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } }], ports: [{ port: 24224, protocol: 'TCP' }] });
  });

  test('every applicable control is enforced, external or equivalent; none violated', () => {
    const { svc } = synth();
    const entry = svc.complianceEntry();
    expect(entry.path).toBe('test/scorer');
    expect(entry.backend).toBe('kubernetes');
    expect(entry.images).toHaveLength(2);
    const byStatus = (s: ControlStatus) => entry.controls.filter((c) => c.status === s).map((c) => c.id);
    expect(byStatus(ControlStatus.VIOLATED)).toEqual([]);
    expect(byStatus(ControlStatus.ENFORCED).sort()).toEqual(['AVL-1', 'AVL-2', 'AVL-3', 'AVL-4', 'IMG-1', 'IMG-2', 'IMG-3', 'META-1', 'META-2',
      'NET-1', 'PRB-1', 'RES-1', 'SEC-1', 'SEC-2', 'SEC-3', 'SEC-4', 'SEC-5', 'SEC-6', 'SEC-7', 'SEC-8', 'SEC-9'].sort());
    // LOG-1: the default sidecar ships the files of $LOG_DIR only, stdout/stderr need a node agent; LOG-4: a declared sink MOD-1: no modelArtifact, so the weights are in the image or out of sight
    expect(byStatus(ControlStatus.EXTERNAL).sort()).toEqual(['IMG-4', 'LOG-1', 'LOG-2', 'LOG-3', 'LOG-4', 'MOD-1', 'MON-1', 'REG-1', 'REG-2', 'REG-3']);
    expect(entry.controls.find((c) => c.id === 'SEC-1')!.evidence[0]).toMatch(/^Deployment test-scorer-[0-9a-f]{8} spec.template.spec.initContainers\[0\]/);
  });

  test('snapshot of the defaults', () => {
    expect(synth().docs).toMatchSnapshot();
  });
});

describe('log shipping', () => {
  test('the sidecar is a native sidecar (restartPolicy Always) reading the shared log dir announced via LOG_DIR', () => {
    const { pod, main, of } = synth();
    const shipper = pod.initContainers[0];
    expect(shipper.restartPolicy).toBe('Always');
    expect(shipper.volumeMounts).toContainEqual({ name: 'model-logs', mountPath: '/var/log/model', readOnly: true });
    expect(main.env).toContainEqual({ name: 'LOG_DIR', value: '/var/log/model' });
    expect(main.env).toContainEqual({ name: 'INFERENCE_LOG_PATH', value: '/var/log/model/inference.log' });
    const conf = of('ConfigMap').data['fluent-bit.conf'];
    expect(conf).toContain('Path               /var/log/model/*.log');
    expect(conf).toContain('Name               forward');
    expect(of('ConfigMap').immutable).toBe(true);
  });

  test.each([
    [k8s.LogDestination.otlpHttp({ host: 'otel.observability.svc', tls: true }), ['Name               opentelemetry', 'Logs_uri           /v1/logs', 'tls                On'], 4318, 'observability'],
    [k8s.LogDestination.loki({ host: 'loki.logging.svc', tenantId: 'ml' }), ['Name               loki', 'Tenant_id          ml'], 3100, 'logging'],
    [k8s.LogDestination.elasticsearch({ host: 'es.logging.svc', index: 'models' }), ['Name               es', 'Index              models'], 9200, 'logging'],
    [k8s.LogDestination.openSearch({ host: 'os.search.svc.cluster.local', index: 'models', port: 443 }), ['Name               opensearch'], 443, 'search'],
  ])('destination %#', (dest, lines, port, namespace) => {
    const { of } = synth({ logShipping: k8s.LogShipping.sidecar(dest) });
    const conf = of('ConfigMap').data['fluent-bit.conf'];
    for (const line of lines) {
      expect(conf).toContain(line);
    }
    expect(of('NetworkPolicy').spec.egress[1]).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } }], ports: [{ port, protocol: 'TCP' }] });
  });

  test('cluster-agent mode adds no sidecar and reports LOG-1 external', () => {
    const { pod, docs, status, main } = synth({ logShipping: k8s.LogShipping.clusterAgent() });
    expect(pod.initContainers).toBeUndefined();
    expect(docs.map((d) => d.kind)).not.toContain('ConfigMap');
    expect(main.env).toContainEqual({ name: 'INFERENCE_LOG_PATH', value: '/dev/stdout' });
    expect(status('LOG-1')!.status).toBe(ControlStatus.EXTERNAL);
  });

  test('fails for an unpinned sidecar image and a relative log directory', () => {
    const dest = k8s.LogDestination.fluentForward({ host: 'agg' });
    const unpinned = ImageReference.unpinned('fluent/fluent-bit:3.2', [{ control: 'IMG-1', reason: 'test' }]);
    expect(() => k8s.LogShipping.sidecar(dest, { image: unpinned })).toThrow(/the log shipper must be pinned by digest/);
    expect(() => k8s.LogShipping.sidecar(dest, { logDirectory: 'logs' })).toThrow(/invalid logDirectory "logs": must be an absolute path/);
    expect(() => k8s.LogDestination.fluentForward({ host: 'bad host' })).toThrow(/invalid host "bad host"/);
  });
});

describe('options', () => {
  test('GPU count becomes requests and limits of the resource, with node selector and tolerations', () => {
    const { main, pod } = synth({
      gpuCount: 2,
      nodeSelector: { 'node.kubernetes.io/instance-type': 'g5.xlarge' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(main.resources.limits['nvidia.com/gpu']).toBe('2');
    expect(main.resources.requests['nvidia.com/gpu']).toBe('2');
    expect(pod.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'g5.xlarge' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(synth({ gpuCount: 1, gpuResourceName: 'amd.com/gpu' }).main.resources.limits['amd.com/gpu']).toBe('1');
  });

  test('autoscaling renders an HPA with minReplicas >= 2 and leaves replicas to it', () => {
    const { of, deployment, status } = synth({ autoscaling: { maxReplicas: 6 } });
    expect(deployment.spec.replicas).toBeUndefined();
    expect(of('HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { kind: 'Deployment', name: deployment.metadata.name } });
    expect(status('AVL-1')!.evidence[0]).toMatch(/HorizontalPodAutoscaler .* spec.minReplicas=2/);
  });

  test('custom resources, port, user, egress, ingress peers, priority class and secrets', () => {
    const { main, pod, of } = synth({
      port: 9000,
      runAsUser: 20000,
      runAsGroup: 20001,
      priorityClassName: 'inference-high',
      resources: { cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(1) } },
      egress: [{ peer: k8s.NetworkPeer.cidr('10.20.0.0/16'), port: 443 }],
      allowIngressFrom: [k8s.NetworkPeer.podsInNamespace('gateway', { app: 'envoy' })],
      env: { FEATURE_FLAG: 'on' },
      secretEnv: { API_TOKEN: { secretName: 'scorer', key: 'token' } },
    });
    expect(main.ports).toEqual([{ name: 'http', containerPort: 9000, protocol: 'TCP' }]);
    expect(main.resources.requests.cpu).toBe('500m');
    expect(pod.securityContext.runAsUser).toBe(20000);
    expect(pod.securityContext.fsGroup).toBe(20001);
    expect(pod.priorityClassName).toBe('inference-high');
    expect(main.env).toContainEqual({ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'scorer', key: 'token' } } });
    expect(of('NetworkPolicy').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    expect(of('NetworkPolicy').spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'gateway' });
  });

  test('IMG-4: OCI provenance is mirrored into annotations', () => {
    const { deployment, status } = synth({
      imageProvenance: { source: 'https://github.com/acme/scorer', revision: 'abcdef1', version: '1.4.2', created: '2026-11-02T10:00:00Z' },
    });
    expect(deployment.metadata.annotations['oci.compliance.cdk-compliant-ml.io/revision']).toBe('abcdef1');
    expect(status('IMG-4')!.status).toBe(ControlStatus.ENFORCED);
  });
});

describe('waivers', () => {
  test('one replica needs an AVL-1 waiver, and the waiver lands in the report', () => {
    const waiver = { control: 'AVL-1', reason: 'single GPU in the dev cluster', expires: '2999-01-01' };
    const { deployment, status } = synth({ replicas: 1, waivers: [waiver] });
    expect(deployment.spec.replicas).toBe(1);
    expect(status('AVL-1')).toMatchObject({
      status: ControlStatus.WAIVED, waiver, waiverSource: 'construct test/scorer', evidence: [expect.stringMatching(/spec.replicas=1$/)],
    });
    // the output carries the whole waiver, so a tool that reads only the manifest validates it like the construct did
    expect(JSON.parse(deployment.metadata.annotations['compliance.cdk-compliant-ml.io/waivers'])).toEqual([waiver]);
  });

  test('a writable root filesystem, another pull policy and no NetworkPolicy need SEC-5, IMG-3 and NET-1 waivers', () => {
    const waivers = ['SEC-5', 'IMG-3', 'NET-1'].map((control) => ({ control, reason: 'legacy server writes to /var/cache' }));
    const pullPolicy = kplus.ImagePullPolicy.IF_NOT_PRESENT;
    const { docs, status } = synth({ readOnlyRootFilesystem: false, imagePullPolicy: pullPolicy, networkPolicy: false, waivers });
    expect(docs.map((d) => d.kind)).not.toContain('NetworkPolicy');
    for (const id of ['SEC-5', 'IMG-3', 'NET-1']) {
      expect(status(id)!.status).toBe(ControlStatus.WAIVED);
    }
  });

  test('an unpinned image with its waivers is accepted and reported as waived', () => {
    const image = ImageReference.unpinned('ghcr.io/acme/scorer:1.4.2', [{ control: 'IMG-1', reason: 'digest pinned by the GitOps overlay' }]);
    const { status } = synth({ image });
    expect(status('IMG-1')).toMatchObject({ status: ControlStatus.WAIVED, waiver: { control: 'IMG-1' } });
  });

  test('fails for an expired waiver', () => {
    expect(() => synth({ replicas: 1, waivers: [{ control: 'AVL-1', reason: 'r', expires: '2020-01-01' }] }))
      .toThrow(/^test\/scorer: invalid waivers\[0\].expires "2020-01-01": the waiver of AVL-1 expired on 2020-01-01/);
  });
});

describe('bad input', () => {
  test.each([
    [{ replicas: 1 }, 'test/scorer: invalid replicas 1: a single replica makes every node failure or rollout an outage (control AVL-1)'],
    [{ replicas: 2.5 }, 'test/scorer: invalid replicas 2.5: must be an integer in 1..10000'],
    [{ port: 0 }, 'test/scorer: invalid port 0: must be an integer in 1..65535'],
    [{ port: 70000 }, 'test/scorer: invalid port 70000'],
    [{ runAsUser: 1000 }, 'test/scorer: invalid runAsUser 1000: must be at least 10000'],
    [{ runAsGroup: 0 }, 'test/scorer: invalid runAsGroup 0: must be at least 10000'],
    [{ modelLoadTimeout: Duration.seconds(0) }, 'test/scorer: invalid modelLoadTimeout "0s": must be a positive whole number of seconds'],
    [{ readinessPath: '/v2/health/live' }, 'test/scorer: invalid readinessPath "/v2/health/live": equals livenessPath'],
    [{ livenessPath: 'health' }, 'test/scorer: invalid livenessPath "health": is not an absolute URL path'],
    [{ autoscaling: { minReplicas: 4, maxReplicas: 3 } }, 'test/scorer: invalid autoscaling.maxReplicas 3: is below autoscaling.minReplicas (4)'],
    [{ autoscaling: { minReplicas: 1, maxReplicas: 3 } }, 'test/scorer: invalid autoscaling.minReplicas 1: a single replica'],
    [{ autoscaling: { maxReplicas: 3, targetCpuUtilizationPercent: 0 } }, 'invalid autoscaling.targetCpuUtilizationPercent 0'],
    [{ gpuCount: -1 }, 'test/scorer: invalid gpuCount -1'],
    [{ env: { DB_PASSWORD: 'x' } }, 'test/scorer: invalid env.DB_PASSWORD "DB_PASSWORD": would be stored in plaintext in the manifest (SEC-9): its name denotes a secret'],
    [{ env: { MODEL_NAME: 'x' } }, 'test/scorer: invalid env.MODEL_NAME "MODEL_NAME": is set by the construct'],
    [{ secretEnv: { LOG_DIR: { secretName: 's', key: 'k' } } }, 'test/scorer: invalid secretEnv.LOG_DIR "LOG_DIR": is set by the construct'],
    [{ readOnlyRootFilesystem: false }, 'test/scorer: invalid readOnlyRootFilesystem false: a writable root filesystem'],
    [{ networkPolicy: false }, '(control NET-1)'],
    [{ model: { name: 'm', version: 'latest' } }, 'test/scorer: invalid model.version "latest"'],
    [{ resources: { memory: { request: kplus.Cpu.units(1) as any } } }, 'test/scorer: invalid resources.memory.request {"amount":"1"}: is not a Size'],
  ])('fails for %j', (props, message) => {
    expect(() => synth(props as any)).toThrow(message);
  });

  test('fails when the image is not an ImageReference', () => {
    expect(() => synth({ image: 'python:3.12' as any })).toThrow('test/scorer: invalid image "python:3.12": is not an ImageReference');
  });
});

describe('names', () => {
  test('odd and long ids give valid, unique, deterministic DNS-1123 names and label values', () => {
    const chart = new Chart(Testing.app(), '9-Very_Long.Chart');
    const ids = ['Scorer', 'scorer', 'x'.repeat(120), 'ÜBER model!', 'a/b'];
    const names = ids.map((id) => new k8s.CompliantModelService(chart, id.replace('/', '-'), { image: IMAGE, model: MODEL }).name);
    for (const n of names) {
      expect(n).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    }
    expect(new Set(names).size).toBe(ids.length);
    expectValidManifests(Testing.synth(chart));
    const again = new Chart(Testing.app(), '9-Very_Long.Chart');
    expect(ids.map((id) => new k8s.CompliantModelService(again, id.replace('/', '-'), { image: IMAGE, model: MODEL }).name)).toEqual(names);
  });
});
