/* eslint-disable @typescript-eslint/no-explicit-any */
import { flatten } from './template';

/**
 * How CloudFormation reads template values: booleans given as strings, intrinsic functions whose value only exists at deploy
 * time, and evidence text that never shows a value for a field that is not set.
 */

/** True for `{Ref: ...}`, `{Fn::...: ...}` and `{Condition: ...}`: a value CloudFormation computes at deploy time. */
export function isIntrinsic(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/** True when a value contains an intrinsic anywhere (a literal list of an imported item, a Join of a parameter). */
export function containsIntrinsic(value: unknown): boolean {
  if (isIntrinsic(value)) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsIntrinsic);
  }
  return value !== null && typeof value === 'object' && Object.values(value).some(containsIntrinsic);
}

/**
 * A boolean field as CloudFormation reads it: `true`/`"true"` and `false`/`"false"` (any case), `absent` when the field is not set,
 * `unknown` for an intrinsic or anything else.
 */
export type CfnBoolean = 'true' | 'false' | 'absent' | 'unknown';

/** Reads a boolean field the way CloudFormation does (see `CfnBoolean`). */
export function cfnBoolean(value: unknown): CfnBoolean {
  if (value === undefined || value === null) {
    return 'absent';
  }
  if (value === true || (typeof value === 'string' && value.toLowerCase() === 'true')) {
    return 'true';
  }
  if (value === false || (typeof value === 'string' && value.toLowerCase() === 'false')) {
    return 'false';
  }
  return 'unknown';
}

/** A number field as CloudFormation reads it (numbers or numeric strings); undefined when absent, NaN when not a literal number. */
export function cfnNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number') {
    return value;
  }
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
}

/** A list field: the items of a literal list, `[]` when absent, undefined when the list itself is an intrinsic. */
export function cfnList(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : undefined;
}

/** `path=value` for a set field (intrinsics flattened to `${...}`), `path is not set` otherwise. */
export function fieldText(path: string, value: unknown): string {
  if (value === undefined || value === null) {
    return `${path} is not set`;
  }
  return `${path}=${isIntrinsic(value) ? flatten(value) : JSON.stringify(value)}`;
}
