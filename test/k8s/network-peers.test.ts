/* eslint-disable @typescript-eslint/no-explicit-any */
import { Testing } from 'cdk8s';
import { ImageReference, k8s } from '../../src';
import { isCidr } from '../../src/core/bounds';
import { expectValidManifests } from '../support/k8s-validate';
import { pssRestrictedViolations } from '../support/pss';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const KUBE_DNS = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } };

function synthService(props: Partial<k8s.CompliantModelServiceProps> = {}): any[] {
  const chart = Testing.chart();
  new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL, ...props });
  return validDocs(Testing.synth(chart));
}

function synthJob(props: Partial<k8s.CompliantTrainingJobProps> = {}): any[] {
  const chart = Testing.chart();
  new k8s.CompliantTrainingJob(chart, 'train', { image: IMAGE, ...props });
  return validDocs(Testing.synth(chart));
}

function validDocs(docs: any[]): any[] {
  expectValidManifests(docs);
  for (const d of docs) {
    expect(pssRestrictedViolations(d)).toEqual([]);
  }
  return docs;
}

const policyOf = (docs: any[]) => docs.find((d) => d.kind === 'NetworkPolicy').spec;
const configOf = (docs: any[]): string => docs.find((d) => d.kind === 'ConfigMap').data['fluent-bit.conf'];
const shipperOf = (docs: any[]) => docs.find((d) => d.kind === 'Deployment' || d.kind === 'Job').spec.template.spec.initContainers[0];

const destinations: Array<[string, () => k8s.LogShipping]> = [
  ['default', () => undefined as any],
  ['cluster agent', () => k8s.LogShipping.clusterAgent()],
  ['OTLP in another namespace', () => k8s.LogShipping.sidecar(k8s.LogDestination.otlpHttp({ host: 'otel.observability.svc.cluster.local' }))],
  ['Loki in the same namespace', () => k8s.LogShipping.sidecar(k8s.LogDestination.loki({ host: 'loki' }))],
  ['OpenSearch by IP', () => k8s.LogShipping.sidecar(k8s.LogDestination.openSearch({ host: '10.1.2.3', index: 'models' }))],
  ['Elasticsearch outside the cluster with a CIDR peer', () => k8s.LogShipping.sidecar(k8s.LogDestination.elasticsearch({ host: 'logs.example.com', index: 'models', peer: k8s.NetworkPeer.cidr('203.0.113.0/24') }))],
  ['forward to labelled pods', () => k8s.LogShipping.sidecar(k8s.LogDestination.fluentForward({ host: 'agg.logging.svc', peer: k8s.NetworkPeer.podsInNamespace('logging', { 'app.kubernetes.io/name': 'fluentd' }) }))],
];

describe('NET-1: every egress rule of our NetworkPolicies names its peer', () => {
  test.each(destinations)('model service, %s', (_name, shipping) => {
    const spec = policyOf(synthService({ logShipping: shipping(), egress: [{ peer: k8s.NetworkPeer.cidr('10.20.0.0/16'), port: 443 }] }));
    for (const rule of spec.egress) {
      expect(rule.to?.length).toBeGreaterThan(0);
      for (const peer of rule.to) {
        expect(Object.keys(peer).length).toBeGreaterThan(0);
      }
    }
    for (const rule of spec.ingress) {
      expect(rule.from?.length).toBeGreaterThan(0);
    }
  });

  test.each(destinations)('training job (Job and CronJob), %s', (_name, shipping) => {
    for (const schedule of [undefined, '0 3 * * *']) {
      const spec = policyOf(synthJob({ logShipping: shipping(), schedule }));
      for (const rule of [...spec.egress, ...spec.ingress]) {
        expect((rule.to ?? rule.from)?.length).toBeGreaterThan(0);
      }
    }
  });

  test('the log rule names the receiver: namespace for <svc>.<ns>.svc, the workload namespace for one label, /32 for an IP, the given peer', () => {
    const logRule = (shipping: k8s.LogShipping) => policyOf(synthService({ logShipping: shipping })).egress[1];
    expect(logRule(k8s.LogShipping.sidecar(k8s.LogDestination.otlpHttp({ host: 'otel.observability.svc.cluster.local' })))).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ port: 4318, protocol: 'TCP' }] });
    expect(logRule(k8s.LogShipping.sidecar(k8s.LogDestination.loki({ host: 'loki' }))).to).toEqual([{ podSelector: {} }]);
    expect(logRule(k8s.LogShipping.sidecar(k8s.LogDestination.openSearch({ host: '10.1.2.3', index: 'models' }))).to).toEqual([{ ipBlock: { cidr: '10.1.2.3/32' } }]);
    expect(logRule(k8s.LogShipping.sidecar(k8s.LogDestination.fluentForward({ host: 'agg.logging.svc', peer: k8s.NetworkPeer.podsInNamespace('logging', { app: 'fluentd' }) }))).to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } }, podSelector: { matchLabels: { app: 'fluentd' } } }]);
  });

  test('fails when a host outside the cluster is given without a peer: a NetworkPolicy cannot name a DNS host', () => {
    expect(() => k8s.LogDestination.elasticsearch({ host: 'logs.example.com', index: 'models' })).toThrow(
      /invalid peer "logs.example.com": the host "logs.example.com" is outside the cluster and a NetworkPolicy cannot allow egress to a DNS name; give peer: NetworkPeer.cidr/);
  });

  test('fails when the given peer selects another namespace than the in-cluster host names', () => {
    expect(() => k8s.LogDestination.fluentForward({ host: 'agg.logging.svc', peer: k8s.NetworkPeer.podsInNamespace('other', { app: 'agg' }) })).toThrow(
      /invalid peer "pods .* in namespace other": selects namespace other, but the host agg.logging.svc is in namespace logging/);
  });

  test('DNS: kube-dns in kube-system by default, configurable on both constructs', () => {
    expect(policyOf(synthService()).egress[0]).toEqual({ to: [KUBE_DNS], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
    expect(policyOf(synthJob()).egress[0].to).toEqual([KUBE_DNS]);
    const nodeLocal = k8s.NetworkPeer.cidr('169.254.20.10/32');
    expect(policyOf(synthService({ dnsPeer: nodeLocal })).egress[0].to).toEqual([{ ipBlock: { cidr: '169.254.20.10/32' } }]);
    expect(policyOf(synthJob({ dnsPeer: k8s.NetworkPeer.podsInNamespace('dns', { app: 'coredns' }) })).egress[0].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } }]);
  });
});

