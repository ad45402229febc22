/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { CollectionTag, Document, isScalar, LineCounter, parseAllDocuments, parseDocument, Scalar, ScalarTag, visit } from 'yaml';
import { ASSEMBLY_MANIFEST, assemblyTemplates, isCloudAssembly } from './cloud-assembly';
import { DockerfileInput, isDockerfileName, looksLikeDockerfile } from './dockerfile';
import { isKustomization, kustomizationInput, UnrenderedInput, unrenderedInput } from './unrendered-inputs';
import { lineIn } from '../compliance/formats/yaml-lines';
import { compareCodeUnits } from '../core/ordering';

/**
 * Reading the inputs of `check`: files and directories of Kubernetes YAML/JSON and CloudFormation JSON/YAML, split into
 * documents that know the line of any of their fields, and Dockerfiles (see dockerfile.ts). Not part of the library's API.
 */

/** A problem with an input, reported per file and line instead of failing the run. @internal */
export interface InputProblem {
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  readonly message: string;
}

/** One parsed document of an input file. @internal */
export interface InputDocument {
  /** The file as given on the command line (or found below a directory given there); `<stdin>` for `-`. */
  readonly file: string;
  /** The parsed value (plain JSON). */
  readonly value: any;
  /** The 1-based line of the field at `fieldPath` (or of the closest parent that exists). */
  lineOf(fieldPath: Array<string | number>): number | undefined;
}

/** The result of reading every input. @internal */
export interface ReadInputs {
  readonly files: string[];
  readonly documents: InputDocument[];
  /** The Dockerfiles among the files (by name; standard input and other named files by content), parsed later. */
  readonly dockerfiles: DockerfileInput[];
  /** Helm templates, chart values and metadata, Kustomizations: sources of manifests that `check` cannot evaluate unrendered. */
  readonly notEvaluated: UnrenderedInput[];
  readonly problems: InputProblem[];
}

/** The file name given for standard input. @internal */
export const STDIN = '-';
const EXTENSIONS = ['.yaml', '.yml', '.json'];
/**
 * JSON files that a directory of synthesized output holds besides manifests and templates: the report this tool and synthesis
 * write, the cloud assembly's own files, and project files. Skipped in directory walks (named explicitly, they are read).
 */
const NOT_MANIFESTS = new RegExp('^(compliance-report|manifest|tree|policy-validation-report|validation-report|performance-counters|cdk|cdk\\.context'
  + '|package|package-lock|tsconfig[\\w.-]*)\\.json$|\\.(assets|metadata)\\.json$', 'i');

// CloudFormation's short-form intrinsic functions (YAML tags), each as a scalar, sequence and mapping tag.
const CFN_FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString'];
const CFN_TAGS: Array<ScalarTag | CollectionTag> = [
  ...CFN_FUNCTIONS.map((fn) => ({ tag: `!${fn}`, key: `Fn::${fn}` })),
  { tag: '!Ref', key: 'Ref' },
  { tag: '!Condition', key: 'Condition' },
].flatMap(({ tag, key }): Array<ScalarTag | CollectionTag> => [
  // `!GetAtt Logical.Attr` is the one scalar form that CloudFormation splits.
  { tag, resolve: (s: string) => ({ [key]: key === 'Fn::GetAtt' ? splitGetAtt(s) : s }) },
  { tag, collection: 'seq', resolve: (seq) => ({ [key]: seq.toJSON() }) },
  { tag, collection: 'map', resolve: (map) => ({ [key]: map.toJSON() }) },
]);

function splitGetAtt(s: string): string[] {
  const dot = s.indexOf('.');
  return dot < 0 ? [s] : [s.slice(0, dot), s.slice(dot + 1)];
}

/**
 * Expands the paths given on the command line into files: directories recursively (`.yaml`, `.yml` and `.json` files and
 * Dockerfiles by name, skipping hidden directories, `node_modules`, reports and cloud-assembly metadata), in sorted order.
 * A directory that is a cloud assembly (`cdk.out`) is read through its `manifest.json`: only its stack templates are inputs
 * (cloud-assembly.ts). Symbolic links are followed, each directory and file once (by real path: no cycles, no duplicates).
 * Missing paths become problems.
 *
 * @internal
 */
