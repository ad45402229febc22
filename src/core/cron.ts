import { IConstruct } from 'constructs';
import { propError } from './errors';

/**
 * The schedule grammar the Kubernetes API server accepts for a CronJob: `cron.ParseStandard` of robfig/cron v3 (five fields
 * or a descriptor) and no `TZ=` / `CRON_TZ=` prefix, which the API server refuses in favour of `spec.timeZone`.
 *
 * Fields: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT (names in any case).
 * Each field is a comma-separated list of `*` or `?`, a value, a range `a-b`, each optionally with a step `/n` (n >= 1;
 * `a/n` means `a-max/n`). Descriptors: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, `@every <duration>`.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

/** The five fields, in order. @internal */
export const KUBERNETES_CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** The descriptors (macros) robfig/cron accepts besides `@every`. @internal */
export const KUBERNETES_CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * The problem with a Kubernetes CronJob schedule, or undefined when the API server accepts it.
 *
 * @internal
 */
export function kubernetesScheduleProblem(schedule: string): string | undefined {
  if (typeof schedule !== 'string' || schedule.trim().length === 0) {
    return 'is empty';
  }
  if (schedule.includes('TZ')) {
    return 'sets a time zone with TZ= or CRON_TZ=, which the API server refuses';
  }
  const fields = schedule.trim().split(/\s+/);
  if (fields[0].startsWith('@')) {
    if (fields.length === 1 && KUBERNETES_CRON_MACROS.includes(fields[0])) {
      return undefined;
    }
    if (fields[0] === '@every' && fields.length === 2 && GO_DURATION.test(fields[1])) {
      return undefined;
    }
    return `is not one of the macros ${KUBERNETES_CRON_MACROS.join(', ')} or @every <duration>`;
  }
  if (fields.length !== 5) {
    return `has ${fields.length} fields; a Kubernetes schedule has five (minute hour day-of-month month day-of-week)`;
  }
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i], KUBERNETES_CRON_FIELDS[i]);
    if (problem) {
      return `has ${KUBERNETES_CRON_FIELDS[i].name} field ${JSON.stringify(fields[i])}: ${problem}`;
    }
  }
  return undefined;
}

/**
 * Throws our error for a schedule the API server would refuse.
 *
 * @internal
 */
export function validateKubernetesSchedule(scope: IConstruct | undefined, prop: string, schedule: string): string {
  const problem = kubernetesScheduleProblem(schedule);
  if (problem) {
    throw propError(scope, prop, schedule, problem,
      'use five fields such as "0 3 * * *" (03:00 every day) or "30 2 * * MON-FRI", or a macro such as "@daily"; set the time zone with timeZone');
  }
  return schedule;
}

function fieldProblem(field: string, bounds: CronField): string | undefined {
  for (const part of field.split(',')) {
    const problem = partProblem(part, bounds);
    if (problem) {
      return problem;
    }
  }
  return undefined;
}

function partProblem(part: string, bounds: CronField): string | undefined {
  const rangeAndStep = part.split('/');
  if (rangeAndStep.length > 2) {
    return `too many slashes in ${JSON.stringify(part)}`;
  }
  const lowAndHigh = rangeAndStep[0].split('-');
  if (lowAndHigh.length > 2) {
    return `too many hyphens in ${JSON.stringify(part)}`;
  }
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    if (lowAndHigh.length === 2) {
      return `a range cannot start with ${lowAndHigh[0]}`;
    }
    start = bounds.min;
    end = bounds.max;
  } else {
    const low = value(lowAndHigh[0], bounds);
    if (low === undefined) {
      return `${JSON.stringify(lowAndHigh[0])} is not a number${bounds.names ? ' or name' : ''}`;
    }
    start = low;
    end = low;
    if (lowAndHigh.length === 2) {
      const high = value(lowAndHigh[1], bounds);
      if (high === undefined) {
        return `${JSON.stringify(lowAndHigh[1])} is not a number${bounds.names ? ' or name' : ''}`;
      }
      end = high;
    }
  }
  if (rangeAndStep.length === 2) {
    if (!/^[0-9]+$/.test(rangeAndStep[1]) || Number(rangeAndStep[1]) === 0) {
      return `the step ${JSON.stringify(rangeAndStep[1])} is not a positive number`;
    }
    if (lowAndHigh.length === 1 && lowAndHigh[0] !== '*' && lowAndHigh[0] !== '?') {
      end = bounds.max;
    }
  }
  if (start < bounds.min) {
    return `${start} is below the minimum ${bounds.min}`;
  }
  if (end > bounds.max) {
    return `${end} is above the maximum ${bounds.max}`;
  }
  if (start > end) {
    return `the range starts at ${start}, after its end ${end}`;
  }
  return undefined;
}

function value(text: string, bounds: CronField): number | undefined {
  const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) {
    return bounds.min + named;
  }
  return /^[0-9]+$/.test(text) ? Number(text) : undefined;
}