describe('CIDR validation', () => {
  test.each(['10.0.0.0/8', '0.0.0.0/0', '255.255.255.255/32', '192.168.1.7/24', 'fd00::/8', '::/0', '2001:db8::1/128', '::ffff:10.0.0.1/128'])('accepts %s', (cidr) => {
    expect(isCidr(cidr)).toBe(true);
    expect(k8s.NetworkPeer.cidr(cidr).description).toBe(`CIDR ${cidr}`);
  });

  test.each(['256.0.0.0/8', '10.0.0.0/33', '10.0.0/8', '10.0.0.0', '010.0.0.0/8', '10.0.0.0/08', '1.2.3.4/-1', 'fd00::/129', 'fd00:::1/64', 'g::/8',
    'fe80::1%eth0/64', '10.0.0.0/8\n', ' 10.0.0.0/8'])('fails for %j', (cidr) => {
    expect(isCidr(cidr)).toBe(false);
    expect(() => k8s.NetworkPeer.cidr(cidr)).toThrow(/is not an IPv4 or IPv6 CIDR block/);
  });

  test('fails for a namespace that is not a DNS-1123 label', () => {
    expect(() => k8s.NetworkPeer.allPodsInNamespace('Logging')).toThrow(/invalid NetworkPeer.allPodsInNamespace name "Logging"/);
    expect(() => k8s.NetworkPeer.podsInNamespace('a\nb', {})).toThrow(/invalid NetworkPeer.podsInNamespace name/);
  });
});

describe('TLS on the log outputs', () => {
  const tlsEntries = (conf: string) => conf.split('\n').filter((l) => /^\s+tls/.test(l)).map((l) => l.trim().split(/\s+/));

  test('a host outside the cluster gets TLS with certificate and host-name verification by default', () => {
    const docs = synthService({ logShipping: k8s.LogShipping.sidecar(k8s.LogDestination.otlpHttp({ host: 'otlp.example.com', port: 443, peer: k8s.NetworkPeer.cidr('203.0.113.0/24') })) });
    expect(tlsEntries(configOf(docs))).toEqual([['tls', 'On'], ['tls.verify', 'On'], ['tls.verify_hostname', 'On'], ['tls.vhost', 'otlp.example.com']]);
  });

  test('an in-cluster receiver is plaintext by default, and TLS is opt-in there', () => {
    expect(tlsEntries(configOf(synthService()))).toEqual([]);
    const docs = synthService({ logShipping: k8s.LogShipping.sidecar(k8s.LogDestination.loki({ host: 'loki.logging.svc', tls: true, tlsCaConfigMap: 'loki-ca' })) });
    expect(tlsEntries(configOf(docs))).toEqual([['tls', 'On'], ['tls.verify', 'On'], ['tls.verify_hostname', 'On'], ['tls.vhost', 'loki.logging.svc'], ['tls.ca_file', '/fluent-bit/tls/ca.crt']]);
    const pod = docs.find((d) => d.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'log-shipper-tls-ca', configMap: { name: 'loki-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(pod.initContainers[0].volumeMounts).toContainEqual({ name: 'log-shipper-tls-ca', mountPath: '/fluent-bit/tls', readOnly: true });
  });

  test('verification can be turned off explicitly, and is reported', () => {
    const dest = k8s.LogDestination.elasticsearch({ host: 'es.logging.svc', index: 'm', tls: true, tlsVerify: false });
    expect(tlsEntries(configOf(synthService({ logShipping: k8s.LogShipping.sidecar(dest) })))).toEqual([['tls', 'On'], ['tls.verify', 'Off'], ['tls.vhost', 'es.logging.svc']]);
    expect(dest.receiver).toBe('Elasticsearch receiver at es.logging.svc:9200 (TLS, certificate NOT verified)');
  });

  test('the Forward shared key comes from a Secret through the environment, never as plaintext in the ConfigMap', () => {
    const docs = synthService({
      logShipping: k8s.LogShipping.sidecar(k8s.LogDestination.fluentForward({ host: 'agg.logging.svc', tls: true, sharedKey: { secretName: 'forward-auth', key: 'shared-key' } })),
    });
    expect(configOf(docs)).toContain('    Shared_Key         ${FLUENT_FORWARD_SHARED_KEY}\n');
    expect(shipperOf(docs).env).toEqual([{ name: 'FLUENT_FORWARD_SHARED_KEY', valueFrom: { secretKeyRef: { name: 'forward-auth', key: 'shared-key' } } }]);
  });

  test('fails when TLS options are given without TLS', () => {
    expect(() => k8s.LogDestination.loki({ host: 'loki.logging.svc', tlsVerify: false })).toThrow(/invalid tlsVerify false: has no effect without TLS; set tls: true/);
    expect(() => k8s.LogDestination.loki({ host: 'loki.logging.svc', tlsCaConfigMap: 'ca' })).toThrow(/invalid tlsCaConfigMap "ca": has no effect without TLS/);
  });
});
