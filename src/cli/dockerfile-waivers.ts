import type { InputProblem } from './inputs';
import { ControlCatalogue } from '../compliance/catalogue';
import { checkWaiverRecords } from '../core/output-waivers';
import { Waiver } from '../core/waiver';

/**
 * The comment that waives a control for a whole Dockerfile (a Dockerfile is one report entry):
 *
 *   # cdk-compliant-ml waive=SEC-1 reason="the vendor base image only runs as root" expires=2027-03-31 approved-by="ML platform"
 *
 * `waive` and `reason` are required; values with spaces are double-quoted (`\"` and `\\` escape inside quotes). The line may
 * stand anywhere in the file. Like a waiver prop of a construct, it turns a failing control into `waived` with its reason in
 * the report, and an expired one is an error.
 *
 * @internal
 */
export const DOCKERFILE_WAIVER_PREFIX = 'cdk-compliant-ml';

// a comment that starts with the prefix and a `key=`: prose that merely names the tool is not a waiver, a typo in a key is
const LINE = new RegExp(`^\\s*#\\s*${DOCKERFILE_WAIVER_PREFIX}\\s+([A-Za-z][A-Za-z-]*=.*)$`);
const PAIR = /\s*([A-Za-z][A-Za-z-]*)=("(?:[^"\\]|\\.)*"|[^\s"]+)/y;
const KEYS = ['waive', 'reason', 'expires', 'approved-by'];

/**
 * The controls a Dockerfile is judged on (those with a Dockerfile verdict rule): the only ones its comments may waive.
 *
 * @internal
 */
export const DOCKERFILE_CONTROL_IDS: readonly string[] = ControlCatalogue.controls()
  .filter((c) => c.verdictRule?.dockerfile !== undefined).map((c) => c.id);

/** A waiver of a Dockerfile comment, with the 1-based line it stands on. @internal */
export interface DockerfileWaiver {
  readonly waiver: Waiver;
  readonly line: number;
}

/**
 * The waivers written in a Dockerfile's comments, and a problem (with its line) for every malformed, unknown, out-of-scope,
 * expired or repeated one. Validated by the same code as waivers in manifests and templates (checkWaiverRecords).
 *
 * @internal
 */
export function dockerfileWaivers(file: string, text: string, today?: string): { waivers: DockerfileWaiver[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const records: Array<Record<string, string>> = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const m = LINE.exec(raw);
    if (!m) {
      return;
    }
    const line = index + 1;
    const fields = parseFields(m[1]);
    if (typeof fields === 'string') {
      problems.push({ file, line, message: `malformed waiver comment: ${fields}; write # ${DOCKERFILE_WAIVER_PREFIX} waive=<CONTROL> reason="..."` });
      return;
    }
    records.push({
      control: fields.get('waive') ?? '',
      reason: fields.get('reason') ?? '',
      ...(fields.has('expires') ? { expires: fields.get('expires')! } : {}),
      ...(fields.has('approved-by') ? { approvedBy: fields.get('approved-by')! } : {}),
    });
    lines.push(line);
  });
  const waivers: DockerfileWaiver[] = [];
  for (const checked of checkWaiverRecords(records, DOCKERFILE_CONTROL_IDS, () => 'waiver', today)) {
    const line = lines[checked.index];
    if (checked.waiver) {
      waivers.push({ waiver: checked.waiver, line });
    } else if (checked.duplicateOf !== undefined) {
      problems.push({ file, line, message: `${checked.control} is waived twice (first on line ${lines[checked.duplicateOf]}): keep one waiver per control` });
    } else {
      problems.push({ file, line, message: checked.problem! });
    }
  }
  return { waivers, problems };
}

/** The `key=value` pairs of a waiver comment, or the reason it cannot be read. */
function parseFields(body: string): Map<string, string> | string {
  const fields = new Map<string, string>();
  PAIR.lastIndex = 0;
  let end = 0;
  for (let m = PAIR.exec(body); m; m = PAIR.exec(body)) {
    const key = m[1].toLowerCase();
    if (!KEYS.includes(key)) {
      return `unknown field ${JSON.stringify(m[1])} (the fields are ${KEYS.join(', ')})`;
    }
    if (fields.has(key)) {
      return `the field ${key} is given twice`;
    }
    const value = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2];
    fields.set(key, value);
    end = PAIR.lastIndex;
  }
  const rest = body.slice(end).trim();
  if (rest.length > 0) {
    return `cannot read ${JSON.stringify(rest.slice(0, 40))} (fields are key=value; quote values with spaces)`;
  }
  if (!fields.has('waive')) {
    return 'no waive=<CONTROL>';
  }
  return fields;
}
