import { isIPv4, isIPv6 } from 'net';
import { IConstruct } from 'constructs';
import { describe, hasToken, isNumberToken, propError, requireInteger } from './errors';

/**
 * The bounds the platforms enforce on what the constructs render, checked at construct time so that bad input gets an error
 * naming the construct path, the prop, the value and the fix, instead of a rejection by the API server, CloudFormation or
 * ECS (or a stack trace from inside cdk8s or aws-cdk-lib). Every function here is internal; the constructs call them.
 */

/** The largest value of a Kubernetes int32 field (progressDeadlineSeconds, failureThreshold, activeDeadlineSeconds, ...). */
export const INT32_MAX = 2147483647;
/** The API server's limit on the total size of an object's annotations, keys plus values (256 KiB). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;
/** The lowest and highest UID/GID a prop may set, on both backends (SEC-1; 2^31-1 is the Kubernetes int64 field's safe range). */
export const USER_ID_RANGE = { min: 10000, max: INT32_MAX } as const;

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** @internal A DNS-1035 label: lowercase alphanumerics and '-', starting with a letter, ending with a letter or digit. */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// RFC 3986 path-absolute with an optional query: pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
const URI_PATH = /^(\/([A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)+(\?([A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * How a kind's object name is checked: its grammar and the longest name that works. A CronJob's name is at most 52 characters
 * because the controller appends an 11-character suffix to name its Jobs; Service names are DNS-1035 labels (they become DNS
 * names); names that end up in a label (Job names in `job-name`, Deployment names through ReplicaSets and pods) are 63 at most.
 *
 * @internal
 */
export const NAME_RULES: Record<string, { readonly grammar: 'dns1035' | 'dns1123-label' | 'dns1123-subdomain'; readonly max: number }> = {
  CronJob: { grammar: 'dns1123-subdomain', max: 52 },
  Job: { grammar: 'dns1123-label', max: 63 },
  Deployment: { grammar: 'dns1123-label', max: 63 },
  Service: { grammar: 'dns1035', max: 63 },
  Namespace: { grammar: 'dns1123-label', max: 63 },
  ServiceAccount: { grammar: 'dns1123-subdomain', max: 253 },
  ConfigMap: { grammar: 'dns1123-subdomain', max: 253 },
  PodDisruptionBudget: { grammar: 'dns1123-subdomain', max: 253 },
  NetworkPolicy: { grammar: 'dns1123-subdomain', max: 253 },
  HorizontalPodAutoscaler: { grammar: 'dns1123-subdomain', max: 253 },
};

/**
 * Throws when a value is an unresolved token (a string with `${Token[...]}` or an aws-cdk number token) where the construct
 * needs the literal.
 *
 * @internal
 */
export function refuseToken(scope: IConstruct | undefined, prop: string, value: unknown, literal: string): void {
  if ((typeof value === 'string' && hasToken(value)) || isNumberToken(value)) {
    throw propError(scope, prop, value, `${prop} is a token, and the construct needs its value to build and check the output`, `pass ${literal}`);
  }
}

/**
 * An integer that fits the Kubernetes int32 fields, within [min, INT32_MAX].
 *
 * @internal
 */
export function requireInt32(scope: IConstruct | undefined, prop: string, value: number, min = 0, fix?: string): number {
  return requireInteger(scope, prop, value, min, INT32_MAX, fix ?? `keep ${prop} within ${min}..${INT32_MAX} (the API server's int32 range)`);
}

/**
 * A TCP/UDP port: an integer in 1..65535.
 *
 * @internal
 */
export function requirePort(scope: IConstruct | undefined, prop: string, value: number): number {
  return requireInteger(scope, prop, value, 1, 65535, `set ${prop} to a port in 1..65535`);
}

/**
 * A UID or GID in 10000..2147483647 (SEC-1).
 *
 * @internal
 */
export function requireUserId(scope: IConstruct | undefined, prop: string, value: number): number {
  return requireInteger(scope, prop, value, USER_ID_RANGE.min, USER_ID_RANGE.max,
    `use 10001 or another ID in ${USER_ID_RANGE.min}..${USER_ID_RANGE.max} and build the image with that numeric USER`);
}

/**
 * A Kubernetes label value: 1..63 characters, alphanumerics with '-', '_' or '.' inside. Empty values are refused too: a label
 * the library sets must say something (an empty `part-of` or `version` is an input mistake, not a value).
 *
 * @internal
 */
export function requireLabelValue(scope: IConstruct | undefined, prop: string, value: string, source?: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !LABEL_VALUE.test(value)) {
    const what = source === undefined ? 'is not a label value' : `gives the label value ${describe(value)}, which is not valid`;
    throw propError(scope, prop, source ?? value, `${what} (1..63 characters: letters, digits, and '-', '_', '.' inside)`,
      `set ${prop} to a value such as 'fraud-scorer' or '1.4.2'`);
  }
  return value;
}

/**
 * A label selector map: qualified-name keys and label values (network peers, node selectors).
 *
 * @internal
 */
export function requireLabels(scope: IConstruct | undefined, prop: string, labels: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(labels)) {
    if (!QUALIFIED_NAME.test(key) || key.split('/').pop()!.length > 63 || key.length > 253 + 1 + 63) {
      throw propError(scope, `${prop} key`, key, 'is not a label key ([prefix/]name, name 1..63 characters)', 'e.g. app.kubernetes.io/name');
    }
    requireLabelValue(scope, `${prop}[${JSON.stringify(key)}]`, value);
  }
  return labels;
}

/**
 * An object name that the API server (and the controllers that derive names from it) accepts for the given kind.
 *
 * @internal
 */
export function requireObjectName(scope: IConstruct | undefined, prop: string, name: string, kind: string): string {
  const rule = NAME_RULES[kind] ?? { grammar: 'dns1123-subdomain', max: 253 };
  const grammar = { 'dns1035': DNS1035_LABEL, 'dns1123-label': DNS1123_LABEL, 'dns1123-subdomain': DNS1123_SUBDOMAIN }[rule.grammar];
  if (name.length === 0 || name.length > rule.max || !grammar.test(name)) {
    throw propError(scope, prop, name, `is not a valid ${kind} name (${rule.grammar === 'dns1035' ? 'DNS-1035 label' : rule.grammar.replace('dns1123', 'DNS-1123')}, `
      + `at most ${rule.max} characters, got ${name.length})`, 'use a shorter construct id or path, lowercase letters, digits and \'-\'');
  }
  return name;
}

/**
 * Refuses annotations whose keys and values together exceed the API server's 256 KiB, naming the largest entries.
 *
 * @internal
 */
export function requireAnnotationSize(scope: IConstruct | undefined, prop: string, annotations: Record<string, string | undefined>): void {
  const sizes = Object.entries(annotations).filter(([, v]) => v !== undefined)
    .map(([k, v]) => ({ key: k, bytes: Buffer.byteLength(k) + Buffer.byteLength(v!) }));
  const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
  if (total > ANNOTATIONS_MAX_BYTES) {
    const largest = [...sizes].sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1)).slice(0, 3).map((s) => `${s.key} ${s.bytes} B`);
    throw propError(scope, prop, `${total} bytes`, `exceed the API server's limit of ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB) for all annotations `
      + `of an object; largest: ${largest.join(', ')}`, 'shorten the values (e.g. framework, registry, trainingRunId) or keep long text outside the manifest');
  }
}

/**
 * A positive, finite amount (a resource limit or request: negative, zero and NaN are refused).
 *
 * @internal
 */
export function requirePositive(scope: IConstruct | undefined, prop: string, value: number, unit: string, fix: string): number {
  if (isNumberToken(value)) {
    refuseToken(scope, prop, value, `a literal amount of ${unit}`);
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw propError(scope, prop, value, `must be a positive finite number of ${unit}`, fix);
  }
  return value;
}

/**
 * An IPv4 or IPv6 CIDR block with valid octets/groups and prefix length.
 *
 * @internal
 */
export function requireCidr(scope: IConstruct | undefined, prop: string, cidr: string): string {
  if (!isCidr(cidr)) {
    throw propError(scope, prop, cidr, 'is not an IPv4 or IPv6 CIDR block (octets 0..255, prefix 0..32; or IPv6 groups, prefix 0..128)',
      'e.g. 10.0.0.0/16 or fd00::/8');
  }
  return cidr;
}

/**
 * True when `cidr` is an IPv4 block (four decimal octets 0-255 without leading zeros, prefix 0-32) or an IPv6 block (an
 * address `net.isIPv6` accepts, without a zone id, prefix 0-128).
 *
 * @internal
 */
export function isCidr(cidr: unknown): boolean {
  const match = typeof cidr === 'string' ? /^([^/]+)\/(0|[1-9][0-9]{0,2})$/.exec(cidr) : null;
  if (!match) {
    return false;
  }
  const prefix = Number(match[2]);
  if (isIPv4(match[1])) {
    return prefix <= 32 && match[1].split('.').every((octet) => octet === '0' || !octet.startsWith('0'));
  }
  return isIPv6(match[1]) && !match[1].includes('%') && prefix <= 128;
}

/**
 * Refuses a name that appears twice across several props (env across `env`, `secretEnv`, `secrets` and the construct's own).
 *
 * @internal
 */
export function requireUniqueNames(scope: IConstruct | undefined, what: string, entries: Array<{ readonly prop: string; readonly name: string }>,
  fix: string): void {
  const seen = new Map<string, string>();
  for (const { prop, name } of entries) {
    const first = seen.get(name);
    if (first !== undefined) {
      throw propError(scope, prop, name, `is also set by ${first}, so the ${what} would be defined twice`, fix);
    }
    seen.set(name, prop);
  }
}

/**
 * Integers in [min, max], returned sorted ascending; duplicates are refused (the API server wants sorted unique lists, e.g.
 * podFailurePolicy onExitCodes).
 *
 * @internal
 */
export function sortedUniqueIntegers(scope: IConstruct | undefined, prop: string, values: readonly number[], min: number, max: number): number[] {
  values.forEach((v, i) => requireInteger(scope, `${prop}[${i}]`, v, min, max));
  const sorted = [...values].sort((a, b) => a - b);
  const duplicate = sorted.find((v, i) => i > 0 && sorted[i - 1] === v);
  if (duplicate !== undefined) {
    throw propError(scope, prop, values, `lists ${duplicate} twice`, 'list each value once');
  }
  return sorted;
}

/** A Duration of either framework: both take `{ integral: false }` and throw on a token with a unit conversion. */
interface AnyDuration {
  toSeconds(opts?: { integral?: boolean }): number;
  toString(): string;
}

/**
 * The whole number of seconds in a Duration (cdk8s or aws-cdk), within [min, max]; 1500 ms and a 100-year duration get our error.
 *
 * @internal
 */
export function wholeSeconds(scope: IConstruct | undefined, prop: string, duration: AnyDuration, min: number, max: number, example: string): number {
  if (duration === null || typeof duration !== 'object' || typeof duration.toSeconds !== 'function') {
    throw propError(scope, prop, duration, 'is not a Duration', `pass ${example}`);
  }
  if ((duration as { isUnresolved?: () => boolean }).isUnresolved?.()) {
    throw propError(scope, prop, '(unresolved token)', `${prop} is a token, and the construct needs its value to build and check the output`, `pass ${example}`);
  }
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds)) {
    throw propError(scope, prop, `${seconds}s`, 'is not a whole number of seconds', `pass whole seconds, e.g. ${example}`);
  }
  if (seconds < min || seconds > max) {
    const range = min === 1 ? `a positive whole number of seconds, at most ${max}s` : `a whole number of seconds in ${min}..${max}s`;
    throw propError(scope, prop, `${seconds}s`, `must be ${range}`, `e.g. ${example}`);
  }
  return seconds;
}

