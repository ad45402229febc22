/*
 * The real-world corpus: public Kubernetes manifests, CloudFormation templates and Dockerfiles (test/fixtures/corpus, sources
 * in SOURCES.md), each with the verdict every adjudicated control must get (expected.json, adjudicated by reading the file
 * against the written rules). Strict by default: every mismatch fails. CORPUS_STRICT=0 only requires that every file is read
 * without a crash, and logs the mismatch count and table.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  compareFile, CORPUS_DIR, CorpusRun, ExpectedFile, loadExpected, Mismatch, mismatchKinds, mismatchTable, runCorpusTarget,
} from './corpus-support';

const STRICT = process.env.CORPUS_STRICT !== '0';
const STATUSES = ['enforced', 'equivalent', 'runtime-managed', 'external', 'waived', 'not-applicable', 'unverified', 'violated'];
const NOT_CORPUS_FILES = /^(SOURCES\.md|README\.md|expected\.json)$|(^|\/)(LICENSE|NOTICE)$/;

const expected = loadExpected();
const files = Object.entries(expected.files);
const runs = new Map<string, Promise<CorpusRun>>();
const mismatches: Mismatch[] = [];

jest.setTimeout(60_000);

/** The run that covers a file: its group's directory if it has one, else the file alone (memoized). */
function runCovering(file: string, expectedFile: ExpectedFile): Promise<CorpusRun> {
  const target = expectedFile.group ?? file;
  if (!runs.has(target)) {
    runs.set(target, runCorpusTarget(target));
  }
  return runs.get(target)!;
}

function corpusFilesOnDisk(dir = CORPUS_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? corpusFilesOnDisk(full) : [path.relative(CORPUS_DIR, full).split(path.sep).join('/')];
  });
}

describe('the corpus fixtures', () => {
  test('expected.json lists exactly the corpus files on disk, SOURCES.md has a row for each, and each source directory has its license', () => {
    const onDisk = corpusFilesOnDisk().filter((file) => !NOT_CORPUS_FILES.test(file)).sort();
    expect(Object.keys(expected.files).sort()).toEqual(onDisk);
    const sources = fs.readFileSync(path.join(CORPUS_DIR, 'SOURCES.md'), 'utf-8');
    for (const file of onDisk) {
      expect(sources).toContain(`| ${file} |`);
      const dir = path.join(CORPUS_DIR, path.dirname(file));
      expect(fs.existsSync(path.join(dir, 'LICENSE')) || fs.existsSync(path.join(dir, 'NOTICE'))).toBe(true);
    }
  });

  test('every verdict is a known status, adjudicatedVerdicts counts them, and workloads are named after their file', () => {
    let count = 0;
    for (const [file, expectedFile] of files) {
      for (const [workload, controls] of Object.entries(expectedFile.workloads)) {
        expect(workload === file || workload.startsWith(`${file}#`)).toBe(true);
        for (const [control, verdict] of Object.entries(controls)) {
          expect([control, STATUSES.includes(verdict.status)]).toEqual([control, true]);
          count++;
        }
      }
    }
    expect(expected.adjudicatedVerdicts).toBe(count);
    expect(files.length).toBeGreaterThanOrEqual(36);
  });
});

describe('the comparison finds what it must (a comparison that cannot fail is a defect)', () => {
  const expectedFile: ExpectedFile = {
    backend: 'kubernetes', what: 'test', workloads: { 'x/a.yaml#Deployment/a': { 'SEC-1': { status: 'violated' }, 'IMG-2': { status: 'enforced' } } },
  };
  const run = (workloads: [string, [string, string][]][], extra: Partial<CorpusRun> = {}): CorpusRun => ({
    target: 'x/a.yaml',
    code: 0,
    stderr: '',
    notEvaluated: [],
    inputProblems: new Map(),
    workloads: new Map(workloads.map(([name, controls]) => [name, new Map(controls)])),
    ...extra,
  });

  test('matching verdicts give no mismatch', () => {
    expect(compareFile('x/a.yaml', expectedFile, run([['x/a.yaml#Deployment/a', [['SEC-1', 'violated'], ['IMG-2', 'enforced']]]]))).toEqual([]);
  });
  test('fails when a verdict differs or a control is missing', () => {
    const found = compareFile('x/a.yaml', expectedFile, run([['x/a.yaml#Deployment/a', [['SEC-1', 'enforced']]]]));
    expect(found.map((m) => [m.control, m.expected, m.got])).toEqual([['SEC-1', 'violated', 'enforced'], ['IMG-2', 'enforced', 'missing']]);
  });
  test('fails when the workload is missing, and when the file appears neither as workloads nor in notEvaluated', () => {
    const found = compareFile('x/a.yaml', expectedFile, run([]));
    expect(found.map((m) => m.control)).toEqual(['(workload)', '(file)']);
  });
  test('a workload listed in notEvaluated is still a mismatch, with the reason', () => {
    const found = compareFile('x/a.yaml', expectedFile, run([], { notEvaluated: [{ path: 'x/a.yaml#Deployment/a', kind: 'Deployment', reason: 'unknown' }] }));
    expect(found).toEqual([expect.objectContaining({ control: '(workload)', got: 'notEvaluated: unknown' })]);
  });
  test('an unevaluable file needs an input problem or notEvaluated entry that matches', () => {
    const helm: ExpectedFile = { backend: 'kubernetes', what: 'helm', workloads: {}, unevaluable: { match: 'helm', why: 'template' } };
    expect(compareFile('x/h.yaml', helm, run([], { inputProblems: new Map([['x/h.yaml', ['a Helm template: run helm template']]]) }))).toEqual([]);
    expect(compareFile('x/h.yaml', helm, run([], { inputProblems: new Map([['x/h.yaml', ['invalid JSON']]]) }))).toHaveLength(1);
    expect(compareFile('x/h.yaml', helm, run([]))).toHaveLength(1);
  });
});

describe(`the corpus against the checker (${STRICT ? 'strict' : 'CORPUS_STRICT=0: crashes only'})`, () => {
  afterAll(() => {
    const verdicts = expected.adjudicatedVerdicts;
    const notCompared = mismatches.filter((m) => m.control === '(workload)')
      .reduce((sum, m) => sum + Object.keys(expected.files[m.file].workloads[m.workload]).length, 0);
    const kinds = mismatchKinds(mismatches).slice(0, 10).map(([kind, count]) => `${String(count).padStart(4)}  ${kind}`);
    // eslint-disable-next-line no-console
    console.log([
      `corpus: ${files.length} files, ${verdicts} adjudicated verdicts (${notCompared} not compared: their workload is missing), ${mismatches.length} mismatches`,
      ...(mismatches.length ? ['most common mismatch kinds:', ...kinds, '', mismatchTable(mismatches)] : []),
    ].join('\n'));
  });

  test.each(files)('%s is read without a crash and gets its adjudicated verdicts', async (file, expectedFile) => {
    const run = await runCovering(file, expectedFile);
    expect(run.crash).toBeUndefined();
    const found = compareFile(file, expectedFile, run);
    mismatches.push(...found);
    if (STRICT && found.length > 0) {
      throw new Error(`${found.length} mismatches in ${file}:\n${mismatchTable(found)}`);
    }
  });
});
