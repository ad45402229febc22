import { IConstruct } from 'constructs';

/**
 * Builds the error every validation in this library throws: it names the construct path (when there is one),
 * the prop, the offending value and the fix, in the lower-case style of aws-cdk's own validation errors.
 *
 * @internal
 */
export function propError(scope: IConstruct | undefined, prop: string, value: unknown, problem: string, fix: string): Error {
  const where = scope ? `${scope.node.path}: ` : '';
  return new Error(`${where}invalid ${prop} ${describe(value)}: ${problem}; ${fix}`);
}

/**
 * Renders a value for an error message: strings quoted, everything else as JSON.
 *
 * @internal
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (value === undefined) {
    return '(undefined)';
  }
  if (typeof value === 'number') {
    // JSON.stringify renders NaN and ±Infinity as `null`, which hides what was passed
    return isNumberToken(value) ? '(unresolved number token)' : String(value);
  }
  try {
    const marked = JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? `${NON_FINITE}${v}` : v));
    return marked === undefined ? String(value) : marked.replace(new RegExp(`"${NON_FINITE}(-?Infinity|NaN)"`, 'g'), '$1');
  } catch {
    return String(value);
  }
}

const NON_FINITE = '@@non-finite@@';

/**
 * True when a number is an aws-cdk number token (`Token.asNumber(...)`, e.g. a CloudFormation parameter): aws-cdk-lib encodes
 * it as a double whose upper 16 bits are 0xFBFF (core/lib/private/encoding.ts), so nothing here needs aws-cdk-lib itself.
 *
 * @internal
 */
export function isNumberToken(value: unknown): boolean {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    return false;
  }
  const words = new Uint32Array(new Float64Array([value]).buffer);
  const high = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? words[1] : words[0];
  return Math.floor(high / 0x10000) === 0xFBFF;
}

/**
 * True when a string holds an unresolved CDK token (aws-cdk-lib and cdk8s both encode string tokens as `${Token[...]}`).
 *
 * @internal
 */
export function hasToken(value: string): boolean {
  return value.includes('${Token[');
}

/**
 * Checks that a number is an integer inside [min, max] and throws a prop error otherwise.
 *
 * @internal
 */
export function requireInteger(scope: IConstruct | undefined, prop: string, value: number, min: number, max: number, fix?: string): number {
  if (isNumberToken(value)) {
    throw propError(scope, prop, value, `${prop} is a token, and the construct needs its value to build and check the output`,
      `pass a number (an integer in ${min}..${max})`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
    throw propError(scope, prop, value, `must be ${range}`, fix ?? `set ${prop} to ${range}`);
  }
  return value;
}
