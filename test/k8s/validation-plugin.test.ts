/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { ComplianceMode } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import { CdkCompliantMlValidation, CompliantModelService } from '../../src/k8s';
import { mixedApp, SCORER_IMAGE, tmpdir } from '../support/k8s-report-app';

/** A stand-in for cdk8s-cli's ValidationContext: the same members, recording what the plugin does. */
function fakeContext(manifests: string[]) {
  const violations: any[] = [];
  const submitted: any[] = [];
  const logged: string[] = [];
  return {
    violations,
    submitted,
    logged,
    context: {
      manifests,
      pkg: 'cdk-compliant-ml',
      version: '0.0.0',
      report: { addViolation: (v: any) => violations.push(v), submit: (status: string, metadata?: any) => submitted.push({ status, metadata }) },
      logger: { log: (m: string) => logged.push(m) },
    },
  };
}

/** A service of ours with one replica and its AVL-1 waiver (listed in the Deployment's waivers annotation). */
function singleReplicaService(app: App): CompliantModelService {
  return new CompliantModelService(new Chart(app, 'c'), 'scorer', {
    image: ImageReference.fromString(SCORER_IMAGE),
    model: { name: 'fraud-scorer', version: '1.4.2' },
    replicas: 1,
    waivers: [{ control: 'AVL-1', reason: 'single GPU node in dev' }],
  });
}

function manifestsOf(app: App): string[] {
  const out: string[] = [];
  const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      walk(p);
    } else if (e.name.endsWith('.yaml')) {
      out.push(p);
    }
  });
  walk(app.outdir);
  return out.sort();
}

let stderr: jest.SpyInstance;
beforeEach(() => {
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());

test('reports every violated control of the foreign workloads, none of ours, and fails in enforce mode (the default)', async () => {
  const { app } = mixedApp();
  app.synth();
  const files = manifestsOf(app);
  const { context, violations, submitted, logged } = fakeContext(files);
  await new CdkCompliantMlValidation().validate(context);
  const img2 = violations.find((v) => v.ruleName === 'IMG-2 No `:latest` and no untagged references');
  expect(img2.violatingResources).toEqual([{
    resourceName: 'nginx',
    locations: ['Deployment nginx spec.template.spec.containers[0].image="nginx:latest" (tag latest)'],
    manifestPath: path.join(app.outdir, 'legacy.k8s.yaml'),
  }]);
  expect(img2.fix).toMatch(/^.+; or, in a construct of cdk-compliant-ml, add a waiver \{ control: 'IMG-2', reason: '...' \}$/);
  const names = new Set(violations.flatMap((v) => v.violatingResources.map((r: any) => r.resourceName)));
  expect([...names].sort()).toEqual([expect.stringMatching(/^legacy-web-c8\w+$/), 'nginx', 'nightly']);
  const job2 = violations.find((v) => v.ruleName.startsWith('JOB-2 '));
  expect(job2.violatingResources.map((r: any) => r.locations)).toEqual([['CronJob nightly spec.jobTemplate.spec.activeDeadlineSeconds=null']]);
  expect(submitted).toEqual([{ status: 'failure', metadata: { mode: 'enforce', workloads: '5', violations: expect.any(String) } }]);
  expect(Number(submitted[0].metadata.violations)).toBe(violations.reduce((n, v) => n + v.violatingResources.length, 0));
  expect(logged[0]).toMatch(/^cdk-compliant-ml: 5 workloads in 2 manifests, \d+ violated controls$/);
});

test('report mode lists the violations and passes', async () => {
  const { app } = mixedApp();
  app.synth();
  const { context, violations, submitted } = fakeContext(manifestsOf(app));
  await new CdkCompliantMlValidation({ mode: ComplianceMode.REPORT }).validate(context);
  expect(violations.length).toBeGreaterThan(10);
  expect(submitted[0].status).toBe('success');
});

test('an app of ours passes, waived controls included, even with one file per resource', async () => {
  const app = new App({ outdir: tmpdir(), yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
  singleReplicaService(app);
  app.synth();
  const files = manifestsOf(app);
  expect(files.length).toBeGreaterThan(4);
  const { context, violations, submitted } = fakeContext(files);
  await new CdkCompliantMlValidation({ mode: ComplianceMode.ENFORCE }).validate(context);
  expect(violations).toEqual([]);
  expect(submitted[0]).toEqual({ status: 'success', metadata: { mode: 'enforce', workloads: '1', violations: '0' } });
});

test('without the waiver annotation the same single-replica Deployment is a violation', async () => {
  const app = new App({ outdir: tmpdir() });
  singleReplicaService(app);
  app.synth();
  const file = manifestsOf(app)[0];
  fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace(/compliance\.cdk-compliant-ml\.io\/waivers:/g, 'x-removed:'));
  const { context, violations, submitted } = fakeContext([file]);
  await new CdkCompliantMlValidation().validate(context);
  expect(violations.map((v) => v.ruleName)).toEqual(['AVL-1 >= 2 replicas']);
  expect(submitted[0].status).toBe('failure');
});

test('an invalid mode property is a clear error', () => {
  expect(() => new CdkCompliantMlValidation({ mode: 'strict' as ComplianceMode })).toThrow(
    'invalid mode "strict" in the properties of CdkCompliantMlValidation: use "report" or "enforce"');
});

test('cdk8s-cli can load the class from the compiled file by its name (module[class]) and construct it with properties', () => {
  // the CLI does `new (require(path))[class](properties)`; the class name must be a top-level export of the file
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('../../src/k8s/validation-plugin');
  const instance = new mod.CdkCompliantMlValidation({ mode: 'report' });
  expect(typeof instance.validate).toBe('function');
  expect(instance.mode).toBe(ComplianceMode.REPORT);
});

test('a hand-edited waiver annotation that lists IDs only waives nothing and fails the validation', async () => {
  const app = new App({ outdir: tmpdir() });
  singleReplicaService(app);
  app.synth();
  const file = manifestsOf(app)[0];
  fs.writeFileSync(file, fs.readFileSync(file, 'utf-8').replace(/compliance\.cdk-compliant-ml\.io\/waivers: .*/g, 'compliance.cdk-compliant-ml.io/waivers: AVL-1'));
  const { context } = fakeContext([file]);
  await expect(new CdkCompliantMlValidation().validate(context)).rejects.toThrow(/annotation compliance.cdk-compliant-ml.io\/waivers: waivers "AVL-1" are not JSON/);
});
