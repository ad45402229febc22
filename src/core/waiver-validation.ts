import { IConstruct } from 'constructs';
import { describe, propError } from './errors';
import { Waiver } from './waiver';
import { ControlCatalogue } from '../compliance/catalogue';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Today's date in UTC as `YYYY-MM-DD`. The only clock read of the library: it decides whether a waiver has expired and never
 * appears in any output.
 *
 * @internal
 */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * Validates one waiver: a known control, a non-empty reason and, when given, a real ISO date that is not in the past.
 *
 * @internal
 */
export function validateWaiver(scope: IConstruct | undefined, prop: string, waiver: Waiver, today: string = todayUtc()): void {
  if (waiver === null || typeof waiver !== 'object') {
    throw propError(scope, prop, waiver, 'is not a waiver', 'pass { control, reason, expires? }');
  }
  if (!ControlCatalogue.find(waiver.control)) {
    throw propError(scope, `${prop}.control`, waiver.control, 'is not a control of the catalogue',
      `use one of ${ControlCatalogue.ids().join(', ')}`);
  }
  if (typeof waiver.reason !== 'string' || waiver.reason.trim().length === 0) {
    throw propError(scope, `${prop}.reason`, waiver.reason, `a waiver of ${waiver.control} needs a reason`,
      'say why the control cannot be met; the reason is copied into the compliance report');
  }
  if (waiver.expires !== undefined) {
    if (!isIsoDate(waiver.expires)) {
      throw propError(scope, `${prop}.expires`, waiver.expires, 'is not an ISO date', 'write the last valid day as YYYY-MM-DD');
    }
    if (waiver.expires < today) {
      throw propError(scope, `${prop}.expires`, waiver.expires,
        `the waiver of ${waiver.control} expired on ${waiver.expires} (today is ${today})`,
        `renew the waiver with a new expiry date and reason, or meet ${waiver.control} and remove the waiver`);
    }
  }
}

/**
 * Validates a list of waivers and refuses two waivers for the same control, and (when `applicable` is given) a waiver of a
 * control that does not apply to the workload, which would otherwise vanish from the report.
 *
 * @param applicable the IDs of the controls that apply to the workload
 * @internal
 */
export function validateWaiverList(scope: IConstruct | undefined, prop: string, waivers: Waiver[] | undefined,
  applicable?: readonly string[]): Waiver[] {
  const list = waivers ?? [];
  if (!Array.isArray(list)) {
    throw propError(scope, prop, list, 'is not a list of waivers', 'pass an array of { control, reason, expires? }');
  }
  const seen = new Set<string>();
  list.forEach((waiver, i) => {
    validateWaiver(scope, `${prop}[${i}]`, waiver);
    if (applicable && !applicable.includes(waiver.control)) {
      throw propError(scope, `${prop}[${i}].control`, waiver.control, `${waiver.control} does not apply to this workload`,
        `remove the waiver; the controls that apply here are ${applicable.join(', ')}`);
    }
    if (seen.has(waiver.control)) {
      throw propError(scope, `${prop}[${i}].control`, waiver.control, 'is waived twice', `keep one waiver per control with ${describe(waiver.control)}`);
    }
    seen.add(waiver.control);
  });
  return list;
}

function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) {
    return false;
  }
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}
