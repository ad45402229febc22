import { Add, Arg, Copy, Env, Instruction, Label, Property } from 'dockerfile-ast';
import {
  DockerfileInput, expand, isStageReference, lineOf, ParsedDockerfile, parseDockerfile, propertiesOf, Scope, sourcesOf, Stage,
  unresolvedReason,
} from './dockerfile';
import type { InputProblem } from './inputs';
import { applyWaivers, Finding, verdict } from '../compliance/finding';
import { Backend, WorkloadReport } from '../compliance/report-model';
import { ImageReference } from '../core/image-reference';
import { DIGEST_PATTERN, SECRET_ENV_NAME_PATTERN } from '../core/patterns';

/**
 * The controls a Dockerfile can show (IMG-1, IMG-2, IMG-4, SEC-1, SEC-9), evaluated into one report entry per Dockerfile.
 * Controls a Dockerfile cannot show are left out. Not part of the library's API.
 */

/**
 * The backend of a Dockerfile's report entry. `Backend` has only `kubernetes` and `ecs`, and a Dockerfile is neither: the
 * value is `image` until `Backend.IMAGE = 'image'` exists in report-model.ts, and then this line becomes `Backend.IMAGE`.
 *
 * @internal
 */
export const DOCKERFILE_BACKEND: Backend = Backend.IMAGE;

/** The kind of a Dockerfile's report entry. @internal */
export const DOCKERFILE_KIND = 'Dockerfile';

const MIN_ID = 10000;
const OCI_KEYS = ['source', 'revision', 'version', 'created'].map((k) => `org.opencontainers.image.${k}`);
// CONTROLS.md IMG-4: revision is a commit id, created is RFC 3339, source is a URL.
const OCI_FORMATS: Record<string, { pattern: RegExp; what: string }> = {
  'org.opencontainers.image.revision': { pattern: /^[0-9a-f]{7,64}$/, what: 'a source control revision (7 to 64 lowercase hex)' },
  'org.opencontainers.image.created': {
    pattern: /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
    what: 'an RFC 3339 date-time',
  },
  'org.opencontainers.image.source': { pattern: /^(https?|git|ssh):\/\/\S+$|^git@\S+$/, what: 'a URL' },
};
// Checking references needs the parsed tag and digest of unpinned ones too: ImageReference.unpinned parses them with these.
const PARSE_ONLY = [
  { control: 'IMG-1', reason: 'parsed by cdk-compliant-ml check to report its pinning' },
  { control: 'IMG-2', reason: 'parsed by cdk-compliant-ml check to report its tag' },
];

/**
 * Parses and evaluates Dockerfiles: one report entry per well-formed file, problems (with lines) for malformed ones.
 *
 * @internal
 */
export function evaluateDockerfiles(inputs: DockerfileInput[], buildArgs: Map<string, string>)
  : { entries: WorkloadReport[]; problems: InputProblem[] } {
  const entries: WorkloadReport[] = [];
  const problems: InputProblem[] = [];
  for (const input of inputs) {
    const parsed = parseDockerfile(input, buildArgs);
    problems.push(...parsed.problems);
    if (parsed.dockerfile) {
      try {
        entries.push(dockerfileEntry(parsed.dockerfile, buildArgs));
      } catch (e) {
        problems.push({ file: input.file, message: `cannot evaluate the Dockerfile: ${(e as Error).message}` });
      }
    }
  }
  return { entries, problems };
}

/** The report entry of one parsed Dockerfile. @internal */
export function dockerfileEntry(df: ParsedDockerfile, buildArgs: Map<string, string>): WorkloadReport {
  const ctx = new Context(df, buildArgs);
  const images = new Set<string>();
  const findings: Finding[] = [...imageChecks(ctx, images), labelCheck(ctx), userCheck(ctx), secretCheck(ctx)];
  return { path: df.file, kind: DOCKERFILE_KIND, backend: DOCKERFILE_BACKEND, images: [...images], controls: applyWaivers(findings, df.waivers) };
}

class Context {
  public readonly final: Stage;

  constructor(public readonly df: ParsedDockerfile, private readonly buildArgs: Map<string, string>) {
    this.final = df.stages[df.stages.length - 1];
  }

  /** `Dockerfile:LINE`. */
  public at(line: number): string {
    return `${this.df.label}:${line}`;
  }