/** A cdk8s Size (`toMebibytes({ rounding })`, where rounding 2 is SizeRoundingBehavior.NONE). */
interface AnySize {
  toMebibytes(opts?: { rounding?: number }): number;
  toString?(): string;
}

/**
 * The whole number of MiB in a cdk8s Size, positive: a Size of 1 KiB or of NaN gets our error.
 *
 * @internal
 */
export function wholeMebibytes(scope: IConstruct | undefined, prop: string, size: AnySize, example = 'Size.mebibytes(512) or Size.gibibytes(1)'): number {
  if (size === null || typeof size !== 'object' || typeof size.toMebibytes !== 'function') {
    throw propError(scope, prop, size, 'is not a Size', `pass ${example}`);
  }
  const mebibytes = size.toMebibytes({ rounding: 2 });
  if (!Number.isFinite(mebibytes) || mebibytes <= 0 || !Number.isInteger(mebibytes)) {
    throw propError(scope, prop, mebibytes, Number.isFinite(mebibytes) && mebibytes > 0 ? 'MiB: not a whole number of mebibytes' : 'MiB: must be a positive whole number of mebibytes',
      `pass ${example}`);
  }
  return mebibytes;
}

/**
 * Mount paths of one container: absolute, normalized (no '.', '..', '//' or trailing '/'), not '/', unique, and none inside a
 * read-only mount (its mount point could not be created there).
 *
 * @internal
 */
