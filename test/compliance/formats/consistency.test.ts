/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { parseAllDocuments } from 'yaml';
import * as ecsGpuTraining from '../../../examples/ecs-gpu-training/app';
import * as ecsModelApi from '../../../examples/ecs-model-api/app';
import * as k8sLlmInference from '../../../examples/k8s-llm-inference/app';
import * as k8sRetraining from '../../../examples/k8s-retraining/app';
import { EXAMPLE_REPORT_FORMATS } from '../../../examples/report-formats';
import { ComplianceReport, ReportFormat } from '../../../src/compliance';
import { REPORT_FORMAT_REGISTRY } from '../../../src/compliance/formats/registry';
import { ImageReference } from '../../../src/core';
import * as ecs from '../../../src/ecs';
import { runCli } from '../../cli/support';
import { mixedApp } from '../../support/k8s-report-app';
import { implementedFormats, isStub, mixedCheckDirectory, multitoolValidate, validateSarif } from '../../support/report-schemas';

// Every format is rendered from the same report: its failing results (violated and unverified) are exactly report.failures()
// of the JSON report, for the reference architectures, mixed apps (foreign workloads, a waiver) and check on a mixed directory.
// A format whose renderer is still the stub ("not implemented yet") is skipped by name until its renderer is merged.

/** `${workload path} ${control}` of every failing result. */
type Failures = string[];
type Extractor = (text: string) => Failures;

const sorted = (keys: Iterable<string>): Failures => [...new Set(keys)].sort();

const EXTRACTORS: Record<ReportFormat, Extractor> = {
  // SARIF: results without suppressions at level error (violated) or warning (unverified)
  [ReportFormat.SARIF]: (text) => sorted(JSON.parse(text).runs[0].results
    .filter((r: any) => !r.suppressions?.length && (r.level === 'error' || r.level === 'warning'))
    .map((r: any) => `${r.properties.workload} ${r.ruleId}`)),
  // OpenReports / PolicyReport: results fail (violated) and warn (unverified), per report object of a workload
  [ReportFormat.OPENREPORTS]: (text) => policyReportFailures(text),
  [ReportFormat.POLICYREPORT]: (text) => policyReportFailures(text),
  // OSCAL assessment-results: the findings (not-satisfied), each on the inventory item of its workload
  [ReportFormat.OSCAL]: (text) => {
    const results = JSON.parse(text)['assessment-results'].results ?? [];
    return sorted(results.flatMap((result: any) => {
      const workloadOf = new Map<string, string>((result['local-definitions']?.['inventory-items'] ?? [])
        .map((item: any) => [item.uuid, item.props.find((p: any) => p.name === 'workload').value]));
      const observations = new Map<string, any>((result.observations ?? []).map((o: any) => [o.uuid, o]));
      return (result.findings ?? [])
        .filter((f: any) => f.target.status.state === 'not-satisfied')
        .map((f: any) => {
          const observation = observations.get(f['related-observations'][0]['observation-uuid']);
          return `${workloadOf.get(observation.subjects[0]['subject-uuid'])} ${f.target['target-id']}`;
        });
    }));
  },
  // CycloneDX declarations: the counter-claims of each attestation, on the workload component they target
  [ReportFormat.CYCLONEDX]: (text) => {
    const bom = JSON.parse(text);
    const pathOf = new Map<string, string>((bom.components ?? []).flatMap((c: any) => {
      const p = (c.properties ?? []).find((x: any) => x.name === 'cdk-compliant-ml:workload:path');
      return p ? [[c['bom-ref'], p.value]] : [];
    }));
    const claims = new Map<string, any>((bom.declarations?.claims ?? []).map((c: any) => [c['bom-ref'], c]));
    return sorted((bom.declarations?.attestations ?? []).flatMap((a: any) => a.map
      .filter((m: any) => (m.counterClaims ?? []).length > 0)
      .flatMap((m: any) => m.counterClaims.map((ref: string) => `${pathOf.get(claims.get(ref).target)} ${m.requirement.replace(/^requirement:/, '')}`))));
  },
};

function policyReportFailures(text: string): Failures {
  return sorted(parseAllDocuments(text).map((d) => d.toJSON()).filter(Boolean).flatMap((report: any) => (report.results ?? [])
    .filter((r: any) => r.result === 'fail' || r.result === 'warn')
    .map((r: any) => `${r.properties?.workload ?? report.metadata.annotations['compliance.cdk-compliant-ml.io/workload']} ${r.policy}`)));
}

const failuresOf = (reportJson: any): Failures => sorted(ComplianceReport.fromWorkloads(reportJson.workloads, reportJson.notEvaluated)
  .failures().map((f) => `${f.path} ${f.control}`));

interface Case {
  /** The JSON report. */
  readonly json: any;
  /** The text of each implemented format. */
  readonly formats: Partial<Record<ReportFormat, string>>;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cml-consistency-'));

/** Synthesizes an app with every implemented format enabled and reads back what it wrote. */
function synthCase(build: (outdir: string) => { synth(): unknown }): Case {
  const outdir = tmp();
  const app = build(outdir);
  ComplianceReport.setFormats(app as any, implementedFormats());
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } finally {
    stderr.mockRestore();
    consoleError.mockRestore();
  }
  const read = (file: string) => fs.readFileSync(path.join(outdir, file), 'utf-8');
  const formats: Partial<Record<ReportFormat, string>> = {};
  for (const entry of REPORT_FORMAT_REGISTRY) {
    if (fs.existsSync(path.join(outdir, entry.fileName))) {
      formats[entry.format] = read(entry.fileName);
    }
  }
  return { json: JSON.parse(read('compliance-report.json')), formats };
}

