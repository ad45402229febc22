/* eslint-disable @typescript-eslint/no-explicit-any */
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { ComplianceReport, ControlStatus } from '../../src/compliance';
import { ImageReference, ScanReport } from '../../src/core';
import * as k8s from '../../src/k8s';
import { imagePatterns, patternMatches } from '../../src/k8s/image-signature-policy';
import { rawDeployment } from '../support/k8s-report-app';
import { expectValidManifests } from '../support/k8s-validate';

const DIGEST = 'sha256:d55b94091715a89ff121d2efdac859d017094e8cadc58efb12a6d432f232fd76';
const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@${DIGEST}`);
const TRAIN = ImageReference.fromString(`registry.example.com:5000/ml/fraud-train@sha256:${'b'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const KEYLESS = { issuer: 'https://token.actions.githubusercontent.com', subject: 'https://github.com/acme/scorer/.github/workflows/release.yml@refs/heads/main' };
const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFN8gGjQua2g8N+aLxOzS0pgiOKxMGqWsz1nn0Ns4VdOOWpxF1eNgtkTnMkjMTbYEgKV9Ye4a7aw0NhVH2Xz9sg==\n-----END PUBLIC KEY-----';
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'scans');
const CUSTOM = ['ClusterPolicy', 'ClusterImagePolicy'];

/** Synthesizes a chart: the core kinds strictly validated, the custom resources returned for structural checks. */
function synth(chart: Chart) {
  const docs = Testing.synth(chart);
  expectValidManifests(docs.filter((d) => !CUSTOM.includes(d.kind)));
  return { docs, policy: docs.find((d) => CUSTOM.includes(d.kind)) };
}

const reg = (w: { complianceEntry(): any }, id: string) => w.complianceEntry().controls.find((c: any) => c.id === id);