export function expandPaths(paths: string[]): { files: string[]; problems: InputProblem[] } {
  const files: string[] = [];
  const problems: InputProblem[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const addFile = (file: string) => {
    const real = realPath(file);
    if (!seenFiles.has(real)) {
      seenFiles.add(real);
      files.push(file);
    }
  };
  const walk = (dir: string) => {
    if (isCloudAssembly(dir)) {
      const assembly = assemblyTemplates(dir, seenDirs);
      assembly.files.forEach(addFile);
      problems.push(...assembly.problems);
      return;
    }
    const real = realPath(dir);
    if (seenDirs.has(real)) {
      return;
    }
    seenDirs.add(real);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareCodeUnits(a.name, b.name))) {
      const full = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDirectory = fs.statSync(full).isDirectory();
        } catch {
          if (isInputName(entry.name)) {
            problems.push({ file: full, message: 'a broken symbolic link' });
          }
          continue;
        }
      }
      if (isDirectory) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') {
          walk(full);
        }
      } else if (isInputName(entry.name)) {
        addFile(full);
      }
    }
  };
  for (const p of paths) {
    if (p === STDIN) {
      files.push(STDIN);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      problems.push({ file: p, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message });
      continue;
    }
    if (stat.isDirectory()) {
      const before = files.length;
      const seen = seenDirs.has(realPath(p));
      walk(p);
      if (files.length === before && !seen) {
        const message = isCloudAssembly(p) ? 'the cloud assembly has no stack templates' : `the directory has no ${EXTENSIONS.join('/')} files or Dockerfiles`;
        problems.push({ file: p, message });
      }
    } else if (path.basename(p) === ASSEMBLY_MANIFEST && isCloudAssembly(path.dirname(p))) {
      walk(path.dirname(p)); // the manifest of a cloud assembly named explicitly: its templates
    } else {
      addFile(p);
    }
  }
  return { files, problems };
}

/** Whether a file found in a directory walk is an input: YAML or JSON (except reports and metadata), or a Dockerfile. */
function isInputName(name: string): boolean {
  return (EXTENSIONS.includes(path.extname(name).toLowerCase()) && !NOT_MANIFESTS.test(name)) || isDockerfileName(name);
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Parses one input file into documents. JSON files (by extension, or text that starts with `{`/`[`) are parsed as JSON, everything
 * else as multi-document YAML 1.1 (the version kubectl and CloudFormation read) with CloudFormation's short-form tags.
 * Broken documents become problems with their line; the other documents of the file are kept.
 *
 * @internal
 */
export function parseInput(file: string, text: string): { documents: InputDocument[]; problems: InputProblem[] } {
  const name = file === STDIN ? '<stdin>' : file;
  return isJsonInput(file, text) ? parseJson(name, text) : parseYaml(name, text);
}

/** JSON by extension, or text that starts with `{` or `[`. */
function isJsonInput(file: string, text: string): boolean {
  const trimmed = text.trimStart();
  // a template action (`{{- if .Values.x }}`) opens with a brace too, but is no JSON
  return path.extname(file).toLowerCase() === '.json' || ((trimmed.startsWith('{') && !trimmed.startsWith('{{')) || trimmed.startsWith('['));
}

function parseJson(file: string, text: string): { documents: InputDocument[]; problems: InputProblem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message.replace(/,\s*(?:\.\.\.)?"[\s\S]*$/, '').replace(/ in JSON at position \d+[\s\S]*$/, '');
    const offset = jsonErrorOffset(text);
    const line = offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
    return { documents: [], problems: [{ file, line, message: `invalid JSON: ${message}` }] };
  }
  // Locations are only needed for error messages: parse the text again with the YAML parser (JSON is YAML) when asked.
  let located: { doc: Document; lc: LineCounter } | undefined;
  const locate = () => {
    if (located === undefined) {
      const lc = new LineCounter();
      located = { doc: parseDocument(text, { lineCounter: lc, uniqueKeys: false }), lc };
    }
    return located;
  };
  return { documents: [{ file, value, lineOf: (p) => lineIn(locate().doc, locate().lc, p) }], problems: [] };
}

function parseYaml(file: string, text: string): { documents: InputDocument[]; problems: InputProblem[] } {
  const lc = new LineCounter();
  const documents: InputDocument[] = [];
  const problems: InputProblem[] = [];
  // The parser's own unique-key check compares each key with every earlier key of its mapping (quadratic in the keys of one
  // mapping): it is off, and duplicateKeys() finds the same duplicates in one pass.
  for (const doc of parseAllDocuments(text, { version: '1.1', customTags: CFN_TAGS, lineCounter: lc, prettyErrors: true, uniqueKeys: false })) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        problems.push({ file, line: err.linePos?.[0]?.line, message: `invalid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` });
      }
      continue;
    }
    const duplicates = duplicateKeys(doc, lc);
    if (duplicates.length > 0) {
      problems.push(...duplicates.map((d) => ({ file, ...d })));
      continue;
    }
    for (const warning of doc.warnings) {
      problems.push({ file, line: warning.linePos?.[0]?.line, message: `YAML warning: ${warning.message.split('\n')[0]}` });
    }
    let value: unknown;
    try {
      value = doc.toJSON();
    } catch (e) {
      problems.push({ file, line: lineIn(doc, lc, []), message: `invalid YAML: ${(e as Error).message}` });
      continue;
    }
    if (value === null || value === undefined) {
      continue; // an empty document (e.g. a trailing `---`)
    }
    documents.push({ file, value, lineOf: (p) => lineIn(doc, lc, p) });
  }
  return { documents, problems };
}

