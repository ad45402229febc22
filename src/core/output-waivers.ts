import { Waiver } from './waiver';
import { validateWaiver } from './waiver-validation';

/**
 * Waivers written into synthesized output (the Kubernetes annotation `compliance.cdk-compliant-ml.io/waivers`, the
 * `cdk-compliant-ml` metadata of a CloudFormation resource) and read back by the in-app report, the validation plugins and
 * `cdk-compliant-ml check`. The output carries the same data as a waiver in code (control, reason, expires, approvedBy), and
 * is validated exactly like one: a known control that applies to the workload, a non-empty reason, a real ISO date that has
 * not passed. A bare list of control IDs waives nothing.
 *
 * Not part of the library's API.
 */

/** The result of reading the waivers of one object: the valid ones, and one message per problem (each waives nothing). @internal */
export interface OutputWaivers {
  readonly waivers: Waiver[];
  readonly problems: string[];
}

/**
 * The waivers of a workload as the JSON text written into its output: an array of `{control, reason, expires?, approvedBy?}`
 * in the given order, keys in that fixed order, so the bytes are deterministic.
 *
 * @internal
 */
export function serializeWaivers(waivers: Waiver[]): string {
  return JSON.stringify(waivers.map(waiverRecord));
}

/**
 * The waiver as a plain record with its keys in a fixed order and no undefined fields.
 *
 * @internal
 */
export function waiverRecord(waiver: Waiver): Record<string, string> {
  const out: Record<string, string> = { control: waiver.control, reason: waiver.reason };
  if (waiver.expires !== undefined) {
    out.expires = waiver.expires;
  }
  if (waiver.approvedBy !== undefined) {
    out.approvedBy = waiver.approvedBy;
  }
  return out;
}

/**
 * Reads the waivers of a Kubernetes annotation: JSON text holding an array of waiver records.
 *
 * @param text the annotation's value
 * @param applicable the IDs of the controls that apply to the workload (a waiver of any other control is a problem)
 * @param today the date to compare expiries with (UTC, `YYYY-MM-DD`)
 * @internal
 */
export function readAnnotationWaivers(text: unknown, applicable: readonly string[], today?: string): OutputWaivers {
  let value: unknown;
  try {
    value = JSON.parse(String(text));
  } catch {
    return {
      waivers: [],
      problems: [`waivers ${JSON.stringify(text)} are not JSON: write a JSON array of {"control": "...", "reason": "...", "expires": "YYYY-MM-DD", "approvedBy": "..."}`],
    };
  }
  return readOutputWaivers(value, applicable, today);
}

/**
 * Reads waiver records from parsed output (template metadata, a parsed annotation).
 *
 * @param value the parsed value: it must be an array of `{control, reason, expires?, approvedBy?}` records
 * @param applicable the IDs of the controls that apply to the workload (a waiver of any other control is a problem)
 * @param today the date to compare expiries with (UTC, `YYYY-MM-DD`)
 * @internal
 */
export function readOutputWaivers(value: unknown, applicable: readonly string[], today?: string): OutputWaivers {
  if (!Array.isArray(value)) {
    return { waivers: [], problems: [`waivers ${JSON.stringify(value)} are not a JSON array of {"control", "reason", "expires"?, "approvedBy"?} records`] };
  }
  const waivers: Waiver[] = [];
  const problems: string[] = [];
  for (const checked of checkWaiverRecords(value, applicable, (i) => `waivers[${i}]`, today)) {
    if (checked.waiver) {
      waivers.push(checked.waiver);
    } else if (checked.duplicateOf !== undefined) {
      problems.push(`waivers[${checked.index}]: ${checked.control} is waived twice; keep one waiver per control`);
    } else {
      problems.push(checked.problem!);
    }
  }
  return { waivers, problems };
}

/**
 * The outcome of validating one waiver record of a list: the waiver, or the problem, or the index of the earlier record that
 * already waives the same control.
 *
 * @internal
 */
export interface CheckedWaiverRecord {
  readonly index: number;
  readonly waiver?: Waiver;
  readonly problem?: string;
  /** The control waived twice, with `duplicateOf`. */
  readonly control?: string;
  readonly duplicateOf?: number;
}

/**
 * Validates a list of waiver records one by one, like waivers in code (known control, non-empty reason, real unexpired ISO
 * date, a control in `applicable`), and finds the records that waive a control an earlier valid record already waives. The
 * one validation behind output waivers (annotations, template metadata) and Dockerfile comments: every record gets its own
 * result, so callers can report each bad one where it stands (an index, a line).
 *
 * @param prop how a record is named in messages, e.g. `waivers[2]`
 * @internal
 */
export function checkWaiverRecords(records: readonly unknown[], applicable: readonly string[], prop: (index: number) => string,
  today?: string): CheckedWaiverRecord[] {
  const first = new Map<string, number>();
  return records.map((item, index) => {
    const problem = waiverProblem(item, prop(index), applicable, today);
    if (problem) {
      return { index, problem };
    }
    const waiver = pickWaiver(item as Record<string, unknown>);
    const earlier = first.get(waiver.control);
    if (earlier !== undefined) {
      return { index, control: waiver.control, duplicateOf: earlier };
    }
    first.set(waiver.control, index);
    return { index, waiver };
  });
}

function waiverProblem(item: unknown, prop: string, applicable: readonly string[], today: string | undefined): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return `${prop} ${JSON.stringify(item)} is not a waiver: write {"control": "...", "reason": "...", "expires"?: "YYYY-MM-DD", "approvedBy"?: "..."}`;
  }
  const record = item as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((k) => !['control', 'reason', 'expires', 'approvedBy'].includes(k));
  if (unknownKeys.length > 0) {
    return `${prop}: unknown field ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}; a waiver has control, reason, expires and approvedBy`;
  }
  for (const key of ['expires', 'approvedBy']) {
    if (record[key] !== undefined && typeof record[key] !== 'string') {
      return `${prop}.${key} ${JSON.stringify(record[key])} must be a string`;
    }
  }
  try {
    validateWaiver(undefined, prop, record as unknown as Waiver, today);
  } catch (e) {
    return (e as Error).message;
  }
  const problem = scopeProblem(String(record.control), applicable);
  return problem ? `${prop}.control ${JSON.stringify(record.control)}: ${problem}` : undefined;
}

/**
 * Why a waiver of `control` cannot apply to a workload whose applicable controls are `applicable`, or undefined when it can.
 *
 * @internal
 */
export function scopeProblem(control: string, applicable: readonly string[]): string | undefined {
  return applicable.includes(control)
    ? undefined
    : `does not apply to this kind of workload, so it cannot be waived here (the controls that apply: ${applicable.join(', ')})`;
}

function pickWaiver(record: Record<string, unknown>): Waiver {
  return {
    control: String(record.control),
    reason: String(record.reason),
    ...(record.expires !== undefined ? { expires: String(record.expires) } : {}),
    ...(record.approvedBy !== undefined ? { approvedBy: String(record.approvedBy) } : {}),
  };
}
