/* eslint-disable @typescript-eslint/no-explicit-any */
// The four reference architectures of examples/: each app is synthesized in process into a fresh temporary directory, its
// behaviour is asserted first, and then everything it wrote (manifests or templates, and the compliance report) is compared
// with ONE snapshot per architecture. `npx projen examples` synthesizes the same apps with the real CLIs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import * as ecsGpuTraining from '../../examples/ecs-gpu-training/app';
import * as ecsModelApi from '../../examples/ecs-model-api/app';
import * as k8sLlmInference from '../../examples/k8s-llm-inference/app';
import * as k8sRetraining from '../../examples/k8s-retraining/app';
import { EXAMPLE_REPORT_FORMATS } from '../../examples/report-formats';
import { ReportFormat } from '../../src';
import { captureOutput, policyValidationReports } from '../support/captured-output';
import { expectValidManifests } from '../support/k8s-validate';
import { nagErrors } from '../support/nag';
import { pssRestrictedViolations } from '../support/pss';

interface Synthesized {
  /** The app, synthesized. */
  readonly app: any;
  /** Parsed manifests (`*.k8s.yaml`, one array of objects per file) or templates (`*.template.json`), by file name. */
  readonly files: Record<string, any>;
  /** The parsed compliance-report.json. */
  readonly report: any;
  /** compliance-report.md. */
  readonly markdown: string;
  /** What synthesis printed: aws-cdk's policy-validation report (`console.error`) and the library's stderr warnings. */
  readonly printed: { readonly consoleErrors: string[]; readonly warnings: string[] };
}

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Synthesizes an example app into a new temporary directory and reads back what it wrote. */
function synth(example: { createApp(outdir: string): { synth(): unknown } }): Synthesized {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-example-'));
  tmpDirs.push(tmp);
  const outdir = path.join(tmp, 'out');
  const app = example.createApp(outdir);
  expect(fs.existsSync(outdir) ? fs.readdirSync(outdir) : []).toEqual([]); // building the app writes nothing
  const output = captureOutput();
  let printed: Synthesized['printed'];
  try {
    app.synth();
  } finally {
    printed = { consoleErrors: output.consoleErrors(), warnings: output.warnings() };
    output.restore();
  }
  const files: Record<string, any> = {};
  for (const f of fs.readdirSync(outdir).sort()) {
    const text = () => fs.readFileSync(path.join(outdir, f), 'utf-8');
    if (f.endsWith('.k8s.yaml')) {
      files[f] = parseAllDocuments(text()).map((d) => d.toJSON());
    } else if (f.endsWith('.template.json')) {
      files[f] = JSON.parse(text());
    }
  }
  return {
    app,
    files,
    report: JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8')),
    markdown: fs.readFileSync(path.join(outdir, 'compliance-report.md'), 'utf-8'),
    printed,
  };
}

const objects = (s: Synthesized): any[] => Object.values(s.files).flat();
const ofKind = (s: Synthesized, kind: string): any[] => objects(s).filter((o) => o.kind === kind);
const kinds = (s: Synthesized): string[] => [...new Set(objects(s).map((o) => o.kind))].sort();
const resources = (s: Synthesized, type: string): any[] => Object.values(s.files)
  .flatMap((t: any) => Object.values(t.Resources as Record<string, any>))
  .filter((r: any) => r.Type === type);
const violated = (s: Synthesized): string[] => s.report.workloads
  .flatMap((w: any) => w.controls.filter((c: any) => c.status === 'violated').map((c: any) => `${w.path} ${c.id}`));
/** Strict Kubernetes schema validation (unknown fields rejected) and the Pod Security Standards restricted profile. */
function expectValidKubernetes(s: Synthesized): void {
  expectValidManifests(objects(s));
  expect(objects(s).flatMap(pssRestrictedViolations)).toEqual([]);
}
/** cdk-nag AwsSolutions errors on the resources of the library's constructs (the example's own VPC and ASG are not judged). */
const nagErrorsOf = (s: Synthesized, constructPath: string): string[] => nagErrors(s.app).filter((e) => e.includes(`${constructPath}/`));
const statusOf = (s: Synthesized, workload: string, control: string): string => s.report.workloads
  .find((w: any) => w.path === workload).controls.find((c: any) => c.id === control).status;