  /** The stages the final image is built from, first the root: the final stage and the stages it names in `FROM <stage>`. */
  public chain(stage: Stage = this.final): Stage[] {
    const out = [stage];
    for (let s = stage; s.base.type === 'stage';) {
      s = this.df.stages[s.base.parent];
      out.unshift(s);
    }
    return out;
  }

  /** The variables an instruction of `stage` at `line` sees: the stage's ARGs and ENVs before it, and the ENVs of its parents. */
  public scopeAt(stage: Stage, line: number): Scope {
    let inherited: Scope = new Map();
    for (const s of this.chain(stage)) {
      const scope: Scope = new Map(inherited);
      for (const i of s.instructions) {
        if (s === stage && lineOf(i) >= line) {
          break;
        }
        if (i instanceof Arg) {
          for (const p of propertiesOf(i)) {
            const d = p.getValue();
            const value = this.buildArgs.get(p.getName()) ?? (d === null ? this.df.globalScope.get(p.getName())?.value : expand(d, scope).value);
            scope.set(p.getName(), { value, source: 'arg' });
          }
        } else if (i instanceof Env) {
          for (const p of propertiesOf(i)) {
            scope.set(p.getName(), { value: expand(p.getValue() ?? '', scope).value, source: 'env' });
          }
        }
      }
      if (s === stage) {
        return scope;
      }
      inherited = new Map([...scope].filter(([, v]) => v.source === 'env'));
    }
    return inherited;
  }

  /** The final stage, for messages: `the final stage (line 12, "runtime")`. */
  public finalStage(): string {
    return `the final stage (FROM on line ${this.final.line}${this.final.name ? `, "${this.final.name}"` : ''})`;
  }
}

