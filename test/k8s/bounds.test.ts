/* eslint-disable @typescript-eslint/no-explicit-any */
import { App, Stack, Token } from 'aws-cdk-lib';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ImageReference, k8s } from '../../src';
import { expectValidManifests } from '../support/k8s-validate';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const SECRET = { secretName: 's', key: 'k' };

function service(props: Partial<k8s.CompliantModelServiceProps> = {}, id = 'scorer') {
  const chart = Testing.chart();
  new k8s.CompliantModelService(chart, id, { image: IMAGE, model: MODEL, ...props });
  return expectValidManifests(Testing.synth(chart));
}

function job(props: Partial<k8s.CompliantTrainingJobProps> = {}, id = 'retrain', scope?: Construct) {
  const chart = scope ?? Testing.chart();
  new k8s.CompliantTrainingJob(chart, id, { image: IMAGE, ...props });
  return expectValidManifests(Testing.synth(Chart.of(chart)));
}

/** Every error names the construct path, the prop and the value, says what is wrong and how to fix it. */
const shape = (path: string, prop: string, value: string, problem: string, fix: string) =>
  new RegExp(`^${esc(path)}: invalid ${esc(prop)} ${esc(value)}: .*${esc(problem)}.*; .*${esc(fix)}`, 's');
function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('int32 fields computed from durations', () => {
  test.each([
    ['modelLoadTimeout (progressDeadlineSeconds, failureThreshold)', () => service({ modelLoadTimeout: Duration.days(365 * 100) }),
      shape('test/scorer', 'modelLoadTimeout', '"3153600000s"', 'at most 2147483347s', 'Duration.minutes(10)')],
    ['activeDeadline', () => job({ activeDeadline: Duration.days(365 * 100) }),
      shape('test/retrain', 'activeDeadline', '"3153600000s"', 'at most 2147483647s', 'int32')],
    ['ttlAfterFinished', () => job({ ttlAfterFinished: Duration.days(365 * 100) }),
      shape('test/retrain', 'ttlAfterFinished', '"3153600000s"', 'at most 2147483647s', 'int32')],
    ['startingDeadline', () => job({ schedule: '@daily', startingDeadline: Duration.days(365 * 100) }),
      shape('test/retrain', 'startingDeadline', '"3153600000s"', 'in 10..86400s', 'Duration.minutes(10)')],
  ])('fails when %s exceeds the int32 range', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('a budget just inside the range renders', () => {
    const docs = service({ modelLoadTimeout: Duration.days(24000) });
    expect(docs.find((d) => d.kind === 'Deployment').spec.progressDeadlineSeconds).toBe(24000 * 86400 + 300);
  });
});

describe('label values and object names', () => {
  test.each([
    ['partOf: \'\'', () => service({ partOf: '' }), shape('test/scorer', 'partOf', '""', 'gives the label value ""', 'set partOf to a value')],
    ['a model version that sanitises to nothing', () => service({ model: { name: 'fraud-scorer', version: '+++' } }),
      shape('test/scorer', 'model.version', '"+++"', 'gives the label value ""', 'set model.version')],
    ['a job without model whose non-ASCII id gives no label', () => job({}, '训练'),
      /^test\/训练: invalid id \(the construct id names the job without a model\) "训练": gives the label value ""/],
    ['a network peer label value over 63 characters', () => service({ allowIngressFrom: [k8s.NetworkPeer.pods({ app: 'x'.repeat(64) })] }),
      /^invalid NetworkPeer\.pods labels\["app"\] "x{64}": is not a label value \(1\.\.63 characters.*; set/],
    ['a network peer label value with a space', () => k8s.NetworkPeer.podsInNamespace('ml', { app: 'a b' }),
      /^invalid NetworkPeer\.podsInNamespace labels\["app"\] "a b": is not a label value/],
    ['a node selector value with a slash', () => service({ nodeSelector: { 'node.kubernetes.io/instance-type': 'g5/xlarge' } }),
      shape('test/scorer', 'nodeSelector["node.kubernetes.io/instance-type"]', '"g5/xlarge"', 'is not a label value', 'set nodeSelector')],
    ['a namespace name that is not a DNS label', () => k8s.NetworkPeer.allPodsInNamespace('ML_Team'),
      /^invalid NetworkPeer\.allPodsInNamespace name "ML_Team": is not a valid Namespace name/],
  ])('fails for %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('a CronJob name stays within 52 characters (the controller appends 11), a Job keeps 63', () => {
    const id = 'nightly-retraining-of-the-fraud-scoring-model-for-eu';
    const cron = job({ schedule: '@daily' }, id).find((d) => d.kind === 'CronJob');
    expect(cron.metadata.name.length).toBeLessThanOrEqual(52);
    expect(cron.metadata.name).toMatch(/^test-nightly-retraining-of-the-fraud-scorin-[0-9a-f]{8}$/);
    const oneOff = job({}, id).find((d) => d.kind === 'Job');
    expect(oneOff.metadata.name).toMatch(/^test-nightly-retraining-of-the-fraud-scoring-model-for-[0-9a-f]{8}$/);
    expect(oneOff.metadata.name).toHaveLength(63);
  });
});

describe('annotations within 256 KiB', () => {
  test.each([
    ['framework', { model: { ...MODEL, framework: 'x'.repeat(300000) } }],
    ['registry', { model: { ...MODEL, registry: 'r'.repeat(300000) } }],
  ])('fails for a long %s, with the sizes', (field, props) => {
    expect(() => service(props as any)).toThrow(new RegExp('^test/scorer: invalid annotations \\(model, modelArtifact, imageProvenance, imageScan, waivers\\) "\\d+ bytes": '
      + `exceed the API server's limit of 262144 bytes \\(256 KiB\\).*largest: [^ ]*${field} 300\\d+ B.*; shorten the values`));
  });

  test('fails for a long trainingRunId on a job', () => {
    expect(() => job({ model: { ...MODEL, trainingRunId: 't'.repeat(300000) } }))
      .toThrow(/^test\/retrain: invalid annotations \(model, datasets, runId.*\) "\d+ bytes": exceed the API server's limit.*training-run-id 300\d+ B/);
  });
});

describe('quantities, ids and ports', () => {
  test.each([
    ['a negative cpu limit', { resources: { cpu: { limit: kplus.Cpu.millis(-500) } } },
      shape('test/scorer', 'resources.cpu.limit', '-500', 'must be a positive finite number of millicores', 'kplus.Cpu.millis(500)')],
    ['a NaN cpu request', { resources: { cpu: { request: kplus.Cpu.units(NaN) } } },
      shape('test/scorer', 'resources.cpu.request', 'NaN', 'must be a positive finite number', 'kplus.Cpu')],
    ['a zero memory limit', { resources: { memory: { limit: Size.mebibytes(0) } } },
      shape('test/scorer', 'resources.memory.limit', '0', 'must be a positive whole number of mebibytes', 'Size.mebibytes(512)')],
    ['a NaN memory request', { resources: { memory: { request: Size.mebibytes(NaN) } } },
      shape('test/scorer', 'resources.memory.request', 'NaN', 'must be a positive whole number', 'Size')],
    ['a 1 KiB ephemeral storage limit', { resources: { ephemeralStorage: { limit: Size.kibibytes(1) } } },
      shape('test/scorer', 'resources.ephemeralStorage.limit', '0.0009765625', 'not a whole number of mebibytes', 'Size')],
    ['a 1 KiB model cache', { modelCacheSize: Size.kibibytes(1) }, shape('test/scorer', 'modelCacheSize', '0.0009765625', 'not a whole number', 'Size')],
    ['a UID above 2147483647', { runAsUser: 2147483648 }, shape('test/scorer', 'runAsUser', '2147483648', 'must be an integer in 10000..2147483647', 'set runAsUser')],
    ['the log shipper\'s port as serving port', { port: 2020 },
      shape('test/scorer', 'port', '2020', 'is the port of the log shipper\'s health endpoint in the same pod (Fluent Bit 2020)', 'serve on another port')],
  ])('fails for %s', (_name, props, message) => {
    expect(() => service(props as any)).toThrow(message);
  });

  test.each(['10.300.0.0/16', '10.0.0.0/33', '1.2.3.4/', 'fd00::1::2/64'])('fails for the network allow rule CIDR %p', (cidr) => {
    expect(() => service({ egress: [{ peer: k8s.NetworkPeer.cidr(cidr), port: 443 }] }))
      .toThrow(new RegExp(`^invalid cidr ${esc(JSON.stringify(cidr))}: is not an IPv4 or IPv6 CIDR block \\(octets 0\\.\\.255.*; e\\.g\\. 10\\.0\\.0\\.0/16`));
  });
});

describe('mount paths and environment names', () => {
  test.each([
    ['a model cache at /tmp', () => service({ modelCachePath: '/tmp' }),
      shape('test/scorer', 'modelCachePath', '"/tmp"', 'is also set by tmp (the construct\'s /tmp), so the mount path would be defined twice', 'its own directory')],
    ['a model cache at the log directory', () => service({ modelCachePath: '/var/log/model' }),
      shape('test/scorer', 'logShipping.logDirectory', '"/var/log/model"', 'is also set by modelCachePath', 'its own directory')],
    ['a log directory at the log shipper\'s own config path', () => service({
      logShipping: k8s.LogShipping.sidecar(k8s.LogDestination.fluentForward({ host: 'agg' }), { logDirectory: '/fluent-bit/config' }),
    }), /^test\/scorer: invalid (logShipping\.logDirectory|the log shipper's log-shipper-config mount) "\/fluent-bit\/config": is also set by/],
    ['a dataset mounted at the log directory', () => job({ datasetClaims: [{ claimName: 'train', mountPath: '/var/log/model' }] }),
      shape('test/retrain', 'logShipping.logDirectory', '"/var/log/model"', 'is also set by datasetClaims[0].mountPath', 'its own directory')],
    ['a dataset inside another, read-only dataset', () => job({ datasetClaims: [{ claimName: 'a', mountPath: '/data' }, { claimName: 'b', mountPath: '/data/train' }] }),
      shape('test/retrain', 'datasetClaims[1].mountPath', '"/data/train"', 'is inside /data (datasetClaims[0].mountPath), which is mounted read-only', 'mount it outside')],
    ['a model cache with a trailing slash', () => service({ modelCachePath: '/models/' }),
      shape('test/scorer', 'modelCachePath', '"/models/"', 'is not a normalized absolute path', 'e.g. /data/train')],
    ['a variable in env and secretEnv', () => service({ env: { HF_HOME: '/models' }, secretEnv: { HF_HOME: SECRET } }),
      shape('test/scorer', 'secretEnv.HF_HOME', '"HF_HOME"', 'is also set by env.HF_HOME', 'not both')],
    ['INFERENCE_LOG_PATH redefined', () => service({ env: { INFERENCE_LOG_PATH: '/x' } }),
      shape('test/scorer', 'env.INFERENCE_LOG_PATH', '"INFERENCE_LOG_PATH"', 'is set by the construct', 'remove it')],
    ['CHECKPOINT_DIR redefined in secretEnv', () => job({ secretEnv: { CHECKPOINT_DIR: SECRET } }),
      shape('test/retrain', 'secretEnv.CHECKPOINT_DIR', '"CHECKPOINT_DIR"', 'is set by the construct', 'RUN_ID')],
  ])('fails for %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('podFailurePolicy exit codes', () => {
  test('unsorted codes are rendered sorted, as the API server requires', () => {
    const rendered = job({ nonRetryableExitCodes: [127, 2, 126] }).find((d) => d.kind === 'Job');
    expect(rendered.spec.podFailurePolicy.rules[1].onExitCodes).toEqual({ containerName: 'main', operator: 'In', values: [2, 126, 127] });
  });

  test.each([
    [[2, 2], shape('test/retrain', 'nonRetryableExitCodes', '[2,2]', 'lists 2 twice', 'list each value once')],
    [[0], shape('test/retrain', 'nonRetryableExitCodes[0]', '0', 'must be an integer in 1..255', 'set nonRetryableExitCodes[0]')],
    [[256], shape('test/retrain', 'nonRetryableExitCodes[0]', '256', 'must be an integer in 1..255', 'set')],
  ])('fails for %j', (codes, message) => {
    expect(() => job({ nonRetryableExitCodes: codes })).toThrow(message);
  });
});

describe('cron schedules, field by field', () => {
  test.each([
    ['60 3 * * *', 'has minute field "60": 60 is above the maximum 59'],
    ['0 24 * * *', 'has hour field "24": 24 is above the maximum 23'],
    ['0 3 0 * *', 'has day of month field "0": 0 is below the minimum 1'],
    ['0 3 * 13 *', 'has month field "13": 13 is above the maximum 12'],
    ['0 3 * * 8', 'has day of week field "8": 8 is above the maximum 6'],
    ['CRON_TZ=UTC 0 3 * * *', 'sets a time zone with TZ= or CRON_TZ=, which the API server refuses'],
  ])('fails for %p', (schedule, problem) => {
    expect(() => job({ schedule })).toThrow(shape('test/retrain', 'schedule', JSON.stringify(schedule), problem, 'use five fields such as "0 3 * * *"'));
  });

  test('names, ranges, lists and steps render', () => {
    const cron = job({ schedule: '*/15 2-4 1,15 JAN-MAR mon-fri' }).find((d) => d.kind === 'CronJob');
    expect(cron.spec.schedule).toBe('*/15 2-4 1,15 JAN-MAR mon-fri');
  });
});

describe('durations and sizes that do not convert', () => {
  test.each([
    ['activeDeadline', { activeDeadline: Duration.millis(1500) }, '"1.5s"', 'is not a whole number of seconds'],
    ['modelLoadTimeout', undefined, '"1.5s"', 'is not a whole number of seconds'],
    ['checkpointSize', { checkpointSize: Size.kibibytes(1) }, '0.0009765625', 'MiB: not a whole number of mebibytes'],
    ['tmpSize', { tmpSize: Size.kibibytes(512) }, '0.5', 'MiB: not a whole number of mebibytes'],
  ])('fails for %s with our error, not the framework\'s', (prop, props, value, problem) => {
    const build = props ? () => job(props as any) : () => service({ modelLoadTimeout: Duration.millis(1500) });
    expect(build).toThrow(shape(props ? 'test/retrain' : 'test/scorer', prop, value, problem, props && prop.endsWith('Size') ? 'pass Size.mebibytes' : 'e.g.'));
  });
});

describe('tokens where a literal is needed', () => {
  const token = Token.asNumber({ Ref: 'Param' });
  test.each([
    ['replicas', { replicas: token }],
    ['port', { port: token }],
    ['gpuCount', { gpuCount: token }],
    ['runAsUser', { runAsUser: token }],
    ['resources.cpu.limit', { resources: { cpu: { limit: kplus.Cpu.units(token) } } }],
  ])('fails when %s is a token', (prop, props) => {
    expect(() => service(props as any)).toThrow(shape('test/scorer', prop, '(unresolved number token)', `${prop} is a token`, 'pass '));
  });
});

describe('a construct in the wrong scope', () => {
  test('fails outside a cdk8s Chart, naming the construct path, the scope it needs and the fix', () => {
    const app = Testing.app();
    const plain = new Construct(app, 'Plain');
    expect(() => new k8s.CompliantModelService(plain, 'scorer', { image: IMAGE, model: MODEL }))
      .toThrow(/^Plain\/scorer: invalid scope "Plain": CompliantModelService must be defined inside a cdk8s Chart; define it in a Chart: new CompliantModelService\(new Chart\(app, 'ml'\), 'scorer'/);
    expect(plain.node.children).toHaveLength(0);
  });

  test('fails inside an aws-cdk Stack', () => {
    const stack = new Stack(new App(), 'Ml');
    expect(() => new k8s.CompliantTrainingJob(stack, 'retrain', { image: IMAGE }))
      .toThrow(/^Ml\/retrain: invalid scope "Ml": CompliantTrainingJob is a cdk8s construct and cannot be defined inside an aws-cdk Stack; define it in a Chart/);
    expect(stack.node.tryFindChild('retrain')).toBeUndefined();
  });
});