describe('k8s.ImageSignaturePolicy with Kyverno', () => {
  test('a ClusterPolicy verifyImages rule in Enforce mode, digest required, keyless identity with Rekor', () => {
    const chart = Testing.chart();
    new k8s.ImageSignaturePolicy(chart, 'Signatures', { engine: k8s.SignatureEngine.KYVERNO, keyless: KEYLESS, name: 'verify-acme' });
    new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL });
    const { policy } = synth(chart);
    expect(policy).toEqual({
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: 'verify-acme',
        annotations: { 'compliance.cdk-compliant-ml.io/control': 'REG-3', 'policies.kyverno.io/title': 'Verify image signatures' },
      },
      spec: {
        validationFailureAction: 'Enforce',
        background: false,
        failurePolicy: 'Fail',
        webhookTimeoutSeconds: 30,
        rules: [{
          name: 'verify-image-signatures',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [{
            // collected at synth: the workload was added after the policy
            imageReferences: ['ghcr.io/acme/fraud-scorer*'],
            attestors: [{ count: 1, entries: [{ keyless: { ...KEYLESS, rekor: { url: 'https://rekor.sigstore.dev' } } }] }],
            mutateDigest: true,
            verifyDigest: true,
            required: true,
          }],
        }],
      },
    });
  });

  test('REG-3 needs every image of the pod covered: the log shipper too (its publisher signs it with another key)', () => {
    const chart = Testing.chart();
    const svc = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL });
    const job = new k8s.CompliantTrainingJob(chart, 'train', { image: TRAIN });
    new k8s.ImageSignaturePolicy(chart, 'Signatures', { engine: k8s.SignatureEngine.KYVERNO, publicKey: PEM });
    const { policy } = synth(chart);
    expect(policy.spec.rules[0].verifyImages[0].imageReferences).toEqual(['ghcr.io/acme/fraud-scorer*', 'registry.example.com:5000/ml/fraud-train*']);
    expect(policy.spec.rules[0].verifyImages[0].attestors[0].entries).toEqual([{ keys: { publicKeys: `${PEM}\n` } }]);
    const r = reg(svc, 'REG-3');
    expect(r.status).toBe(ControlStatus.EXTERNAL);
    expect(r.evidence).toEqual([expect.stringMatching(/initContainers\[0\]\.image=".*fluent-bit.*": no signature policy of this app covers it/)]);
    // a second policy, with the shipper publisher's key, covers the sidecar
    new k8s.ImageSignaturePolicy(chart, 'ShipperSignatures', { engine: k8s.SignatureEngine.KYVERNO, keyless: KEYLESS, images: ['cr.fluentbit.io/fluent/fluent-bit*'] });
    const covered = reg(svc, 'REG-3');
    expect(covered.status).toBe(ControlStatus.ENFORCED);
    expect(covered.evidence).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ClusterPolicy \S+ spec\.rules\[0\]\.verifyImages\[0\]\.imageReferences=\[.*\] covers Deployment \S+ spec\.template\.spec\.containers\[0\]\.image="ghcr\.io\/acme\/fraud-scorer:1\.4\.2@sha256:d55b/),
      expect.stringMatching(/covers Deployment \S+ spec\.template\.spec\.initContainers\[0\]\.image=".*fluent-bit/),
    ]));
    expect(reg(job, 'REG-3').status).toBe(ControlStatus.ENFORCED);
  });

  test('the policy is cluster-scoped: a chart namespace is not set on it', () => {
    const chart = new Chart(Testing.app(), 'ml', { namespace: 'fraud' });
    new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL });
    new k8s.ImageSignaturePolicy(chart, 'Signatures', { engine: k8s.SignatureEngine.KYVERNO, keyless: KEYLESS });
    const { docs, policy } = synth(chart);
    expect(policy.metadata.namespace).toBeUndefined();
    expect(docs.find((d) => d.kind === 'Deployment').metadata.namespace).toBe('fraud');
  });

  test('without a policy REG-3 stays external; a policy for other images leaves it external with the reason', () => {
    const chart = Testing.chart();
    const svc = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL });
    expect(reg(svc, 'REG-3')).toMatchObject({ status: ControlStatus.EXTERNAL, evidence: ['no admission policy verifies image signatures in this app'] });
    new k8s.ImageSignaturePolicy(chart, 'Signatures', { engine: k8s.SignatureEngine.KYVERNO, keyless: KEYLESS, images: ['ghcr.io/other/*'] });
    expect(reg(svc, 'REG-3').status).toBe(ControlStatus.EXTERNAL);
    expect(reg(svc, 'REG-3').evidence).toContainEqual(expect.stringMatching(/\.containers\[0\]\.image=".*": no signature policy of this app covers it \(ClusterPolicy \S+ exist\)/));
  });

  test('a hand-written ClusterPolicy in Audit mode does not enforce REG-3; one in Enforce mode covers a foreign Deployment', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'web');
    rawDeployment(chart, 'nginx');
    const policy = (name: string, action: string) => new ApiObject(chart, name, {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name },
      spec: {
        validationFailureAction: action,
        rules: [{
          name: 'r',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [{ imageReferences: ['docker.io/library/nginx*'], attestors: [{ entries: [{ keys: { publicKeys: PEM } }] }] }],
        }],
      },
    });
    policy('audit', 'Audit');
    const entry = () => ComplianceReport.of(app).workloads.find((w) => w.kind === 'Deployment')!.controls.find((c) => c.id === 'REG-3')!;
    expect(entry().status).toBe(ControlStatus.EXTERNAL);
    expect(entry().evidence[0]).toMatch(/ClusterPolicy audit covers Deployment nginx .* in Audit mode only/);
    policy('enforce', 'Enforce');
    expect(entry().status).toBe(ControlStatus.ENFORCED);
    expect(entry().evidence[0]).toMatch(/^ClusterPolicy enforce .* covers Deployment nginx spec\.template\.spec\.containers\[0\]\.image="nginx:latest"/);
  });
});