describe('examples/k8s-llm-inference: GPU LLM inference with autoscaling and OTLP log shipping', () => {
  const s = synth(k8sLlmInference);

  test('a compliant, autoscaled GPU service with every object of the construct', () => {
    expect(violated(s)).toEqual([]);
    expect(s.report.workloads.map((w: any) => [w.path, w.kind, w.backend])).toEqual([['assistant/llm', 'CompliantModelService', 'kubernetes']]);
    expect(kinds(s)).toEqual([
      'ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount',
    ]);
    const [deployment] = ofKind(s, 'Deployment');
    expect(deployment.spec.replicas).toBeUndefined(); // left to the HPA
    expect(ofKind(s, 'HorizontalPodAutoscaler')[0].spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    const pod = deployment.spec.template.spec;
    const server = pod.containers[0];
    expect(server.image).toBe(k8sLlmInference.LLM_SERVER_IMAGE);
    expect(server.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(server.startupProbe.failureThreshold * server.startupProbe.periodSeconds).toBeGreaterThanOrEqual(20 * 60);
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expectValidKubernetes(s);
  });

  test('inference logs leave the pod through a native Fluent Bit sidecar over OTLP/HTTP', () => {
    const pod = ofKind(s, 'Deployment')[0].spec.template.spec;
    expect(pod.initContainers[0]).toEqual(expect.objectContaining({ name: 'log-shipper', restartPolicy: 'Always' }));
    expect(JSON.stringify(ofKind(s, 'ConfigMap'))).toMatch(/Name\s+opentelemetry[\s\S]*Host\s+otel-collector\.observability\.svc/);
    const egressPorts = ofKind(s, 'NetworkPolicy')[0].spec.egress.flatMap((e: any) => (e.ports ?? []).map((p: any) => p.port));
    expect(egressPorts).toEqual(expect.arrayContaining([4318]));
    // the sidecar ships the files of $LOG_DIR (the inference records among them); the server's stdout/stderr need a node agent
    expect(statusOf(s, 'assistant/llm', 'LOG-1')).toBe('external');
  });

  test('MOD-1: the weights come from the digest-pinned modelcar through an init copy, mounted read-only', () => {
    const pod = ofKind(s, 'Deployment')[0].spec.template.spec;
    expect(pod.initContainers[1]).toMatchObject({ name: 'model-verifier', image: k8sLlmInference.LLM_MODELCAR_IMAGE });
    expect(pod.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: 'model-cache', readOnly: true }));
    expect(statusOf(s, 'assistant/llm', 'MOD-1')).toBe('enforced');
    expect(s.report.workloads[0].modelArtifact).toEqual({
      source: 'oci', reference: k8sLlmInference.LLM_MODELCAR_IMAGE, digest: k8sLlmInference.LLM_MODELCAR_IMAGE.split('@')[1], verifier: 'model-verifier',
    });
  });

  test('snapshot', () => {
    expect({ files: s.files, report: s.report }).toMatchSnapshot();
  });
});

