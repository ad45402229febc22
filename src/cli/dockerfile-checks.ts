import { Add, Arg, Copy, Env, Instruction, Label, Property, Run } from 'dockerfile-ast';
import {
  DockerfileInput, expand, isStageReference, lineOf, ParsedDockerfile, parseDockerfile, propertiesOf, Scope, sourcesOf, Stage,
  unresolvedReason,
} from './dockerfile';
import type { InputProblem } from './inputs';
import { applyWaivers, Finding, verdict } from '../compliance/finding';
import { Backend, WorkloadReport } from '../compliance/report-model';
import { ImageReference } from '../core/image-reference';
import { DIGEST_PATTERN } from '../core/patterns';
import { isSecretName, plaintextSecretProblem } from '../core/secret-detection';
import { readCheckovComments } from '../core/third-party-acknowledgements';

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
        const entry = dockerfileEntry(parsed.dockerfile, buildArgs);
        // checkov suppressions in the file's comments, with their reasons (third-party-acknowledgements.ts)
        const acknowledgedRules = readCheckovComments(input.text).acknowledged.map((a) => ({ ...a, path: input.file }));
        entries.push(acknowledgedRules.length > 0 ? { ...entry, acknowledgedRules } : entry);
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
  // each waiver names the comment it comes from: `Dockerfile comment at FILE:LINE`
  const controls = findings.flatMap((finding) => {
    const waiver = df.waivers.find((w) => w.waiver.control === finding.id);
    return applyWaivers([finding], waiver ? [waiver.waiver] : [], waiver ? `Dockerfile comment at ${df.file}:${waiver.line}` : undefined);
  });
  return { path: df.file, kind: DOCKERFILE_KIND, backend: DOCKERFILE_BACKEND, images: [...images], controls };
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

/**
 * IMG-1 and IMG-2 on every external image and remote source, by the Dockerfile verdict rules (verdict-rules.ts):
 *
 * IMG-1:
 * "Enforced when every external image the build reads (each FROM, COPY --from and RUN --mount=type=bind|cache,from= that
 * does not name an earlier stage, after ARG substitution with the given build args) is pinned by a sha256 or sha512
 * digest, and every ADD of a URL has --checksum=sha256:<64 hex> (of a git repository: a full commit id). Violated when one
 * of them has no digest or checksum, or uses an ARG that has no value, so the image cannot be determined. A build from
 * scratch and earlier stages only is enforced."
 *
 * IMG-2:
 * "Enforced when no external image (FROM, COPY --from, RUN --mount from=) uses the tag latest or has neither tag nor
 * digest; a digest-only reference passes. Violated when one does, or when the reference is invalid or uses an ARG that has
 * no value."
 */
