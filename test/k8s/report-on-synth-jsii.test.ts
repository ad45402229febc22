// The report is written when the app's synth() is called the way the jsii kernel calls it for Python, Java and Go apps:
// `instance.constructor.prototype[method].apply(instance, args)`, never through a property of the instance. test-bindings/
// proves it end to end in each language (`npx projen bindings:test`); this guards the mechanism in the TypeScript suite.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ImageReference } from '../../src/core';
import { CompliantModelService } from '../../src/k8s';

const IMAGE = 'ghcr.io/acme/fraud-scorer:1.4.2@sha256:' + 'a'.repeat(64);

/** What the jsii kernel does for `app.synth()` from another language (@jsii/kernel, Kernel#invoke). */
function invokeLikeJsii(obj: object, method: string): unknown {
  const fn = (obj.constructor.prototype as Record<string, (...a: unknown[]) => unknown>)[method];
  return fn.apply(obj, []);
}

function appWithService(outdir: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'fraud', { namespace: 'fraud' });
  new CompliantModelService(chart, 'scorer', { image: ImageReference.fromString(IMAGE), model: { name: 'fraud-scorer', version: '1.4.2' } });
  return app;
}

describe('the report on synth, called as jsii calls it', () => {
  let outdir: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-jsii-synth-'));
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('synth() through the prototype writes the manifest and both report files', () => {
    invokeLikeJsii(appWithService(outdir), 'synth');
    expect(fs.readdirSync(outdir).sort()).toEqual(['compliance-report.json', 'compliance-report.md', 'fraud.k8s.yaml']);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8'));
    expect(report.workloads.map((w: { path: string }) => w.path)).toEqual(['fraud/scorer']);
  });

  test('synthYaml() through the prototype returns the manifest and writes no file', () => {
    const yaml = invokeLikeJsii(appWithService(outdir), 'synthYaml');
    expect(yaml).toMatch(/kind: Deployment/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('an app without our constructs (no hook) synthesizes through the prototype without a report', () => {
    const app = new App({ outdir });
    new Chart(app, 'empty');
    invokeLikeJsii(app, 'synth');
    expect(fs.readdirSync(outdir)).not.toContain('compliance-report.json');
  });

  test('two apps synthesize independently (the wrapper is installed once, the state is per app)', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-jsii-synth-'));
    try {
      const a = appWithService(outdir);
      const b = appWithService(other);
      invokeLikeJsii(b, 'synth');
      invokeLikeJsii(a, 'synth');
      expect(fs.readdirSync(outdir)).toContain('compliance-report.json');
      expect(fs.readdirSync(other)).toContain('compliance-report.json');
      expect(App.prototype.synth).toBe(Object.getPrototypeOf(a).synth);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