export function requireMountPaths(scope: IConstruct | undefined,
  mounts: Array<{ readonly prop: string; readonly path: string; readonly readOnly?: boolean }>): void {
  for (const m of mounts) {
    if (typeof m.path !== 'string' || !/^(\/[A-Za-z0-9._@+-]+)+$/.test(m.path) || m.path.split('/').some((c) => c === '.' || c === '..')) {
      throw propError(scope, m.prop, m.path, 'is not a normalized absolute path other than /', 'e.g. /data/train');
    }
  }
  requireUniqueNames(scope, 'mount path', mounts.map((m) => ({ prop: m.prop, name: m.path })), 'give each mount its own directory');
  for (const outer of mounts.filter((m) => m.readOnly)) {
    const inner = mounts.find((m) => m !== outer && m.path.startsWith(`${outer.path}/`));
    if (inner) {
      throw propError(scope, inner.prop, inner.path, `is inside ${outer.path} (${outer.prop}), which is mounted read-only`, 'mount it outside that directory');
    }
  }
}

/**
 * An HTTP path for a probe or health check: an RFC 3986 absolute path with an optional query, nothing a shell would interpret
 * outside of its characters.
 *
 * @internal
 */
export function requireUriPath(scope: IConstruct | undefined, prop: string, path: string, example: string): string {
  if (typeof path !== 'string' || hasToken(path) || !URI_PATH.test(path)) {
    throw propError(scope, prop, path, 'is not an absolute URL path (RFC 3986: /segment/segment[?query], other characters percent-encoded)', `e.g. '${example}'`);
  }
  return path;
}

