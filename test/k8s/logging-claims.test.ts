/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { ControlScope, ControlStatus, ImageReference, k8s } from '../../src';
import { evaluateK8sWorkload } from '../../src/k8s/checks/workload-checks';
import { captureOutputInEachTest } from '../support/captured-output';
import { expectValidManifests } from '../support/k8s-validate';
import { pssRestrictedViolations } from '../support/pss';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const COMMAND = ['mlserver', 'start', '/models'];
const capturing = () => k8s.LogShipping.sidecar(k8s.LogDestination.fluentForward({ host: 'log-aggregator.logging.svc' }), { captureStdio: true });

function service(props: Partial<k8s.CompliantModelServiceProps> = {}, patch?: (svc: k8s.CompliantModelService) => void) {
  const chart = Testing.chart();
  const svc = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL, ...props });
  patch?.(svc);
  const docs = expectValidManifests(Testing.synth(chart));
  for (const d of docs) {
    expect(pssRestrictedViolations(d)).toEqual([]);
  }
  const control = (id: string) => svc.complianceEntry().controls.find((c) => c.id === id)!;
  return { svc, docs, control, main: docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0] };
}

function logConfigMap(svc: k8s.CompliantModelService | k8s.CompliantTrainingJob): ApiObject {
  return svc.node.findChild('LogShipperConfig') as ApiObject;
}

/** Evaluates the Deployment of the synthesized docs against `objects` (the CLI's view of a set of manifests). */
function foreignLog1(workload: any, objects: any[]) {
  return evaluateK8sWorkload(workload, objects, ControlScope.SERVICE, []).find((c) => c.id === 'LOG-1')!;
}

