import * as fs from 'fs';
import * as path from 'path';
import { runCli, tmpdir } from './support';
import { ControlCatalogue } from '../../src/compliance';

/** A Deployment whose only failures are the ones the test asks for (everything else compliant is not needed: only the exit code is). */
function manifest(dir: string, name: string, container: Record<string, unknown>, labels = true): string {
  const file = path.join(dir, `${name}.yaml`);
  const meta = labels ? { 'app.kubernetes.io/name': name, 'app.kubernetes.io/version': '1' } : {};
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: meta },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, ...meta } }, spec: { containers: [container] } } },
  }));
  return file;
}

const IMAGE = `ghcr.io/acme/web:1@sha256:${'a'.repeat(64)}`;

async function severities(file: string): Promise<Set<string>> {
  const r = await runCli(['check', '--no-report', '--format', 'json', '--quiet', file]);
  const json = JSON.parse(r.stdout);
  const failing = json.workloads[0].controls.filter((c: { status: string }) => c.status === 'violated' || c.status === 'unverified');
  return new Set(failing.map((c: { id: string }) => ControlCatalogue.find(c.id)!.severity));
}

describe('check --fail-on <severity>: exit 1 only when a failing control has at least that severity', () => {
  test('a privileged container (critical) fails at every threshold', async () => {
    const file = manifest(tmpdir(), 'priv', { name: 'web', image: IMAGE, securityContext: { privileged: true } });
    expect(await severities(file)).toContain('critical');
    for (const severity of ['critical', 'high', 'medium', 'low']) {
      expect((await runCli(['check', '--no-report', '--quiet', '--fail-on', severity, file])).code).toBe(1);
    }
  });

  test('fails when a workload without critical failures exits 1 at --fail-on critical', async () => {
    const file = manifest(tmpdir(), 'plain', { name: 'web', image: IMAGE });
    const found = await severities(file);
    expect(found).not.toContain('critical');
    expect(found).toContain('high');
    expect((await runCli(['check', '--no-report', '--quiet', '--fail-on', 'critical', file])).code).toBe(0);
    expect((await runCli(['check', '--no-report', '--quiet', '--fail-on', 'high', file])).code).toBe(1);
    expect((await runCli(['check', '--no-report', '--quiet', '--fail-on', 'critical', '--enforce', file])).code).toBe(0);
  });

  test('without --fail-on, --enforce fails on any failing control as before', async () => {
    const file = manifest(tmpdir(), 'plain', { name: 'web', image: IMAGE });
    expect((await runCli(['check', '--no-report', '--quiet', '--enforce', file])).code).toBe(1);
    expect((await runCli(['check', '--no-report', '--quiet', file])).code).toBe(0);
  });

  test('an unknown severity is a usage error (exit 2) that names the allowed values', async () => {
    const file = manifest(tmpdir(), 'plain', { name: 'web', image: IMAGE });
    const r = await runCli(['check', '--no-report', '--fail-on', 'severe', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown --fail-on "severe": use critical, high, medium, low');
  });

  test('--help documents --fail-on', async () => {
    const r = await runCli(['check', '--help']);
    expect(r.stdout).toContain('--fail-on SEVERITY');
    expect(r.stdout).toContain('critical, high, medium or low');
  });

  test('the violation lines under the table carry the severity, most severe first, and the annotation hint', async () => {
    const file = manifest(tmpdir(), 'priv', { name: 'web', image: IMAGE, securityContext: { privileged: true } });
    const r = await runCli(['check', '--no-report', '--quiet', file]);
    expect(r.stdout).toMatch(/most severe first \(\d+ control results across 1 workloads\):\n {2}\S+#Deployment\/priv: SEC-6 /);
    expect(r.stdout).toMatch(/SEC-6 Never privileged \[critical\] violated/);
    expect(r.stdout).toContain('compliance.cdk-compliant-ml.io/waivers: \'[{"control":"SEC-6","reason":"..."}]\'');
  });
});