/**
 * Refuses control characters (newline, NUL, escape, ...) in strings that end up in a command.
 *
 * @internal
 */
export function refuseControlCharacters(scope: IConstruct | undefined, prop: string, values: readonly string[]): void {
  values.forEach((v, i) => {
    if (typeof v !== 'string' || CONTROL_CHARACTERS.test(v)) {
      throw propError(scope, `${prop}[${i}]`, v, 'contains a control character (or is not a string)', 'remove newlines, tabs and other control characters');
    }
  });
}

const CHART_SYMBOL = Symbol.for('cdk8s.Chart');
const STACK_SYMBOL = Symbol.for('@aws-cdk/core.Stack');

/**
 * Throws before a construct is created in the wrong scope: a Kubernetes construct needs a cdk8s Chart (and no aws-cdk Stack
 * around it), an ECS construct an aws-cdk Stack. Returns the scope, so it can be called in a `super(...)` argument.
 *
 * @internal
 */
export function requireScope<T extends IConstruct>(scope: T, id: string, backend: 'kubernetes' | 'ecs', kind: string): T {
  const scopes = scope?.node?.scopes ?? [];
  const inChart = scopes.some((s) => CHART_SYMBOL in s);
  const inStack = scopes.some((s) => STACK_SYMBOL in s);
  const path = [scope?.node?.path, id].filter((p) => p).join('/');
  const where = scopes.length === 0 ? 'no construct' : `${describe(scope.node.path || '(the app root)')}`;
  const fail = (needs: string, fix: string) => new Error(`${path}: invalid scope ${where}: ${kind} ${needs}; ${fix}`);
  if (backend === 'kubernetes' && (!inChart || inStack)) {
    throw fail(inStack ? 'is a cdk8s construct and cannot be defined inside an aws-cdk Stack' : 'must be defined inside a cdk8s Chart',
      `define it in a Chart: new ${kind}(new Chart(app, 'ml'), '${id}', {...}) with cdk8s' App and Chart`);
  }
  if (backend === 'ecs' && !inStack) {
    throw fail('must be defined inside an aws-cdk Stack', `define it in a Stack: new ${kind}(new Stack(app, 'Ml'), '${id}', {...}) with aws-cdk-lib's App and Stack`);
  }
  return scope;
}
