import * as path from 'path';
import { Add, Arg, Copy, DockerfileParser, Env, From, Instruction, Keyword, Label, Property } from 'dockerfile-ast';
import { DockerfileWaiver, dockerfileWaivers } from './dockerfile-waivers';
import type { InputProblem } from './inputs';

/**
 * Reading Dockerfiles for `check`: recognising them by name (or, for stdin and explicitly named files, by content), parsing them
 * with `dockerfile-ast` (the parser of the VS Code Docker language server) and reporting malformed files per line. Variable
 * expansion (`$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR:+word}`) follows BuildKit's rules for ARG scopes. Not part of the library's API.
 */

/** A Dockerfile read by `check`. @internal */
export interface DockerfileInput {
  /** The file as given on the command line (or found below a directory given there); `<stdin>` for `-`. */
  readonly file: string;
  readonly text: string;
}

/** The value of a variable in a scope: a string, or `undefined` for an ARG declared without a default and not passed. */
export type Scope = Map<string, { readonly value: string | undefined; readonly source: 'arg' | 'env' }>;

/** One build stage: its FROM, what it builds on, and its instructions after the FROM. @internal */
export interface Stage {
  readonly index: number;
  /** The 1-based line of the FROM. */
  readonly line: number;
  readonly from: From;
  /** The `AS` name, lower-cased (BuildKit compares stage names case-insensitively). */
  readonly name?: string;
  readonly base: StageBase;
  readonly instructions: Instruction[];
}

/** What a stage builds on. @internal */
export type StageBase =
  | { readonly type: 'scratch' }
  | { readonly type: 'stage'; readonly parent: number }
  | { readonly type: 'image'; readonly written: string; readonly resolved?: string; readonly unresolved: string[] };

/** A parsed, well-formed Dockerfile. @internal */
export interface ParsedDockerfile {
  readonly file: string;
  /** `Dockerfile:LINE` prefix of the evidence: the file's base name. */
  readonly label: string;
  /** The ARGs before the first FROM, with build args applied (the only variables a FROM can use). */
  readonly globalScope: Scope;
  /** The global ARG instructions (for SEC-9). */
  readonly globalArgs: Arg[];
  readonly stages: Stage[];
  /** The waivers written in the file's comments (`# cdk-compliant-ml waive=...`). */
  readonly waivers: DockerfileWaiver[];
}

const KEYWORDS = new Set<string>(Object.values(Keyword));
// Names BuildKit recognises as Dockerfiles; `Dockerfile.dockerignore` is the per-Dockerfile ignore file, not a Dockerfile.
const NOT_DOCKERFILE_SUFFIXES = ['.dockerignore', '.md', '.txt', '.orig', '.bak', '.swp', '.rej', '.yaml', '.yml', '.json'];
// BuildKit's automatic platform ARGs: available in FROM without a declaration, but only known at build time.
const PLATFORM_ARGS = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT']);
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/**
 * Whether a file name is a Dockerfile: `Dockerfile`, `Containerfile`, `Dockerfile.*`, `Containerfile.*`, `*.Dockerfile` or
 * `*.Containerfile` (case-insensitive), except ignore files, documentation and YAML/JSON.
 *
 * @internal
 */
export function isDockerfileName(file: string): boolean {
  const name = path.basename(file).toLowerCase();
  if (NOT_DOCKERFILE_SUFFIXES.some((s) => name.endsWith(s))) {
    return false;
  }
  return ['dockerfile', 'containerfile'].some((base) => name === base || name.startsWith(`${base}.`) || name.endsWith(`.${base}`));
}

/**
 * Whether a text (standard input, or a file named on the command line without a YAML/JSON extension) is a Dockerfile: its
 * first instruction, after comments and parser directives, is FROM or ARG.
 *
 * @internal
 */
export function looksLikeDockerfile(text: string): boolean {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) {
      continue;
    }
    return /^(FROM|ARG)\s+\S/i.test(t);
  }
  return false;
}

/**
 * Expands `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}` and `${NAME+word}` (BuildKit's word expansion)
 * with the variables of a scope. Names that are not set, or set to nothing, are listed in `missing` (unless a default covers them).
 *
 * @internal
 */