/**
 * Every key that repeats an earlier key of the same mapping (scalar keys by value, as the parser's own check compares them),
 * with its line: one walk of the document and a Set per mapping, so linear in the size of the document.
 */
function duplicateKeys(doc: Document, lc: LineCounter): Array<{ line?: number; message: string }> {
  const found: Array<{ line?: number; message: string }> = [];
  visit(doc, {
    Map: (_key, map) => {
      const first = new Map<unknown, Scalar>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) {
          continue;
        }
        const earlier = first.get(pair.key.value);
        if (earlier === undefined) {
          first.set(pair.key.value, pair.key);
          continue;
        }
        const lineOfNode = (node: Scalar) => (node.range ? lc.linePos(node.range[0]).line : undefined);
        found.push({
          line: lineOfNode(pair.key),
          message: `invalid YAML: duplicate key ${JSON.stringify(String(pair.key.value))} (first on line ${lineOfNode(earlier)}): map keys must be unique`,
        });
      }
    },
  });
  return found;
}

/** The offset of the first syntax error of a JSON text (Node's messages do not always give one). */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === close) {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return void literal('true');
    if (c === 'f') return void literal('false');
    if (c === 'n') return void literal('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (offset) {
    return typeof offset === 'number' ? Math.min(offset, text.length) : undefined;
  }
}

/**
 * Reads and parses every file; unreadable files become problems.
 *
 * @internal
 */
export function readInputs(files: string[], stdin: () => string, onFile?: (index: number, file: string) => void): ReadInputs {
  const documents: InputDocument[] = [];
  const dockerfiles: DockerfileInput[] = [];
  const notEvaluated: UnrenderedInput[] = [];
  const problems: InputProblem[] = [];
  files.forEach((file, i) => {
    onFile?.(i, file);
    let text: string;
    try {
      text = file === STDIN ? stdin() : fs.readFileSync(file, 'utf-8');
    } catch (e) {
      problems.push({ file, message: `cannot read: ${(e as Error).message}` });
      return;
    }
    // A Dockerfile by name; standard input and files named without a YAML/JSON extension by content (FROM or ARG first).
    if (file !== STDIN ? isDockerfileName(file) || (!EXTENSIONS.includes(path.extname(file).toLowerCase()) && looksLikeDockerfile(text))
      : looksLikeDockerfile(text)) {
      dockerfiles.push({ file: file === STDIN ? '<stdin>' : file, text });
      return;
    }
    const name = file === STDIN ? '<stdin>' : file;
    const unrendered = isJsonInput(file, text) ? undefined : unrenderedInput(name, text);
    if (unrendered) {
      notEvaluated.push(unrendered);
      return;
    }
    const parsed = parseInput(file, text);
    const kustomizations = parsed.documents.filter((d) => isKustomization(d.value));
    if (kustomizations.length > 0) {
      notEvaluated.push(kustomizationInput(name));
    }
    documents.push(...parsed.documents.filter((d) => !kustomizations.includes(d)));
    problems.push(...parsed.problems);
  });
  return { files, documents, dockerfiles, notEvaluated, problems };
}