/** An aws-cdk app with ours and a foreign task definition (nginx:latest) and a waiver on one of its controls. */
function ecsMixedApp(outdir: string) {
  const app = new CdkApp({ outdir });
  const stack = new Stack(app, 'Mixed', { env: { account: '123456789012', region: 'eu-central-1' } });
  new ecs.CompliantModelService(stack, 'Scorer', {
    image: ImageReference.fromString(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud@sha256:${'a'.repeat(64)}`),
    model: { name: 'fraud-scorer', version: '1.4.2' },
  });
  const legacy = new awsecs.FargateTaskDefinition(stack, 'Legacy');
  legacy.addContainer('web', { image: awsecs.ContainerImage.fromRegistry('nginx:latest') });
  (legacy.node.defaultChild as awsecs.CfnTaskDefinition).cfnOptions.metadata = {
    'cdk-compliant-ml': { waivers: [{ control: 'SEC-5', reason: 'the vendor image writes to /var/cache' }] },
  };
  return app;
}

async function checkCase(dir: string): Promise<Case> {
  const json = JSON.parse((await runCli(['check', '--no-report', '--quiet', '--format', 'json', dir])).stdout);
  const formats: Partial<Record<ReportFormat, string>> = {};
  for (const format of implementedFormats()) {
    const run = await runCli(['check', '--no-report', '--quiet', '--format', format, dir]);
    expect([format, run.stderr]).toEqual([format, '']);
    formats[format] = run.stdout;
  }
  return { json, formats };
}

const cases: Record<string, () => Case | Promise<Case>> = {
  'examples/k8s-llm-inference': () => synthCase((o) => k8sLlmInference.createApp(o)),
  'examples/k8s-retraining': () => synthCase((o) => k8sRetraining.createApp(o)),
  'examples/ecs-model-api': () => synthCase((o) => ecsModelApi.createApp(o)),
  'examples/ecs-gpu-training': () => synthCase((o) => ecsGpuTraining.createApp(o)),
  'a cdk8s app with foreign workloads': () => synthCase((o) => mixedApp({ outdir: o }).app),
  'an aws-cdk app with a foreign, partly waived task definition': () => synthCase(ecsMixedApp),
  'check on a mixed directory (k8s YAML, CloudFormation YAML and JSON, Dockerfiles)': () => checkCase(mixedCheckDirectory()),
};

const built = new Map<string, Case>();
async function caseOf(name: string): Promise<Case> {
  if (!built.has(name)) {
    built.set(name, await cases[name]());
  }
  return built.get(name)!;
}

describe.each(Object.keys(cases))('%s', (name) => {
  test('the SARIF validates against the official SARIF 2.1.0 schema (ajv)', async () => {
    const c = await caseOf(name);
    expect(validateSarif(JSON.parse(c.formats[ReportFormat.SARIF]!))).toEqual([]);
  });

  for (const entry of REPORT_FORMAT_REGISTRY) {
    const stub = isStub(entry.format);
    const title = `${entry.format}: the failing results are exactly report.failures() of the JSON report`
      + (stub ? ' (SKIPPED: the renderer is still the stub that throws "not implemented yet")' : '');
    (stub ? test.skip : test)(title, async () => {
      const c = await caseOf(name);
      const text = c.formats[entry.format];
      expect(text).toBeDefined();
      expect(EXTRACTORS[entry.format](text!)).toEqual(failuresOf(c.json));
    });
  }
});

describe('an independent validator', () => {
  test('Sarif.Multitool validate (one run over the SARIF of every case): no error and no warning', async () => {
    const texts: Record<string, string> = {};
    for (const name of Object.keys(cases)) {
      texts[name] = (await caseOf(name)).formats[ReportFormat.SARIF]!;
    }
    const found = multitoolValidate(texts);
    expect(Object.keys(found).sort()).toEqual(Object.keys(cases).sort());
    for (const [name, results] of Object.entries(found)) {
      expect([name, results.filter((r) => r.level === 'error' || r.level === 'warning')]).toEqual([name, []]);
    }
  });

  test('fails on a log the schema rejects (the validator is not a no-op)', () => {
    const broken = JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ message: {} }] }] });
    const found = multitoolValidate({ broken }).broken;
    expect(found.some((r) => r.level === 'error')).toBe(true);
    expect(validateSarif(JSON.parse(broken)).length).toBeGreaterThan(0);
  });
});

describe('the cases can fail', () => {
  test('the mixed cases have failures, waived results and unverified ones (a consistency check over empty sets proves nothing)', async () => {
    const check = await caseOf('check on a mixed directory (k8s YAML, CloudFormation YAML and JSON, Dockerfiles)');
    const statuses = check.json.workloads.flatMap((w: any) => w.controls.map((c: any) => c.status));
    expect(statuses).toEqual(expect.arrayContaining(['violated', 'unverified', 'waived']));
    const ecsCase = await caseOf('an aws-cdk app with a foreign, partly waived task definition');
    expect(failuresOf(ecsCase.json).length).toBeGreaterThan(0);
    expect(ecsCase.json.workloads.flatMap((w: any) => w.controls).find((c: any) => c.id === 'SEC-5').status).toBe('waived');
  });

  test('fails when a format drops a failing result', async () => {
    const c = await caseOf('a cdk8s app with foreign workloads');
    const log = JSON.parse(c.formats[ReportFormat.SARIF]!);
    log.runs[0].results.pop();
    expect(EXTRACTORS[ReportFormat.SARIF](JSON.stringify(log))).not.toEqual(failuresOf(c.json));
  });

  test('the examples enable SARIF and the ML-BOM; every enabled format the integrator merged is checked above', () => {
    expect(EXAMPLE_REPORT_FORMATS).toEqual([ReportFormat.SARIF, ReportFormat.CYCLONEDX]);
    expect(implementedFormats()).toContain(ReportFormat.SARIF);
  });
});