export function expand(word: string, scope: Scope): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = word.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, braced: string | undefined, colon: string, op: string | undefined, alt: string, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const v = scope.get(name)?.value;
      const set = colon === ':' ? v !== undefined && v !== '' : v !== undefined;
      if (op === '-') {
        return set ? v! : expand(alt, scope).value;
      }
      if (op === '+') {
        return set ? expand(alt, scope).value : '';
      }
      if (v === undefined || v === '') {
        missing.push(name);
      }
      return v ?? '';
    });
  return { value, missing: [...new Set(missing)] };
}

/** The 1-based line where an instruction starts. @internal */
export function lineOf(i: Instruction | Property): number {
  return i.getRange().start.line + 1;
}

/** The properties of an ARG or ENV (`NAME=value` pairs, or the legacy `ENV NAME value`). @internal */
export function propertiesOf(i: Arg | Env | Label): Property[] {
  return i.getProperties().filter((p) => p.getName() !== '');
}

/** The value of an ARG property (unquoted), or `undefined` when it has none. */
function argDefault(p: Property): string | undefined {
  return p.getValue() ?? undefined;
}

/**
 * Parses one Dockerfile; a malformed one gives problems (with lines) and no result.
 *
 * @internal
 */
export function parseDockerfile(input: DockerfileInput, buildArgs: Map<string, string>): { dockerfile?: ParsedDockerfile; problems: InputProblem[] } {
  const { file, text } = input;
  const problems: InputProblem[] = [];
  const problem = (line: number | undefined, message: string) => problems.push({ file, line, message });

  const binary = text.search(/[\u0000\ufffd]/);
  if (binary >= 0) {
    problem(text.slice(0, binary).split('\n').length, 'binary data (a NUL byte or invalid UTF-8): this is not a text Dockerfile');
    return { problems };
  }
  const df = DockerfileParser.parse(text);
  const instructions = df.getInstructions();
  if (instructions.length === 0) {
    problem(1, 'the Dockerfile is empty: it has no instructions (a Dockerfile needs at least one FROM)');
    return { problems };
  }

  for (const i of instructions) {
    const keyword = i.getKeyword();
    if (!KEYWORDS.has(keyword)) {
      const suggestion = [...KEYWORDS].find((k) => editDistance(k, keyword) <= 2);
      problem(lineOf(i), `unknown instruction ${JSON.stringify(i.getInstruction())}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
    }
  }
  const firstFrom = instructions.findIndex((i) => i.getKeyword() === Keyword.FROM);
  if (firstFrom < 0) {
    problem(lineOf(instructions[0]), 'no FROM instruction: a Dockerfile needs at least one FROM IMAGE');
  }
  const beforeFrom = instructions.slice(0, firstFrom < 0 ? instructions.length : firstFrom)
    .find((i) => i.getKeyword() !== Keyword.ARG && KEYWORDS.has(i.getKeyword()));
  if (beforeFrom) {
    problem(lineOf(beforeFrom), `${beforeFrom.getKeyword()} before the first FROM: only ARG (and comments) may come before it`);
  }
  continuationAtEnd(text, df.getEscapeCharacter(), instructions, problem);
  for (const i of instructions) {
    arityProblem(i, problem);
  }

  // Stages: names must be unique and valid; FROM <stage> refers to an earlier stage.
  const globalArgs = instructions.slice(0, Math.max(firstFrom, 0)).filter((i): i is Arg => i instanceof Arg);
  const globalScope: Scope = new Map();
  for (const a of globalArgs) {
    for (const p of propertiesOf(a)) {
      const name = p.getName();
      const d = argDefault(p);
      globalScope.set(name, { value: buildArgs.get(name) ?? (d === undefined ? undefined : expand(d, globalScope).value), source: 'arg' });
    }
  }
  const stages: Stage[] = [];
  const froms = instructions.map((inst, k) => ({ inst, k })).filter(({ inst }) => inst instanceof From);
  froms.forEach(({ inst, k }, index) => {
    const from = inst as From;
    const stageName = from.getBuildStage()?.toLowerCase() ?? undefined;
    if (stageName !== undefined && !STAGE_NAME.test(stageName)) {
      problem(lineOf(from), `invalid stage name ${JSON.stringify(from.getBuildStage())}: use a letter followed by letters, digits, '-', '_' or '.'`);
    }
    if (stageName !== undefined && stages.some((s) => s.name === stageName)) {
      problem(lineOf(from), `duplicate stage name ${JSON.stringify(stageName)} (first used on line ${stages.find((s) => s.name === stageName)!.line})`);
    }
    const end = froms[index + 1]?.k ?? instructions.length;
    stages.push({
      index,
      line: lineOf(from),
      from,
      name: stageName,
      base: stageBase(from, stages, globalScope),
      instructions: instructions.slice(k + 1, end),
    });
  });
  const waived = dockerfileWaivers(file, text);
  problems.push(...waived.problems);
  if (problems.length > 0) {
    return { problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  }
  const label = file === '<stdin>' ? 'Dockerfile' : path.basename(file);
  return { dockerfile: { file, label, globalScope, globalArgs, stages, waivers: waived.waivers }, problems };
}

function stageBase(from: From, earlier: Stage[], globalScope: Scope): StageBase {
  const written = from.getImage() ?? '';
  const { value, missing } = expand(written, globalScope);
  const lower = value.toLowerCase();
  if (missing.length === 0 && lower === 'scratch') {
    return { type: 'scratch' };
  }
  const parent = missing.length === 0 ? earlier.find((s) => s.name === lower) : undefined;
  if (parent) {
    return { type: 'stage', parent: parent.index };
  }
  return { type: 'image', written, resolved: missing.length === 0 ? value : undefined, unresolved: missing };
}

/** Whether a name given to COPY --from (or FROM) is an earlier stage (by name or index), rather than an image. @internal */
export function isStageReference(ref: string, stages: Stage[], before: number): boolean {
  const lower = ref.toLowerCase();
  return stages.slice(0, before).some((s) => s.name === lower || String(s.index) === ref);
}

/** Why an ARG is not usable in a FROM: not declared before the first FROM, declared without a value, or a platform ARG. @internal */
export function unresolvedReason(name: string, scope: Scope, global: boolean): string {
  if (global && PLATFORM_ARGS.has(name)) {
    return `${name} is a platform ARG that is only known at build time`;
  }
  if (!scope.has(name)) {
    return `the ARG ${name} is not declared ${global ? 'before the first FROM' : 'in the stage'}, so it expands to nothing`;
  }
  return `the ARG ${name} has no default and no --build-arg ${name}=... was given`;
}

function continuationAtEnd(text: string, escape: string, instructions: Instruction[], problem: (line: number, message: string) => void): void {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') {
    last--;
  }
  const content = lines[last]?.trim() ?? '';
  if (last < 0 || content.startsWith('#') || !content.endsWith(escape)) {
    return;
  }
  const owner = [...instructions].reverse().find((i) => lineOf(i) <= last + 1);
  if (owner && owner.getRange().end.line >= last) {
    problem(last + 1, `line continuation (${escape}) at the end of the file: the ${owner.getKeyword()} instruction of line ${lineOf(owner)} is cut off`);
  }
}

function arityProblem(i: Instruction, problem: (line: number, message: string) => void): void {
  const line = lineOf(i);
  if (i instanceof From) {
    const args = i.getArguments().map((a) => a.getValue());
    if (args.length === 0 || i.getImage() === null) {
      problem(line, 'FROM without an image: write FROM IMAGE[:TAG][@DIGEST] [AS NAME]');
    } else if (!(args.length === 1 || (args.length === 3 && args[1].toUpperCase() === 'AS'))) {
      problem(line, `FROM takes IMAGE [AS NAME], not ${JSON.stringify(args.join(' '))}`);
    }
  } else if (i instanceof Arg || i instanceof Env || i instanceof Label) {
    if (propertiesOf(i).length === 0) {
      problem(line, `${i.getKeyword()} needs at least one ${i instanceof Arg ? 'NAME[=VALUE]' : 'NAME=VALUE'}`);
    }
  } else if (i.getKeyword() === Keyword.USER) {
    if (i.getArguments().length !== 1) {
      problem(line, 'USER takes exactly one UID[:GID] (or user[:group])');
    }
  } else if (i instanceof Add || i instanceof Copy) {
    if (sourcesOf(i).length === 0) {
      problem(line, `${i.getKeyword()} needs at least one source and a destination`);
    }
  }
}

/** The sources of an ADD or COPY (every argument but the destination), shell or JSON form. @internal */
export function sourcesOf(i: Add | Copy): string[] {
  const json = i.getJSONStrings();
  const args = json.length > 0 ? json.map((s) => s.getJSONValue()) : i.getArguments().map((a) => a.getValue());
  return args.slice(0, -1);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) {
    d[0][j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}