describe('examples/k8s-retraining: a nightly retraining CronJob next to the serving Deployment', () => {
  const s = synth(k8sRetraining);

  test('two services and one CronJob, all compliant', () => {
    expect(violated(s)).toEqual([]);
    expect(s.report.workloads.map((w: any) => [w.path, w.kind])).toEqual([
      ['fraud/retrain', 'CompliantTrainingJob'], ['fraud/scorer', 'CompliantModelService'], ['fraud/scorer-canary', 'CompliantModelService'],
    ]);
    expect(ofKind(s, 'Deployment')).toHaveLength(2);
    expect(ofKind(s, 'Job')).toEqual([]);
    expectValidKubernetes(s);
  });

  test('the CronJob runs nightly on a GPU, never overlaps, and resumes from checkpoints', () => {
    const [cron] = ofKind(s, 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' });
    const job = cron.spec.jobTemplate.spec;
    expect(job.backoffLimit).toBeGreaterThan(0);
    expect(job.activeDeadlineSeconds).toBeGreaterThan(0);
    const trainer = job.template.spec.containers[0];
    expect(trainer.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(job.template.spec.volumes).toEqual(expect.arrayContaining([
      { name: expect.any(String), persistentVolumeClaim: { claimName: 'fraud-retrain-checkpoints' } },
    ]));
    const models = ofKind(s, 'Deployment').map((d) => d.metadata.labels['app.kubernetes.io/name']);
    expect(new Set(models).size).toBe(1); // the same model is served and retrained
  });

  test('MOD-1: the job fine-tunes a verified base model from S3 on a verified dataset; the scorer serves a verified claim', () => {
    const pod = ofKind(s, 'CronJob')[0].spec.jobTemplate.spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['log-shipper', 'model-verifier', 'dataset-verifier-0']);
    expect(statusOf(s, 'fraud/retrain', 'MOD-1')).toBe('enforced');
    expect(statusOf(s, 'fraud/scorer', 'MOD-1')).toBe('enforced');
    const retrain = s.report.workloads.find((w: any) => w.path === 'fraud/retrain');
    expect(retrain.modelArtifact).toMatchObject({ source: 'uri', reference: 's3://acme-models/fraud-scorer/1.4.2/', verifier: 'model-verifier' });
    expect(retrain.datasetArtifacts).toEqual([expect.objectContaining({ reference: 's3://acme-data/transactions/2026-11/', verifier: 'dataset-verifier-0' })]);
    const egress = ofKind(s, 'NetworkPolicy').find((p: any) => p.metadata.name.startsWith('fraud-retrain')).spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.40.16.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] });
  });

  test('snapshot', () => {
    expect({ files: s.files, report: s.report }).toMatchSnapshot();
  });
});