function imageChecks(ctx: Context, images: Set<string>): Finding[] {
  const pinned: string[] = []; const unpinned: string[] = [];
  const tagged: string[] = []; const untagged: string[] = [];
  const check: ImageCheck = (where, written, resolved, unresolved, scope) => {
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
        if (from) {
          otherImage(ctx, s, i, 'COPY --from=', from, check);
        }
      } else if (i instanceof Run) {
        for (const from of mountSources(i)) {
          otherImage(ctx, s, i, 'RUN --mount=from=', from, check);
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

type ImageCheck = (where: string, written: string, resolved: string | undefined, unresolved: string[], scope: Scope) => void;

/** An image named by COPY --from or RUN --mount from=: checked like a FROM unless it names an earlier stage (after expansion). */
function otherImage(ctx: Context, stage: Stage, i: Instruction, what: string, from: string, check: ImageCheck): void {
  if (isStageReference(from, ctx.df.stages, stage.index)) {
    return;
  }
  const scope = ctx.scopeAt(stage, lineOf(i));
  const { value, missing } = expand(from, scope);
  if (missing.length === 0 && isStageReference(value, ctx.df.stages, stage.index)) {
    return;
  }
  check(`${ctx.at(lineOf(i))} ${what}`, from, missing.length === 0 ? value : undefined, missing, scope);
}

/**
 * The `from=` of every `RUN --mount` of type bind (the default type) or cache: BuildKit mounts that stage or image into the
 * build, so an image there is an input like a FROM.
 */
function mountSources(run: Run): string[] {
  const out: string[] = [];
  for (const flag of run.getFlags().filter((f) => f.getName() === 'mount')) {
    const options = new Map(flag.getOptions().map((o) => [o.getName().toLowerCase(), o.getValue() ?? ''] as const));
    const type = (options.get('type') ?? 'bind').toLowerCase();
    const from = options.get('from');
    if ((type === 'bind' || type === 'cache') && from !== undefined && from !== '') {
      out.push(from);
    }
  }
  return out;
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

/**
 * IMG-4: the OCI labels of the final stage, by the Dockerfile verdict rule (verdict-rules.ts):
 *
 * IMG-4:
 * "Enforced when the final stage (or a stage it builds on) has the LABELs org.opencontainers.image.source (a URL),
 * revision (7 to 64 lowercase hex), version and created (RFC 3339), literal or through an ARG or ENV declared in the
 * stage; a value left to an ARG without a default is checked when --build-arg gives it and counts as set otherwise.
 * Violated when one is missing, empty, malformed or uses a variable the stage does not declare."
 */
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

/**
 * SEC-1: the user of the final stage, by the Dockerfile verdict rule (verdict-rules.ts):
 *
 * SEC-1:
 * "Enforced when the USER in force for the final stage is a numeric UID:GID with both IDs >= 10000 (after ARG
 * substitution). Violated when there is no USER (the base image's user, root by default), the user or group is root or 0,
 * an ID is below 10000, or an ARG it uses has no value, or no group is given (USER 10001 runs with GID 0 unless the
 * image's /etc/passwd says otherwise). Unverified when the user or group is a name: it maps to an ID through the image's
 * /etc/passwd or /etc/group, which a Dockerfile does not show."
 */
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
  const colon = value.indexOf(':');
  const uid = colon < 0 ? value : value.slice(0, colon);
  const gid = colon < 0 ? undefined : value.slice(colon + 1);
  const bad: string[] = [];
  const unknown: string[] = [];
  for (const [what, id] of [['user', uid], ['group', gid]] as const) {
    if (id === undefined) {
      if (/^\d+$/.test(uid) && !/^0+$/.test(uid)) {
        bad.push(`no group is given, so the process runs with GID 0 (the root group) unless the image's /etc/passwd has an entry for UID ${uid}`);
      }
    } else if (id === 'root' || /^0+$/.test(id)) {
      bad.push(`the ${what} is root`);
    } else if (!/^\d+$/.test(id)) {
      unknown.push(`the ${what} name ${JSON.stringify(id)} maps to an ID${what === 'user' && gid === undefined ? ' and a group' : ''} through the image's /etc/${what === 'user' ? 'passwd' : 'group'}, `
        + `which a Dockerfile does not show, so it cannot be proven to be >= ${MIN_ID}`);
    } else if (Number(id) < MIN_ID) {
      bad.push(`the ${what} ID ${id} is below ${MIN_ID}`);
    }
  }
  const fix = '; use a numeric USER UID:GID such as 10001:10001';
  return verdict('SEC-1', [`${shown}: numeric UID and GID >= ${MIN_ID}`],
    bad.length > 0 ? [`${shown}: ${[...bad, ...unknown].join('; ')}${fix}`] : [],
    unknown.length > 0 ? [`${shown}: ${unknown.join('; ')}${fix}`] : []);
}

/**
 * SEC-9: no plaintext secret in an ENV value or ARG default, by the Dockerfile verdict rule (verdict-rules.ts):
 *
 * SEC-9:
 * "Violated when an ENV value or ARG default of any stage carries a plaintext secret by the one SEC-9 rule of every
 * backend: a name that denotes a secret value with a literal (or variable) value, or a value that looks like a credential
 * whatever the name (the value never enters the report). Enforced otherwise; an ARG without a default is a build argument
 * and carries nothing into the Dockerfile."
 */
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
      const value = p.getValue() ?? undefined;
      const problem = plaintextSecretProblem(p.getName(), value);
      if (problem) {
        // never print the value
        bad.push(`${ctx.at(lineOf(i))} ${i.getKeyword()} ${p.getName()}=<value not shown>: ${problem}, stored in the `
          + 'image configuration or build history; use RUN --mount=type=secret at build time or a secret store at run time');
      } else if ((value === undefined || value === '') && isSecretName(p.getName())) {
        unset.push(`${ctx.at(lineOf(i))} ${i.getKeyword()} ${p.getName()} has no value in the Dockerfile`);
      }
    }
  }
  return verdict('SEC-9', [`${ctx.df.label}: no ENV value or ARG default holds a secret (${checked} checked)`, ...unset], bad);
}