describe('k8s.ImageSignaturePolicy with the sigstore policy-controller', () => {
  test('a ClusterImagePolicy with globs and a key authority; REG-3 enforced only in a namespace labelled policy.sigstore.dev/include=true', () => {
    const chart = new Chart(Testing.app(), 'ml', { namespace: 'fraud' });
    const svc = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL, logShipping: k8s.LogShipping.clusterAgent() });
    new k8s.ImageSignaturePolicy(chart, 'Signatures', {
      engine: k8s.SignatureEngine.SIGSTORE,
      publicKey: PEM,
      imageReferences: [IMAGE, ImageReference.fromString(`python:3.12@sha256:${'c'.repeat(64)}`)],
      rekorUrl: 'https://rekor.internal.example.com',
    });
    const { policy } = synth(chart);
    expect(policy.apiVersion).toBe('policy.sigstore.dev/v1beta1');
    expect(policy.spec).toEqual({
      mode: 'enforce',
      images: [{ glob: 'ghcr.io/acme/fraud-scorer*' }, { glob: 'index.docker.io/library/python*' }],
      authorities: [{ name: 'key', key: { data: `${PEM}\n`, hashAlgorithm: 'sha256' }, ctlog: { url: 'https://rekor.internal.example.com' } }],
    });
    // the Namespace is not in the output: the controller may not check it
    expect(reg(svc, 'REG-3')).toMatchObject({ status: ControlStatus.EXTERNAL, evidence: [expect.stringMatching(/the Namespace fraud is not in the output: label it/)] });
    const ns = new ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fraud', labels: { team: 'ml' } } });
    ns.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    expect(reg(svc, 'REG-3')).toMatchObject({ status: ControlStatus.EXTERNAL, evidence: [expect.stringMatching(/Namespace fraud is not labelled policy\.sigstore\.dev\/include=true/)] });
    ns.metadata.addLabel('policy.sigstore.dev/include', 'true');
    expect(reg(svc, 'REG-3').status).toBe(ControlStatus.ENFORCED);
    expect(reg(svc, 'REG-3').evidence[0]).toMatch(/^ClusterImagePolicy \S+ spec\.images\[\*\]\.glob=.* covers Deployment .* \(Namespace fraud is labelled policy\.sigstore\.dev\/include=true\)$/);
  });

  test('keyless identities; a policy in warn mode does not enforce', () => {
    const chart = new Chart(Testing.app(), 'ml', { namespace: 'fraud' });
    new ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fraud', labels: { 'policy.sigstore.dev/include': 'true' } } });
    const svc = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL, logShipping: k8s.LogShipping.clusterAgent() });
    const p = new k8s.ImageSignaturePolicy(chart, 'Signatures', { engine: k8s.SignatureEngine.SIGSTORE, keyless: KEYLESS });
    expect(p.apiObject.toJson().spec.authorities).toEqual([{ name: 'keyless', keyless: { identities: [KEYLESS] } }]);
    expect(reg(svc, 'REG-3').status).toBe(ControlStatus.ENFORCED);
    p.apiObject.addJsonPatch(JsonPatch.replace('/spec/mode', 'warn'));
    expect(reg(svc, 'REG-3').status).toBe(ControlStatus.EXTERNAL);
  });
});

describe('bad input', () => {
  const make = (props: Partial<k8s.ImageSignaturePolicyProps>) => {
    const chart = Testing.chart();
    new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL });
    const p = new k8s.ImageSignaturePolicy(chart, 'Signatures', { engine: k8s.SignatureEngine.KYVERNO, ...props } as k8s.ImageSignaturePolicyProps);
    return { chart, p };
  };

  test.each([
    ['both keyless and publicKey', { keyless: KEYLESS, publicKey: PEM }, /must be given, and only one of keyless and publicKey/],
    ['neither keyless nor publicKey', {}, /invalid keyless \(undefined\): must be given, and only one of keyless and publicKey/],
    ['a non-PEM public key', { publicKey: 'ssh-ed25519 AAAA' }, /invalid publicKey "ssh-ed25519 AAAA…": is not a PEM public key/],
    ['an http issuer', { keyless: { issuer: 'http://issuer', subject: 'x' } }, /keyless\.issuer "http:\/\/issuer": is not an https OIDC issuer URL/],
    ['an empty subject', { keyless: { issuer: 'https://issuer', subject: ' ' } }, /keyless\.subject " ": is empty/],
    ['a Rekor URL that is not https', { keyless: KEYLESS, rekorUrl: 'rekor' }, /rekorUrl "rekor": is not an https URL/],
    ['a webhook timeout above 30 s', { keyless: KEYLESS, webhookTimeoutSeconds: 31 }, /webhookTimeoutSeconds 31: must be an integer in 1\.\.30/],
    ['no image patterns', { keyless: KEYLESS, images: [] }, /images \[\]: is empty, so the policy would verify nothing/],
    ['a pattern with white space', { keyless: KEYLESS, images: ['ghcr.io/a b'] }, /images\[0\] "ghcr\.io\/a b": is not an image pattern/],
    ['an unknown engine', { keyless: KEYLESS, engine: 'gatekeeper' }, /engine "gatekeeper": is not a SignatureEngine/],
    ['a sigstore glob with a digest', { keyless: KEYLESS, engine: k8s.SignatureEngine.SIGSTORE, images: [`ghcr.io/acme/x@${DIGEST}`] }, /has characters a sigstore glob cannot hold/],
  ])('%s is refused', (_label, props, message) => {
    expect(() => make(props as any)).toThrow(message);
  });

  test('without images and without workloads in the chart, synthesis fails with the fix', () => {
    const chart = Testing.chart();
    new k8s.ImageSignaturePolicy(chart, 'Signatures', { engine: k8s.SignatureEngine.KYVERNO, keyless: KEYLESS });
    expect(() => Testing.synth(chart)).toThrow(/invalid images \(undefined\): are not given and the chart has no workload of this library.*pass images/);
  });
});

