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
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
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
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
    throw propError(scope, prop, value, `must be ${range}`, fix ?? `set ${prop} to ${range}`);
  }
  return value;
}
