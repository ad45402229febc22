import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Output is byte-identical under every locale: the same apps (both backends) synthesized in child processes under LANG=C
// and under a Turkish locale (Node's ICU takes its default locale from LANG/LC_ALL) give the same reports, manifests,
// templates and assembly files.

const ROOT = path.join(__dirname, '..', '..');
const TS_NODE = path.join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');

function synthUnder(locale: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cml-locale-${locale.replace(/\W/g, '')}-`));
  const env = { ...process.env, LANG: locale, LC_ALL: locale, LC_COLLATE: locale, CDK_OUTDIR: '', CDK8S_OUTDIR: '' };
  execFileSync(process.execPath, [TS_NODE, '--transpile-only', path.join(__dirname, 'locale-app.ts'), outdir], { cwd: ROOT, env, stdio: 'pipe' });
  return outdir;
}

/** Every file below `dir` (relative path → bytes). */
function files(dir: string, base = dir): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files(full, base).forEach((bytes, name) => out.set(name, bytes));
    } else {
      out.set(path.relative(base, full), fs.readFileSync(full));
    }
  }
  return out;
}

test('fails when output depends on the locale: LANG=C and tr_TR.UTF-8 give byte-identical files on both backends', () => {
  const posix = files(synthUnder('C'));
  const turkish = files(synthUnder('tr_TR.UTF-8'));
  expect([...turkish.keys()].sort()).toEqual([...posix.keys()].sort());
  expect([...posix.keys()]).toEqual(expect.arrayContaining([
    path.join('k8s', 'compliance-report.json'), path.join('k8s', 'compliance-report.md'), path.join('k8s', 'fraud.k8s.yaml'),
    path.join('ecs', 'compliance-report.json'), path.join('ecs', 'FraudServing.template.json'), path.join('ecs', 'manifest.json'),
  ]));
  for (const [name, bytes] of posix) {
    expect({ name, text: turkish.get(name)!.toString('utf-8') }).toEqual({ name, text: bytes.toString('utf-8') });
  }
}, 240_000);