/** The tag and digest of a reference, parsed by ImageReference (the OCI grammar), or why it is not a valid reference. */
function inspect(reference: string): { tag?: string; digest?: string; error?: string } {
  try {
    const r = ImageReference.fromString(reference);
    return { tag: r.tag, digest: r.digest };
  } catch {
    try {
      const r = ImageReference.unpinned(reference, PARSE_ONLY);
      return { tag: r.tag, digest: r.digest };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
}

/** IMG-1 and IMG-2 on every external image (FROM, COPY --from); IMG-1 also on ADD of remote URLs (the downloaded bytes). */
function imageChecks(ctx: Context, images: Set<string>): Finding[] {
  const pinned: string[] = []; const unpinned: string[] = [];
  const tagged: string[] = []; const untagged: string[] = [];
  const check = (where: string, written: string, resolved: string | undefined, unresolved: string[], scope: Scope) => {
    if (resolved === undefined) {
      const msg = `${where}${written}: ${unresolved.map((n) => unresolvedReason(n, scope, scope === ctx.df.globalScope)).join('; ')}, so the image cannot be determined`;
      unpinned.push(msg);
      untagged.push(msg);
      images.add(written);
      return;
    }
    images.add(resolved);
    const shown = resolved === written ? written : `${written} (= ${resolved})`;
    const r = inspect(resolved);
    if (r.error !== undefined) {
      unpinned.push(`${where}${shown}: ${r.error}`);
      untagged.push(`${where}${shown}: not a valid image reference`);
      return;
    }
    (r.digest !== undefined ? pinned : unpinned).push(`${where}${shown}${r.digest !== undefined ? ' is pinned by digest' : ' has no digest'}`);
    if (r.tag === 'latest') {
      untagged.push(`${where}${shown} uses the tag latest`);
    } else if (r.tag === undefined && r.digest === undefined) {
      untagged.push(`${where}${shown} has neither a tag nor a digest (Docker reads it as latest)`);
    } else {
      tagged.push(`${where}${shown}${r.tag !== undefined ? ` has the tag ${r.tag}` : ' is digest-only'}`);
    }
  };
  for (const s of ctx.df.stages) {
    if (s.base.type === 'image') {
      check(`${ctx.at(s.line)} FROM `, s.base.written, s.base.resolved, s.base.unresolved, ctx.df.globalScope);
    }
  }
  for (const s of ctx.df.stages) {
    for (const i of s.instructions) {
      if (i instanceof Copy) {
        const from = i.getFromFlag()?.getValue();
        if (from && !isStageReference(from, ctx.df.stages, s.index)) {
          const scope = ctx.scopeAt(s, lineOf(i));
          const { value, missing } = expand(from, scope);
          if (missing.length === 0 && isStageReference(value, ctx.df.stages, s.index)) {
            continue;
          }
          check(`${ctx.at(lineOf(i))} COPY --from=`, from, missing.length === 0 ? value : undefined, missing, scope);
        }
      } else if (i instanceof Add) {
        remoteSources(ctx, i, pinned, unpinned);
      }
    }
  }
  if (pinned.length === 0 && unpinned.length === 0) {
    pinned.push(`${ctx.df.label}: no external image or remote source (FROM scratch and earlier stages only)`);
  }
  if (tagged.length === 0 && untagged.length === 0) {
    tagged.push(`${ctx.df.label}: no external image (FROM scratch and earlier stages only)`);
  }
  return [verdict('IMG-1', pinned, unpinned), verdict('IMG-2', tagged, untagged)];
}

/** ADD of a URL or git repository: pinned only with `--checksum` (or, for git, a full commit id as the ref). */
function remoteSources(ctx: Context, add: Add, pinned: string[], unpinned: string[]): void {
  const checksum = add.getFlags().find((f) => f.getName() === 'checksum')?.getValue() ?? undefined;
  for (const src of sourcesOf(add)) {
    const at = `${ctx.at(lineOf(add))} ADD`;
    const git = /^git@|^git:\/\/|^ssh:\/\/|\.git(#|$)/i.test(src);
    if (git) {
      const commit = /#[0-9a-f]{40}([0-9a-f]{24})?(:|$)/.test(src);
      const ok = commit || (checksum !== undefined && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(checksum));
      (ok ? pinned : unpinned).push(ok
        ? `${at} ${src} is pinned to a commit${commit ? '' : ` (--checksum=${checksum})`}`
        : `${at} ${src} names a branch or tag, not a commit: add --checksum=<commit id> or use #<full commit id>`);
    } else if (/^(https?|ftp):\/\//i.test(src)) {
      const ok = checksum !== undefined && DIGEST_PATTERN.test(checksum);
      (ok ? pinned : unpinned).push(ok
        ? `${at} --checksum=${checksum} ${src} is verified by checksum`
        : `${at} ${src} has ${checksum === undefined ? 'no --checksum' : `the invalid --checksum=${checksum}`}, so the downloaded bytes can change `
          + 'between builds: add --checksum=sha256:<64 lowercase hex>');
    }
  }
}

/** IMG-4: the OCI labels source, revision, version and created in the final stage (or the stages it builds on). */
function labelCheck(ctx: Context): Finding {
  const labels = new Map<string, { p: Property; i: Label; stage: Stage }>();
  for (const stage of ctx.chain()) {
    for (const i of stage.instructions) {
      if (i instanceof Label) {
        for (const p of propertiesOf(i)) {
          labels.set(p.getName(), { p, i, stage });
        }
      }
    }
  }
  const good: string[] = []; const bad: string[] = [];
  const missing = OCI_KEYS.filter((k) => !labels.has(k));
  if (missing.length > 0) {
    bad.push(`${ctx.df.label}: no LABEL ${missing.join(', ')} in ${ctx.finalStage()}`
      + ' (labels added outside the Dockerfile, e.g. with docker build --label, are not visible here)');
  }
  for (const key of OCI_KEYS) {
    const found = labels.get(key);
    if (!found) {
      continue;
    }
    const raw = found.p.getValue() ?? '';
    const at = `${ctx.at(lineOf(found.p))} LABEL ${key}=${raw}`;
    const scope = ctx.scopeAt(found.stage, lineOf(found.i));
    const used = variablesOf(raw);
    const notDeclared = used.filter((n) => !scope.has(n));
    const fedByBuildArg = used.filter((n) => scope.get(n)?.source === 'arg' && scope.get(n)?.value === undefined);
    if (notDeclared.length > 0) {
      const global = notDeclared.filter((n) => ctx.df.globalScope.has(n));
      bad.push(`${at}: ${notDeclared.map((n) => `$${n}`).join(', ')} ${notDeclared.length === 1 ? 'is' : 'are'} not declared by an ARG or ENV`
        + ` in the stage before line ${lineOf(found.i)}, so the label is empty`
        + (global.length > 0 ? ` (an ARG before the first FROM must be declared again inside the stage: ARG ${global[0]})` : ''));
      continue;
    }
    const { value } = expand(raw, scope);
    if (fedByBuildArg.length > 0) {
      good.push(`${at} (from the build arg${fedByBuildArg.length === 1 ? '' : 's'} ${fedByBuildArg.join(', ')})`);
    } else if (value === '') {
      bad.push(`${at}: the value is empty`);
    } else if (OCI_FORMATS[key] && !OCI_FORMATS[key].pattern.test(value)) {
      bad.push(`${at}: ${JSON.stringify(value)} is not ${OCI_FORMATS[key].what}`);
    } else {
      good.push(used.length > 0 ? `${at} (= ${value})` : at);
    }
  }
  return verdict('IMG-4', good, bad);
}

function variablesOf(word: string): string[] {
  return [...new Set([...word.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g)].map((m) => m[1] ?? m[2]))];
}

/** SEC-1: the final stage's USER (or the one it inherits from an earlier stage) is a numeric UID (and GID) >= 10000. */
function userCheck(ctx: Context): Finding {
  let user: { i: Instruction; stage: Stage } | undefined;
  for (const stage of ctx.chain()) {
    for (const i of stage.instructions) {
      if (i.getKeyword() === 'USER') {
        user = { i, stage };
      }
    }
  }
  if (!user) {
    const root = ctx.chain()[0];
    const base = root.base.type === 'scratch' ? 'FROM scratch runs as root (UID 0)'
      : 'the image runs as its base image\'s user (root unless the base image sets another), which cannot be verified statically';
    return verdict('SEC-1', [], [`${ctx.df.label}: no USER in ${ctx.finalStage()}: ${base}; add USER 10001:10001`]);
  }
  const raw = user.i.getArguments()[0]?.getValue() ?? '';
  const at = `${ctx.at(lineOf(user.i))} USER ${raw}`;
  const { value, missing } = expand(raw, ctx.scopeAt(user.stage, lineOf(user.i)));
  if (missing.length > 0) {
    return verdict('SEC-1', [], [`${at}: ${missing.join(', ')} ${missing.length === 1 ? 'has' : 'have'} no value here, so the user cannot be verified statically`]);
  }
  const shown = value === raw ? at : `${at} (= ${value})`;
  const [uid, gid] = value.split(':');
  const problems: string[] = [];
  for (const [what, id] of [['user', uid], ['group', gid]] as const) {
    if (id === undefined) {
      continue;
    }
    if (id === 'root' || /^0+$/.test(id)) {
      problems.push(`the ${what} is root`);
    } else if (!/^\d+$/.test(id)) {
      problems.push(`the named ${what} ${JSON.stringify(id)} cannot be verified statically to map to an ID >= ${MIN_ID}`);
    } else if (Number(id) < MIN_ID) {
      problems.push(`the ${what} ID ${id} is below ${MIN_ID}`);
    }
  }
  if (problems.length > 0) {
    return verdict('SEC-1', [], [`${shown}: ${problems.join('; ')}; use a numeric USER such as 10001:10001`]);
  }
  return verdict('SEC-1', [`${shown}: numeric ${gid === undefined ? 'UID' : 'UID and GID'} >= ${MIN_ID}`], []);
}

/** SEC-9: no ENV or ARG with a credential-like name carries a value (every stage: the values stay in the image or its history). */
function secretCheck(ctx: Context): Finding {
  const bad: string[] = [];
  const unset: string[] = [];
  let checked = 0;
  const instructions = [...ctx.df.globalArgs, ...ctx.df.stages.flatMap((s) => s.instructions)];
  for (const i of instructions) {
    if (!(i instanceof Arg || i instanceof Env)) {
      continue;
    }
    for (const p of propertiesOf(i)) {
      checked++;
      if (!SECRET_ENV_NAME_PATTERN.test(p.getName())) {
        continue;
      }
      const value = p.getValue();
      if (value !== null && value !== '') {
        // never print the value
        bad.push(`${ctx.at(lineOf(i))} ${i.getKeyword()} ${p.getName()}=<value not shown>: a credential-like name with a value is stored in the `
          + 'image configuration or build history; use RUN --mount=type=secret at build time or a secret store at run time');
      } else {
        unset.push(`${ctx.at(lineOf(i))} ${i.getKeyword()} ${p.getName()} has no value in the Dockerfile`);
      }
    }
  }
  return verdict('SEC-9', [`${ctx.df.label}: no ENV or ARG with a credential-like name carries a value (${checked} checked)`, ...unset], bad);
}
