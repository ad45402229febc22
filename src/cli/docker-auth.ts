/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Registry credentials for `pin`: from the environment or a Docker config file. Not part of the library's API.
 */

/** A user name and password (or token) for HTTP basic authentication. @internal */
export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** Where they came from (for messages; never the secret). */
  readonly source: string;
}

/** The prefix of the per-registry environment variable, e.g. `CDK_COMPLIANT_ML_REGISTRY_AUTH_GHCR_IO=user:token`. @internal */
export const AUTH_ENV_PREFIX = 'CDK_COMPLIANT_ML_REGISTRY_AUTH_';

const DOCKER_HUB_KEYS = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

/**
 * The environment variable that holds the credentials of a registry: the host (with its port) upper-cased, every character
 * other than A-Z and 0-9 replaced by `_`: `ghcr.io` → `CDK_COMPLIANT_ML_REGISTRY_AUTH_GHCR_IO`, `localhost:5000` →
 * `CDK_COMPLIANT_ML_REGISTRY_AUTH_LOCALHOST_5000`.
 *
 * @internal
 */
export function authEnvName(registry: string): string {
  return `${AUTH_ENV_PREFIX}${registry.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The credentials for a registry (as written in the image reference, `docker.io` for Docker Hub), first from
 * `CDK_COMPLIANT_ML_REGISTRY_AUTH_<HOST>` (`user:password`), then from `auths` of `$DOCKER_CONFIG/config.json` (default
 * `~/.docker/config.json`): `auth` (base64 of `user:password`) or `username` and `password`. `hint` explains why none were
 * found when the config names a credential helper, which this tool does not run.
 *
 * @internal
 */
export function registryCredentials(registry: string, env: Record<string, string | undefined>): { credentials?: Credentials; hint?: string } {
  const envName = authEnvName(registry);
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv !== '') {
    const colon = fromEnv.indexOf(':');
    if (colon <= 0) {
      throw new Error(`${envName} must be user:password`);
    }
    return { credentials: { username: fromEnv.slice(0, colon), password: fromEnv.slice(colon + 1), source: envName } };
  }
  const dir = env.DOCKER_CONFIG ?? path.join(env.HOME ?? os.homedir(), '.docker');
  const file = path.join(dir, 'config.json');
  let config: any;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return {};
    }
    return { hint: `ignored ${file}: ${(e as Error).message}` };
  }
  const wanted = hostKey(registry);
  const auths: Record<string, any> = config?.auths && typeof config.auths === 'object' ? config.auths : {};
  for (const [key, entry] of Object.entries(auths)) {
    if (hostKey(key) !== wanted || !entry || typeof entry !== 'object') {
      continue;
    }
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf-8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        return { credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: `${file} (auths["${key}"])` } };
      }
      return { hint: `ignored auths["${key}"].auth in ${file}: it is not base64 of user:password` };
    }
    if (typeof entry.username === 'string' && typeof entry.password === 'string') {
      return { credentials: { username: entry.username, password: entry.password, source: `${file} (auths["${key}"])` } };
    }
  }
  const helper = config?.credHelpers?.[registry] ?? config?.credsStore;
  return helper
    ? { hint: `${file} delegates credentials to the helper docker-credential-${helper}, which cdk-compliant-ml does not run; set ${envName}=user:password` }
    : {};
}

/** `https://index.docker.io/v1/` → `docker.io`, `https://ghcr.io` → `ghcr.io`, `localhost:5000` stays. */
function hostKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return DOCKER_HUB_KEYS.includes(host) ? 'docker.io' : host;
}
