/* Loads the real-world corpus' expected verdicts, runs `check` on its files and compares the report with them. */
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../cli/support';

export const CORPUS_DIR = path.join(__dirname, '..', 'fixtures', 'corpus');

/** One adjudicated verdict: the status the control's written rule gives for this file, and why where it is not obvious. */
export interface ExpectedVerdict {
  readonly status: string;
  readonly why?: string;
}

/** A file that holds no deployable object: it must give an input problem or a notEvaluated entry whose text matches. */
export interface ExpectedUnevaluable {
  readonly match: string;
  readonly why: string;
}

export interface ExpectedFile {
  readonly backend: 'kubernetes' | 'ecs' | 'dockerfile';
  readonly what: string;
  /** Workload name (`<file>#<Kind>/<name>[/<pod-spec location>]`, `<file>#<LogicalId>`, `<file>`) to control id to verdict. */
  readonly workloads: Record<string, Record<string, ExpectedVerdict>>;
  readonly unevaluable?: ExpectedUnevaluable;
  /** A directory below the corpus whose files are checked together (objects in one file refer to objects in another). */
  readonly group?: string;
  readonly note?: string;
}

export interface ExpectedCorpus {
  readonly adjudicatedVerdicts: number;
  readonly files: Record<string, ExpectedFile>;
}

export function loadExpected(): ExpectedCorpus {
  return JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'expected.json'), 'utf-8'));
}

/** What one `check --format json --no-report <target>` run gave, with paths relative to the corpus directory. */
export interface CorpusRun {
  readonly target: string;
  readonly code: number;
  readonly stderr: string;
  /** Workload path to control id to status. */
  readonly workloads: Map<string, Map<string, string>>;
  readonly notEvaluated: { path: string; kind: string; reason: string }[];
  /** Input problems by file (relative path) with their messages. */
  readonly inputProblems: Map<string, string[]>;
  /** Why the run counts as a crash, if it does. */
  readonly crash?: string;
}

const relative = (p: string) => (p.startsWith(`${CORPUS_DIR}${path.sep}`) ? p.slice(CORPUS_DIR.length + 1) : p).split(path.sep).join('/');

/** Runs the checker the way `cdk-compliant-ml check --format json --no-report <target>` does, in-process. */
export async function runCorpusTarget(target: string): Promise<CorpusRun> {
  const absolute = path.join(CORPUS_DIR, target);
  let result;
  try {
    result = await runCli(['check', '--format', 'json', '--no-report', absolute]);
  } catch (error) {
    return { target, code: -1, stderr: String(error), workloads: new Map(), notEvaluated: [], inputProblems: new Map(), crash: `threw ${String(error)}` };
  }
  const inputProblems = new Map<string, string[]>();
  for (const line of result.stderr.split('\n')) {
    const problem = /^(.+?)(?::\d+)?: error: (.*)$/.exec(line);
    if (problem) {
      const file = relative(problem[1]);
      inputProblems.set(file, [...(inputProblems.get(file) ?? []), problem[2]]);
    }
  }
  const workloads = new Map<string, Map<string, string>>();
  let notEvaluated: CorpusRun['notEvaluated'] = [];
  let crash: string | undefined;
  if (![0, 1, 3].includes(result.code)) {
    crash = `exit code ${result.code}`;
  } else if (/\n\s+at .+\(.+:\d+:\d+\)/.test(result.stderr) || /TypeError|ReferenceError|RangeError/.test(result.stderr)) {
    crash = `a stack trace on stderr: ${result.stderr.slice(0, 300)}`;
  } else {
    try {
      const report = JSON.parse(result.stdout);
      for (const workload of report.workloads ?? []) {
        const controls: { id: string; status: string }[] = workload.controls;
        workloads.set(relative(workload.path), new Map(controls.map((control) => [control.id, control.status])));
      }
      const skipped: CorpusRun['notEvaluated'] = report.notEvaluated ?? [];
      notEvaluated = skipped.map((entry) => ({ ...entry, path: relative(entry.path) }));
    } catch (error) {
      crash = `stdout is not the JSON report: ${String(error)}`;
    }
  }
  return { target, code: result.code, stderr: result.stderr, workloads, notEvaluated, inputProblems, crash };
}