describe('pattern matching of the checker', () => {
  test('Kyverno wildcards cross "/", sigstore "*" does not but "**" does; Docker Hub names are normalized per engine', () => {
    const K = k8s.SignatureEngine.KYVERNO;
    const S = k8s.SignatureEngine.SIGSTORE;
    const img = `ghcr.io/acme/fraud-scorer:1.4.2@${DIGEST}`;
    expect(patternMatches('ghcr.io/*', img, K)).toBe(true);
    expect(patternMatches('ghcr.io/*', img, S)).toBe(false);
    expect(patternMatches('ghcr.io/**', img, S)).toBe(true);
    expect(patternMatches('ghcr.io/acme/fraud-scorer*', img, S)).toBe(true);
    expect(patternMatches('ghcr.io/acme/fraud-scorer?1.4.2*', img, K)).toBe(true);
    expect(patternMatches('ghcr.io/acme/other*', img, K)).toBe(false);
    expect(patternMatches('index.docker.io/library/python*', `python:3.12@${DIGEST}`, S)).toBe(true);
    expect(patternMatches('docker.io/library/python*', `python:3.12@${DIGEST}`, K)).toBe(true);
    expect(patternMatches('docker.io/acme/x*', 'acme/x:1', K)).toBe(true);
    expect(imagePatterns(ImageReference.fromString(`acme/x:1@${DIGEST}`), K)).toEqual(['docker.io/acme/x*', 'acme/x*']);
  });
});

describe('imageScan on the Kubernetes constructs', () => {
  const trivy = (name = 'trivy-clean.json') => ScanReport.fromTrivyJsonFile(path.join(FIXTURES, name));

  test('annotations on the workload and its pod template record the scan; REG-2 cites them', () => {
    const chart = Testing.chart();
    const svc = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL, imageScan: { reports: [trivy()] } });
    const { docs } = synth(chart);
    const d = docs.find((x) => x.kind === 'Deployment');
    for (const a of [d.metadata.annotations, d.spec.template.metadata.annotations]) {
      expect(a).toMatchObject({
        'scan.compliance.cdk-compliant-ml.io/scanner': 'trivy 0.69.0',
        'scan.compliance.cdk-compliant-ml.io/created': '2026-11-28T09:14:07.123456789Z',
        'scan.compliance.cdk-compliant-ml.io/digest': DIGEST,
        'scan.compliance.cdk-compliant-ml.io/critical': '0',
        'scan.compliance.cdk-compliant-ml.io/high': '1',
        'scan.compliance.cdk-compliant-ml.io/fail-on': 'CRITICAL',
      });
    }
    const r = reg(svc, 'REG-2');
    expect(r.status).toBe(ControlStatus.ENFORCED);
    expect(r.evidence).toContain(`Deployment ${d.metadata.name} metadata.annotations["scan.compliance.cdk-compliant-ml.io/critical"]="0"`);
  });

  test('training jobs: a scan of another digest is refused; CRITICAL findings fail unless REG-2 is waived', () => {
    const chart = Testing.chart();
    const image = ImageReference.fromString(`ghcr.io/acme/fraud-scorer@${DIGEST}`);
    expect(() => new k8s.CompliantTrainingJob(chart, 'a', { image, imageScan: { reports: [trivy('trivy-other-digest.json')] } }))
      .toThrow(/invalid imageScan\.reports\[0\] "trivy-other-digest\.json": is a trivy report for sha256:23770fe9/);
    expect(() => new k8s.CompliantTrainingJob(chart, 'b', { image, imageScan: { reports: [trivy('trivy-critical.json')] } }))
      .toThrow(/finds 2 vulnerabilities at or above CRITICAL/);
    const job = new k8s.CompliantTrainingJob(chart, 'c', {
      image, imageScan: { reports: [trivy('trivy-critical.json')] }, waivers: [{ control: 'REG-2', reason: 'accepted until the base image is patched' }],
    });
    expect(reg(job, 'REG-2').status).toBe(ControlStatus.WAIVED);
    expect(reg(job, 'REG-2').evidence).toContain('2 findings at or above CRITICAL, 0 allowed');
  });
});