describe('examples/ecs-model-api: a Fargate model API behind an internal load balancer', () => {
  const s = synth(ecsModelApi);

  test('two or more Fargate tasks with rollback, an internal HTTPS load balancer and CPU target tracking', () => {
    expect(violated(s)).toEqual([]);
    expect(s.report.workloads.map((w: any) => [w.path, w.kind, w.backend])).toEqual([['CreditRiskApi/CreditRisk', 'CompliantModelService', 'ecs']]);
    const [service] = resources(s, 'AWS::ECS::Service');
    expect(service.Properties).toMatchObject({
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentConfiguration: { MinimumHealthyPercent: 100, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    });
    const [alb] = resources(s, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(alb.Properties.Scheme).toBe('internal');
    expect(alb.Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([{ Key: 'idle_timeout.timeout_seconds', Value: '120' }]));
    expect(resources(s, 'AWS::ElasticLoadBalancingV2::Listener')[0].Properties).toMatchObject({ Port: 443, Protocol: 'HTTPS' });
    expect(resources(s, 'AWS::ApplicationAutoScaling::ScalableTarget')[0].Properties).toMatchObject({ MinCapacity: 2, MaxCapacity: 10 });
    expect(nagErrorsOf(s, 'CreditRiskApi/CreditRisk')).toEqual([]);
  });

  test('the task runs as a non-root user on a read-only root filesystem, with the image pinned', () => {
    const [td] = resources(s, 'AWS::ECS::TaskDefinition');
    expect(td.Properties.ContainerDefinitions[0]).toMatchObject({
      Image: ecsModelApi.MODEL_API_IMAGE, User: '10001:10001', ReadonlyRootFilesystem: true, Privileged: false,
    });
  });

  test('the model file is verified before the server starts: MOD-1 enforced, the task role reads that one object only', () => {
    const [td] = resources(s, 'AWS::ECS::TaskDefinition');
    const [main, verifier] = td.Properties.ContainerDefinitions;
    expect(verifier).toMatchObject({ Name: 'model-verifier', Essential: false, User: '10001:10001', ReadonlyRootFilesystem: true });
    expect(main.DependsOn).toEqual([{ ContainerName: 'model-verifier', Condition: 'SUCCESS' }]);
    const [workload] = s.report.workloads;
    expect(workload.modelArtifact).toEqual({ source: 'uri', reference: ecsModelApi.MODEL_URI, digest: ecsModelApi.MODEL_DIGEST, verifier: 'model-verifier' });
    expect(statusOf(s, 'CreditRiskApi/CreditRisk', 'MOD-1')).toBe('enforced');
    const s3 = resources(s, 'AWS::IAM::Policy').flatMap((p: any) => p.Properties.PolicyDocument.Statement).filter((st: any) => JSON.stringify(st.Action).includes('s3:'));
    expect(s3).toEqual([{ Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-models/credit-risk/2.3.0/model.json']] } }]);
  });

  test('snapshot', () => {
    expect({ files: s.files, report: s.report }).toMatchSnapshot();
  });
});

describe('examples/ecs-gpu-training: a scheduled GPU training job on EC2 capacity run by Step Functions', () => {
  const s = synth(ecsGpuTraining);

  test('an EC2 GPU task definition launched through the GPU capacity provider', () => {
    expect(violated(s)).toEqual([]);
    expect(s.report.workloads.map((w: any) => [w.path, w.kind])).toEqual([['DemandForecastTraining/Forecast', 'CompliantTrainingJob']]);
    const [td] = resources(s, 'AWS::ECS::TaskDefinition');
    expect(td.Properties.RequiresCompatibilities).toEqual(['EC2']);
    expect(td.Properties.ContainerDefinitions[0]).toMatchObject({
      Image: ecsGpuTraining.TRAINER_IMAGE, ResourceRequirements: [{ Type: 'GPU', Value: '1' }], User: '10001:10001',
    });
    const [lt] = resources(s, 'AWS::EC2::LaunchTemplate');
    expect(lt.Properties.LaunchTemplateData).toMatchObject({ InstanceType: 'g5.2xlarge', MetadataOptions: { HttpTokens: 'required' } });
    expect(JSON.stringify(s.files)).toContain('/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id');
    expect(resources(s, 'AWS::ECS::ClusterCapacityProviderAssociations')).toHaveLength(1);
    // the imported dataset bucket and the stack's artifact bucket are granted in the job's own data-access policy, acknowledged
    expect(nagErrorsOf(s, 'DemandForecastTraining/Forecast')).toEqual([]);
  });

  test('Step Functions bounds and retries each run; EventBridge Scheduler starts one nightly', () => {
    const [machine] = resources(s, 'AWS::StepFunctions::StateMachine');
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('ecs:runTask.sync');
    expect(definition).toContain('\\"TimeoutSeconds\\":28800');
    expect(definition).toMatch(/\\"MaxAttempts\\":2/);
    expect(resources(s, 'AWS::Scheduler::Schedule')[0].Properties).toMatchObject({
      ScheduleExpression: 'cron(0 2 * * ? *)', ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    expect(resources(s, 'AWS::SNS::Subscription')[0].Properties).toMatchObject({ Protocol: 'email' });
    expect(statusOf(s, 'DemandForecastTraining/Forecast', 'JOB-2')).toBe('enforced');
  });

  test('fine-tuning from a verified base model and a verified dataset snapshot (MOD-1)', () => {
    const [td] = resources(s, 'AWS::ECS::TaskDefinition');
    expect(td.Properties.ContainerDefinitions.map((c: any) => [c.Name, c.Essential])).toEqual([['main', true], ['model-verifier', false], ['dataset-verifier-0', false]]);
    const [workload] = s.report.workloads;
    expect(workload.modelArtifact).toMatchObject({ reference: ecsGpuTraining.BASE_MODEL.reference, digest: ecsGpuTraining.BASE_MODEL.digest, verifier: 'model-verifier' });
    expect(workload.datasetArtifacts).toEqual([{ source: 'uri', reference: ecsGpuTraining.SALES_SNAPSHOT.reference, digest: ecsGpuTraining.SALES_SNAPSHOT.digest, verifier: 'dataset-verifier-0' }]);
    expect(statusOf(s, 'DemandForecastTraining/Forecast', 'MOD-1')).toBe('enforced');
  });

  test('snapshot', () => {
    expect({ files: s.files, report: s.report }).toMatchSnapshot();
  });
});

describe('every example', () => {
  const dir = path.join(__dirname, '..', '..', 'examples');
  const names = fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'app.ts'))).sort();

  test('is one of the four reference architectures tested above', () => {
    expect(names).toEqual(['ecs-gpu-training', 'ecs-model-api', 'k8s-llm-inference', 'k8s-retraining']);
  });

  test.each(names)('%s: a main.ts that builds the app, enables SARIF and the ML-BOM, and synthesizes; a CLI config that needs no network', (name) => {
    const main = fs.readFileSync(path.join(dir, name, 'main.ts'), 'utf-8').trim().split('\n').filter((l) => l.trim() !== '');
    expect(main).toEqual([
      'import { createApp } from \'./app\';',
      'import { ComplianceReport } from \'../../src\';',
      'import { EXAMPLE_REPORT_FORMATS } from \'../report-formats\';',
      expect.stringMatching(/^const app = createApp\(process\.env\.CDK8?S?_OUTDIR[^;]*\);$/),
      'ComplianceReport.setFormats(app, EXAMPLE_REPORT_FORMATS);',
      'app.synth();',
    ]);
    expect(EXAMPLE_REPORT_FORMATS).toEqual([ReportFormat.SARIF, ReportFormat.CYCLONEDX]);
    const cdkJson = path.join(dir, name, 'cdk.json');
    if (fs.existsSync(cdkJson)) {
      expect(JSON.parse(fs.readFileSync(cdkJson, 'utf-8'))).toEqual({
        app: 'npx ts-node --transpile-only main.ts', notices: false, versionReporting: false, context: { 'cli-telemetry': false },
      });
    } else {
      expect(fs.readFileSync(path.join(dir, name, 'cdk8s.yaml'), 'utf-8')).toMatch(/^app: npx ts-node --transpile-only main\.ts$/m);
    }
  });

  test('synthesis prints no warning; only ecs-model-api, which registers ecs.CompliancePolicyPlugin, prints aws-cdk\'s report', () => {
    const examples = { 'k8s-llm-inference': k8sLlmInference, 'k8s-retraining': k8sRetraining, 'ecs-model-api': ecsModelApi, 'ecs-gpu-training': ecsGpuTraining };
    for (const [name, example] of Object.entries(examples)) {
      const { printed } = synth(example);
      expect([name, printed.warnings]).toEqual([name, []]);
      const reports = policyValidationReports(printed.consoleErrors);
      if (name === 'ecs-model-api') {
        expect(printed.consoleErrors[0].trim()).toBe('Performing Policy Validations');
        expect(reports).toEqual([expect.stringMatching(/Policy Validation Report Summary[\s\S]*cdk-compliant-ml │ success/)]);
      } else {
        expect([name, printed.consoleErrors]).toEqual([name, []]);
      }
    }
  });

  test('the Markdown reports name every workload', () => {
    for (const s of [synth(k8sRetraining), synth(ecsModelApi)]) {
      for (const w of s.report.workloads) {
        expect(s.markdown).toContain(`## ${w.path}`);
      }
    }
  });
});