export interface Mismatch {
  readonly file: string;
  readonly workload: string;
  readonly control: string;
  readonly expected: string;
  readonly got: string;
}

const MISSING = 'missing';

/** Compares one file's adjudicated verdicts with a run that covered it. */
export function compareFile(file: string, expected: ExpectedFile, run: CorpusRun): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const notEvaluatedHere = run.notEvaluated.filter((entry) => entry.path === file || entry.path.startsWith(`${file}#`));
  const problemsHere = run.inputProblems.get(file) ?? [];
  if (expected.unevaluable) {
    const pattern = new RegExp(expected.unevaluable.match, 'i');
    const said = [...problemsHere, ...notEvaluatedHere.map((entry) => `${entry.kind}: ${entry.reason}`)];
    if (!said.some((text) => pattern.test(text))) {
      mismatches.push({
        file,
        workload: '-',
        control: '(input)',
        expected: `input problem or notEvaluated /${expected.unevaluable.match}/i`,
        got: said.length ? said.join('; ') : 'nothing said about the file',
      });
    }
  }
  for (const [workload, controls] of Object.entries(expected.workloads)) {
    const reported = run.workloads.get(workload);
    if (!reported) {
      const skipped = notEvaluatedHere.find((entry) => entry.path === workload);
      const elsewhere = [...run.workloads.keys()].filter((name) => name.startsWith(`${file}#`) || name === file);
      const got = skipped ? `notEvaluated: ${skipped.reason}` : problemsHere.length ? `input problem: ${problemsHere.join('; ')}`
        : elsewhere.length ? `${MISSING} (reported: ${elsewhere.join(', ')})` : MISSING;
      mismatches.push({ file, workload, control: '(workload)', expected: 'evaluated', got });
      continue;
    }
    for (const [control, verdict] of Object.entries(controls)) {
      const status = reported.get(control) ?? MISSING;
      if (status !== verdict.status) {
        mismatches.push({ file, workload, control, expected: verdict.status, got: status });
      }
    }
  }
  const podSpecsSaidNothing = Object.keys(expected.workloads).length > 0
    && ![...run.workloads.keys()].some((name) => name === file || name.startsWith(`${file}#`))
    && notEvaluatedHere.length === 0;
  if (podSpecsSaidNothing) {
    mismatches.push({ file, workload: '-', control: '(file)', expected: 'workloads or notEvaluated', got: 'neither' });
  }
  return mismatches;
}

/** The mismatches as a fixed-width table, one row each. */
export function mismatchTable(mismatches: Mismatch[]): string {
  const header: Mismatch = { file: 'FILE', workload: 'WORKLOAD', control: 'CONTROL', expected: 'EXPECTED', got: 'GOT' };
  const rows = [header, ...mismatches];
  const columns: (keyof Mismatch)[] = ['file', 'workload', 'control', 'expected', 'got'];
  const widths = columns.map((column) => Math.min(70, Math.max(...rows.map((row) => row[column].length))));
  return rows.map((row) => columns.map((column, index) => row[column].padEnd(widths[index])).join('  ').trimEnd()).join('\n');
}

/** How often each (control, expected -> got) pair occurs, most frequent first; ties in code-unit order. */
export function mismatchKinds(mismatches: Mismatch[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const mismatch of mismatches) {
    const got = mismatch.got === MISSING || mismatch.got.startsWith(`${MISSING} (`) ? MISSING : mismatch.got.replace(/:.*$/, '');
    const kind = `${mismatch.control} ${mismatch.expected} -> ${got}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
