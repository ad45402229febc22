import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tmpdir } from './support';

// HTTPS for the `pin` tests: a throw-away self-signed certificate from openssl, trusted by a CLI child process through
// NODE_EXTRA_CA_CERTS (Node reads it once, at start, so the CLI runs in its own process).

export const opensslAvailable = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A throw-away self-signed certificate for these IP addresses (a CA, so that NODE_EXTRA_CA_CERTS trusts it). */
export function selfSignedCertificate(ips: string[] = ['127.0.0.1']): { key: Buffer; cert: Buffer; caFile: string } {
  const dir = tmpdir();
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=cdk-compliant-ml pin test', '-addext', `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')}`,
    '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' });
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert), caFile: cert };
}

/** Runs the CLI in a child process (ts-node, transpile only), so that NODE_EXTRA_CA_CERTS is read as at any start of the CLI. */
export function runCliProcess(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = path.join(__dirname, '..', '..');
  const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(root, 'src', 'cli', 'bin.ts'), ...argv], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', TS_NODE_TRANSPILE_ONLY: 'true', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

