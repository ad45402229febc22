/* eslint-disable @typescript-eslint/no-explicit-any */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ComplianceReport } from '../../src/compliance/compliance-report';
import { REPORT_FORMAT_REGISTRY } from '../../src/compliance/formats/registry';
import { ReportFormat } from '../../src/compliance/report-format';

/** The schema fixtures (see test/fixtures/schemas/SOURCES.md). */
export const SCHEMAS = path.join(__dirname, '..', 'fixtures', 'schemas');
export const CLI_FIXTURES = path.join(__dirname, '..', 'fixtures', 'cli');

let sarifValidator: ValidateFunction | undefined;

/** The official SARIF 2.1.0 schema (draft-04) compiled with ajv as draft-07 (it uses no draft-04-only keyword). */
export function validateSarif(doc: unknown): string[] {
  if (!sarifValidator) {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'sarif-schema-2.1.0.json'), 'utf-8'));
    schema.$id = schema.id;
    delete schema.id;
    schema.$schema = 'http://json-schema.org/draft-07/schema#';
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(schema);
  }
  return sarifValidator(doc) ? [] : (sarifValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The multitool binary of @microsoft/sarif-multitool (made executable first: npm ci runs no install scripts). */
export function sarifMultitool(): string {
  const bin = path.join(require.resolve('@microsoft/sarif-multitool-linux/package.json'), '..', 'Sarif.Multitool');
  try {
    fs.chmodSync(bin, 0o755);
  } catch {
    // read-only installation: it must already be executable
  }
  return bin;
}

/**
 * `Sarif.Multitool validate` of SARIF texts in one run (the tool starts in seconds): the results it reports for each text, by
 * name. The multitool checks the schema and its own rules (SARIF1001-SARIF2016); SARIF2006 is off (test/support/
 * sarif-multitool-offline.xml), since it would fetch every URI of the log.
 */
export function multitoolValidate(sarifTexts: Record<string, string>): Record<string, Array<{ ruleId: string; level: string; message: string }>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-sarif-'));
  try {
    const names = Object.keys(sarifTexts);
    const inputs = names.map((name, i) => {
      const file = path.join(dir, `input-${i}.sarif`);
      fs.writeFileSync(file, sarifTexts[name]);
      return file;
    });
    const output = path.join(dir, 'validation.sarif');
    execFileSync(sarifMultitool(), ['validate', ...inputs, '--output', output, '--config', path.join(__dirname, 'sarif-multitool-offline.xml'),
      '--level', 'Error;Warning;Note', '--kind', 'Fail'], {
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1', HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = JSON.parse(fs.readFileSync(output, 'utf-8'));
    const out: Record<string, Array<{ ruleId: string; level: string; message: string }>> = Object.fromEntries(names.map((n) => [n, []]));
    for (const r of log.runs[0].results ?? []) {
      const uri: string = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      const index = inputs.findIndex((file) => uri.endsWith(`/${path.basename(file)}`));
      out[names[index] ?? '(unknown file)'] ??= [];
      out[names[index] ?? '(unknown file)'].push({ ruleId: r.ruleId, level: r.level ?? 'warning', message: JSON.stringify(r.message) });
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a format's renderer is still the stub that throws "not implemented yet" (the integrator merges the real ones). */
export function isStub(format: ReportFormat): boolean {
  try {
    ComplianceReport.fromWorkloads([])._render(format, () => undefined, 'check');
    return false;
  } catch (e) {
    return /not implemented yet/.test((e as Error).message);
  }
}

/** The formats whose renderer is implemented. */
export function implementedFormats(): ReportFormat[] {
  return REPORT_FORMAT_REGISTRY.map((f) => f.format).filter((f) => !isStub(f));
}

/**
 * A directory of mixed `check` inputs copied from the fixtures: a Kubernetes Deployment (YAML), a multi-document YAML with a
 * List, a CloudFormation template in YAML and one in JSON, and Dockerfiles.
 */
export function mixedCheckDirectory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-mixed-'));
  const copy = (from: string, to: string) => fs.copyFileSync(from, path.join(dir, to));
  copy(path.join(__dirname, '..', 'fixtures', 'corpus', 'k8s-examples', 'vllm-deployment.yaml'), 'vllm-deployment.yaml');
  copy(path.join(CLI_FIXTURES, 'legacy-ecs.template.yaml'), 'legacy-ecs.template.yaml');
  copy(path.join(CLI_FIXTURES, 'serving.template.json'), 'serving.template.json');
  copy(path.join(CLI_FIXTURES, 'dockerfiles', 'bad', 'Dockerfile'), 'Dockerfile');
  copy(path.join(CLI_FIXTURES, 'dockerfiles', 'bad', 'named-user.Dockerfile'), 'named-user.Dockerfile');
  fs.writeFileSync(path.join(dir, 'list.yaml'), [
    '# a kubectl List and a second document',
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - apiVersion: batch/v1',
    '    kind: Job',
    '    metadata:',
    '      name: listed-job',
    '    spec:',
    '      template:',
    '        spec:',
    '          restartPolicy: Never',
    '          containers:',
    '            - name: main',
    '              image: busybox:1.36',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: lone-pod',
    '  annotations:',
    '    compliance.cdk-compliant-ml.io/waivers: \'[{"control":"AVL-1","reason":"a one-off debugging pod"}]\'',
    'spec:',
    '  containers:',
    '    - name: main',
    '      image: busybox:1.36',
    '      securityContext:',
    '        privileged: true',
    '',
  ].join('\n'));
  return dir;
}