describe('LOG-1: enforced only for the streams the output really ships', () => {
  test('default sidecar: external for stdout/stderr, with the action naming the destination and the shipped files', () => {
    const { control } = service();
    const log1 = control('LOG-1');
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
    expect(log1.evidence[0]).toBe('Deployment test-scorer-' + log1.evidence[0].split('test-scorer-')[1].slice(0, 8)
      + ': stdout/stderr are collected only by a node agent: deploy a Fluent Bit/Vector DaemonSet shipping to the Fluent Forward receiver at'
      + ' log-aggregator.logging.svc:24224 (plaintext); the sidecar ships the files in /var/log/model/*.log');
    expect(log1.evidence).toEqual(expect.arrayContaining([expect.stringMatching(/^ConfigMap test-scorer-[0-9a-f]{8}-logs-[0-9a-f]{8} fluent-bit.conf: tail \/var\/log\/model\/\*\.log -> the Fluent Forward receiver at/)]));
  });

  test('captureStdio: the command is wrapped so stdout/stderr land in the shipped directory, and LOG-1 is enforced', () => {
    const { control, main } = service({ command: COMMAND, args: ['--debug'], logShipping: capturing() });
    expect(main.command).toEqual(['/bin/sh', '-c', 'exec "$@" >>"$LOG_DIR/stdout.log" 2>>"$LOG_DIR/stderr.log"', 'sh', ...COMMAND]);
    expect(main.args).toEqual(['--debug']);
    expect(main.env).toContainEqual({ name: 'LOG_DIR', value: '/var/log/model' });
    const log1 = control('LOG-1');
    expect(log1.status).toBe(ControlStatus.ENFORCED);
    expect(log1.evidence).toEqual(expect.arrayContaining([expect.stringMatching(/containers\[0\]\.command\[0\.\.2\]=\["\/bin\/sh","-c","exec/)]));
  });

  test('captureStdio on a training job is enforced too', () => {
    const chart = Testing.chart();
    const job = new k8s.CompliantTrainingJob(chart, 'train', { image: IMAGE, command: ['python', 'train.py'], logShipping: capturing() });
    expectValidManifests(Testing.synth(chart));
    expect(job.complianceEntry().controls.find((c) => c.id === 'LOG-1')!.status).toBe(ControlStatus.ENFORCED);
  });

  test('fails when captureStdio is set without a command: the library cannot wrap the image entrypoint', () => {
    expect(() => service({ logShipping: capturing() })).toThrow(/^test\/scorer: invalid command \(undefined\): is required with LogShipping.sidecar\(\.\.\., \{ captureStdio: true \}\)/);
  });

  test('cluster-agent mode: external, the node agent is named as the action', () => {
    const log1 = service({ logShipping: k8s.LogShipping.clusterAgent() }).control('LOG-1');
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
    expect(log1.evidence[0]).toMatch(/stdout\/stderr are collected only by a node agent: deploy a Fluent Bit\/Vector DaemonSet .*nothing in the pod ships logs/);
  });

  test('fails when a JsonPatch replaces the sidecar by another container', () => {
    const log1 = service({ command: COMMAND, logShipping: capturing() }, (svc) => svc.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/initContainers/0/image',
      `busybox@sha256:${'b'.repeat(64)}`), JsonPatch.replace('/spec/template/spec/initContainers/0/name', 'idle'))).control('LOG-1');
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
    expect(log1.evidence[0]).toMatch(/nothing in the pod ships logs/);
  });

  test('fails when a JsonPatch removes the sidecar', () => {
    const log1 = service({ command: COMMAND, logShipping: capturing() },
      (svc) => svc.deployment.addJsonPatch(JsonPatch.remove('/spec/template/spec/initContainers'))).control('LOG-1');
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
    expect(log1.evidence[0]).toMatch(/nothing in the pod ships logs/);
  });

  test('fails when the sidecar is no longer a native sidecar (it would stop before the server starts)', () => {
    const { docs } = service({ command: COMMAND, logShipping: capturing() });
    const plain = JSON.parse(JSON.stringify(docs.find((d) => d.kind === 'Deployment')));
    delete plain.spec.template.spec.initContainers[0].restartPolicy;
    expect(foreignLog1(plain, [plain, ...docs.filter((d) => d.kind === 'ConfigMap')]).status).toBe(ControlStatus.EXTERNAL);
  });

  test('fails when a JsonPatch removes the [OUTPUT] of the sidecar\'s configuration', () => {
    const log1 = service({ command: COMMAND, logShipping: capturing() }, (svc) => {
      const conf: string = logConfigMap(svc).toJson().data['fluent-bit.conf'];
      logConfigMap(svc).addJsonPatch(JsonPatch.replace('/data/fluent-bit.conf', conf.slice(0, conf.indexOf('[OUTPUT]'))));
    }).control('LOG-1');
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
    expect(log1.evidence[0]).toMatch(/fluent-bit.conf: no \[OUTPUT\] that leaves the pod/);
  });

  test('fails when the output is changed to the null or stdout plugin', () => {
    for (const plugin of ['null', 'stdout']) {
      const log1 = service({ command: COMMAND, logShipping: capturing() }, (svc) => {
        const conf: string = logConfigMap(svc).toJson().data['fluent-bit.conf'];
        logConfigMap(svc).addJsonPatch(JsonPatch.replace('/data/fluent-bit.conf', conf.replace(/Name {15}forward/, `Name               ${plugin}`)));
      }).control('LOG-1');
      expect(log1.status).toBe(ControlStatus.EXTERNAL);
    }
  });

  describe('report mode', () => {
    const output = captureOutputInEachTest(); // it warns on stderr about the unverified control

    test('fails (unverified) when the sidecar mounts a ConfigMap that is not among the evaluated objects', () => {
      const log1 = service({ command: COMMAND, logShipping: capturing() },
        (svc) => svc.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/volumes/3/configMap/name', 'shipper-config-elsewhere'))).control('LOG-1');
      expect(log1.status).toBe(ControlStatus.UNVERIFIED);
      expect(log1.evidence[0]).toMatch(/mounts ConfigMap shipper-config-elsewhere, which is not among the evaluated objects/);
      expect(output().warnings()).toEqual([expect.stringMatching(/^\[cdk-compliant-ml\] warning: test\/scorer: LOG-1 .* unverified: .*shipper-config-elsewhere/)]);
    });
  });

  test('fails (unverified) when the manifests checked by the CLI lack the ConfigMap', () => {
    const { docs } = service({ command: COMMAND, logShipping: capturing() });
    const deployment = docs.find((d) => d.kind === 'Deployment');
    expect(foreignLog1(deployment, docs).status).toBe(ControlStatus.ENFORCED);
    expect(foreignLog1(deployment, docs.filter((d) => d.kind !== 'ConfigMap')).status).toBe(ControlStatus.UNVERIFIED);
  });

  test('fails (unverified) when the configuration only @INCLUDEs its outputs', () => {
    const { docs } = service({ command: COMMAND, logShipping: capturing() });
    const deployment = docs.find((d) => d.kind === 'Deployment');
    const configMap = docs.find((d) => d.kind === 'ConfigMap');
    const conf: string = configMap.data['fluent-bit.conf'];
    const included = { ...configMap, data: { 'fluent-bit.conf': conf.slice(0, conf.indexOf('[OUTPUT]')) + '@INCLUDE /etc/outputs.conf\n' } };
    expect(foreignLog1(deployment, [deployment, included]).status).toBe(ControlStatus.UNVERIFIED);
  });

  test('fails when a JsonPatch removes the stdio wrapper from the command', () => {
    const log1 = service({ command: COMMAND, logShipping: capturing() },
      (svc) => svc.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/command', COMMAND))).control('LOG-1');
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
    expect(log1.evidence[0]).toMatch(/stdout\/stderr are collected only by a node agent: .*the sidecar ships the files in \/var\/log\/model\/\*\.log/);
  });

  test('fails when LOG_DIR points the wrapper at a directory the sidecar does not read', () => {
    const log1 = service({ command: COMMAND, logShipping: capturing() }, (svc) => {
      const env: any[] = (svc.deployment.toJson() as any).spec.template.spec.containers[0].env;
      svc.deployment.addJsonPatch(JsonPatch.replace(`/spec/template/spec/containers/0/env/${env.findIndex((e) => e.name === 'LOG_DIR')}/value`, '/tmp'));
    }).control('LOG-1');
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
  });

  test('fails when the sidecar no longer mounts the shared log directory', () => {
    const log1 = service({ command: COMMAND, logShipping: capturing() },
      (svc) => svc.deployment.addJsonPatch(JsonPatch.remove('/spec/template/spec/initContainers/0/volumeMounts/0'))).control('LOG-1');
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
    expect(log1.evidence[0]).toMatch(/reads no directory shared with the app containers/);
  });

  test('fails for a foreign pod whose container is merely named log-shipper', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'foreign' },
      spec: {
        selector: { matchLabels: { app: 'f' } },
        template: {
          metadata: { labels: { app: 'f' } },
          spec: {
            volumes: [{ name: 'logs', emptyDir: {} }],
            initContainers: [{ name: 'log-shipper', image: 'busybox', restartPolicy: 'Always', command: ['sleep', 'infinity'], volumeMounts: [{ name: 'logs', mountPath: '/logs' }] }],
            containers: [{
              name: 'app',
              image: 'app',
              command: ['/bin/sh', '-c', 'exec "$@" >>"$LOG_DIR/stdout.log" 2>>"$LOG_DIR/stderr.log"', 'sh', 'app'],
              env: [{ name: 'LOG_DIR', value: '/logs' }],
              volumeMounts: [{ name: 'logs', mountPath: '/logs' }],
            }],
          },
        },
      },
    };
    const log1 = foreignLog1(deployment, [deployment]);
    expect(log1.status).toBe(ControlStatus.EXTERNAL);
    expect(log1.evidence[0]).toMatch(/the log shipper mounts no configuration/);
  });
});

describe('LOG-2/LOG-3: the destination is named with what must exist there', () => {
  test('the default receiver is named as an assumption', () => {
    const { control } = service();
    expect(control('LOG-2')).toMatchObject({
      status: ControlStatus.EXTERNAL,
      evidence: [
        'the Fluent Forward receiver at log-aggregator.logging.svc:24224 (plaintext) must keep the logs at least 184 days (its retention setting is not in the manifests)',
      ],
    });
    expect(control('LOG-3').evidence[0]).toMatch(/log-aggregator.logging.svc:24224 \(plaintext\) must store the logs encrypted with access control/);
  });

  test('a node agent is named when nothing in the pod ships', () => {
    expect(service({ logShipping: k8s.LogShipping.clusterAgent() }).control('LOG-2').evidence[0]).toMatch(/^the cluster log backend must keep the logs at least 184 days/);
  });
});

describe('LOG-4: a declared sink is external, with the path and what ships it', () => {
  test('sidecar mode: the server must write its records to the path the sidecar ships', () => {
    const log4 = service().control('LOG-4');
    expect(log4.status).toBe(ControlStatus.EXTERNAL);
    expect(log4.evidence[0]).toBe('the server must write its inference records to /var/log/model/inference.log; the sidecar ships that file to the Fluent Forward receiver at log-aggregator.logging.svc:24224 (plaintext)');
  });

  test('cluster-agent mode: records on stdout are left to the node agent', () => {
    const log4 = service({ logShipping: k8s.LogShipping.clusterAgent() }).control('LOG-4');
    expect(log4.status).toBe(ControlStatus.EXTERNAL);
    expect(log4.evidence[0]).toBe('the server must write its inference records to /dev/stdout; stdout/stderr are collected only by a node agent');
  });

  test('fails to claim shipping when the sidecar is gone, and never becomes enforced', () => {
    const log4 = service({}, (svc) => svc.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/initContainers/0/image', `busybox@sha256:${'b'.repeat(64)}`),
      JsonPatch.replace('/spec/template/spec/initContainers/0/name', 'idle'))).control('LOG-4');
    expect(log4.status).toBe(ControlStatus.EXTERNAL);
    expect(log4.evidence[0]).toMatch(/nothing in the output is shown to ship that file$/);
  });
});
