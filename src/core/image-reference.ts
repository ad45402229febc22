import { describe, hasToken } from './errors';
import type { ImageLock } from './image-lock';
import { DIGEST_PATTERN as DIGEST } from './patterns';
import { Waiver } from './waiver';
import { validateWaiverList } from './waiver-validation';

// The OCI distribution reference grammar (distribution/reference reference.go; distribution-spec spec.md):
//   reference      := name [ ":" tag ] [ "@" digest ]
//   name           := [domain '/'] remote-name
//   domain         := host [':' port-number]
//   path-component := alpha-numeric [separator alpha-numeric]*,  alpha-numeric := /[a-z0-9]+/,  separator := /[_.]|__|[-]*/
//   tag            := /[\w][\w.-]{0,127}/
// Digests follow OCI image-spec descriptor.md; only the registered sha256 (64 hex) and sha512 (128 hex) are accepted,
// and "[A-F] MUST NOT be used".
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const NAME_MAX_LENGTH = 255;

const PIN_FIX = 'pin it by digest as name[:tag]@sha256:<64 lowercase hex> (resolve a tag with `crane digest <ref>` '
  + 'or `docker buildx imagetools inspect <ref>`)';

/**
 * A container image reference pinned by digest: `[registry/]repository[:tag]@sha256:<64 hex>`.
 *
 * Pinning by digest makes every replica and every re-run execute the same bytes (AI Act Art. 15(1), 15(4)), cannot be
 * re-pointed by whoever controls the tag (Art. 15(5)), and gives logs an immutable identity of what ran (Art. 12(2)(a)).
 * References without a digest, or tagged `latest`, are refused unless waived through `ImageReference.unpinned()`.
 */
export class ImageReference {
  /**
   * Parses a digest-pinned image reference by the OCI distribution grammar.
   *
   * The name part may contain unresolved CDK tokens (for example from `repository.repositoryUriForDigest(digest)`);
   * the digest must always be literal.
   *
   * @param reference the reference, e.g. `ghcr.io/acme/scorer:1.4.2@sha256:<64 hex>`
   */
  public static fromString(reference: string): ImageReference {
    const parsed = parse(reference);
    if (parsed.digest === undefined) {
      throw refusal(reference, 'it has no digest, so the bytes it names can change under the same name', PIN_FIX);
    }
    if (parsed.tag === 'latest') {
      throw refusal(reference, 'the tag `latest` says nothing about what runs and is moved by every push',
        'drop the tag or use a version tag, and keep the digest (name:1.2.3@sha256:<64 hex>)');
    }
    return new ImageReference(reference, parsed, []);
  }

  /**
   * A reference built from a repository name (which may be a CDK token such as `repository.repositoryUri`) and a literal digest.
   *
   * @param name registry and repository, optionally with a tag, e.g. `123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud`
   * @param digest `sha256:<64 hex>` or `sha512:<128 hex>`
   */
  public static fromNameAndDigest(name: string, digest: string): ImageReference {
    if (!DIGEST.test(digest)) {
      throw refusal(`${name}@${digest}`, `the digest ${describe(digest)} is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`, PIN_FIX);
    }
    return ImageReference.fromString(`${name}@${digest}`);
  }

  /**
   * The pinned reference of a tag recorded in a lock file written by `cdk-compliant-ml pin` (no network at synth time).
   *
   * @param imageLock the lock, e.g. `ImageLock.fromFile('images.lock.json')`
   * @param reference the tagged reference as pinned, e.g. `ghcr.io/acme/scorer:1.4.2`
   */
  public static fromLock(imageLock: ImageLock, reference: string): ImageReference {
    return imageLock.resolve(reference);
  }

  /**
   * An image reference that is NOT pinned by digest (or is tagged `latest`), accepted only with waivers for the controls it breaks.
   *
   * A reference without a digest needs a waiver for `IMG-1`; a `latest` or untagged reference without a digest also needs one for
   * `IMG-2`. The waivers travel with the reference: every construct that runs it lists them in its compliance report.
   *
   * @param reference the reference, e.g. `ghcr.io/acme/scorer:1.4.2`
   * @param waivers waivers for `IMG-1` and, where needed, `IMG-2`, each with a reason
   */
  public static unpinned(reference: string, waivers: Waiver[]): ImageReference {
    const parsed = parse(reference);
    validateWaiverList(undefined, 'waivers', waivers);
    const needed: string[] = [];
    if (parsed.digest === undefined) {
      needed.push('IMG-1');
    }
    if (parsed.tag === 'latest' || (parsed.tag === undefined && parsed.digest === undefined)) {
      needed.push('IMG-2');
    }
    const missing = needed.filter((id) => !waivers.some((w) => w.control === id));
    if (missing.length > 0) {
      throw refusal(reference, `it breaks ${needed.join(' and ')} and no waiver covers ${missing.join(', ')}`,
        `pass a waiver with a reason for each of ${missing.join(', ')}, or ${PIN_FIX}`);
    }
    return new ImageReference(reference, parsed, waivers.filter((w) => needed.includes(w.control)));
  }

  /**
   * The registry host with its port, as written; `undefined` when the reference names none (Docker Hub is implied).
   */
  public readonly registry?: string;

  /**
   * The repository path after the registry, e.g. `acme/fraud-scorer` or `library/python`.
   */
  public readonly repository: string;

  /**
   * The tag, or `undefined` when the reference has none.
   */
  public readonly tag?: string;

  /**
   * The digest in OCI form `algorithm:hex`, or `undefined` for a waived unpinned reference.
   */
  public readonly digest?: string;

  /**
   * Waivers that allow this reference to break IMG-1/IMG-2 (empty for a pinned reference).
   */
  public readonly waivers: Waiver[];

  private readonly reference: string;

  private constructor(reference: string, parsed: ParsedReference, waivers: Waiver[]) {
    this.reference = reference;
    this.registry = parsed.registry;
    this.repository = parsed.repository;
    this.tag = parsed.tag;
    this.digest = parsed.digest;
    this.waivers = waivers;
  }

  /**
   * Whether the reference is pinned by a digest.
   */
  public get isPinned(): boolean {
    return this.digest !== undefined;
  }

  /**
   * The reference exactly as given.
   */
  public toString(): string {
    return this.reference;
  }
}

interface ParsedReference {
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

function refusal(reference: string, problem: string, fix: string): Error {
  return new Error(`invalid image reference ${describe(reference)}: ${problem}; ${fix}`);
}

function parse(reference: string): ParsedReference {
  if (typeof reference !== 'string' || reference.length === 0) {
    throw refusal(String(reference), 'it is empty', PIN_FIX);
  }
  if (/\s/.test(reference)) {
    throw refusal(reference, 'it contains white space', 'remove the white space');
  }
  const at = reference.lastIndexOf('@');
  const nameAndTag = at >= 0 ? reference.slice(0, at) : reference;
  const digest = at >= 0 ? reference.slice(at + 1) : undefined;
  if (digest !== undefined) {
    if (hasToken(digest)) {
      throw refusal(reference, 'its digest is an unresolved token, so nothing can check what it pins',
        'pass the digest as a literal, e.g. ImageReference.fromNameAndDigest(repository.repositoryUri, \'sha256:<64 hex>\')');
    }
    if (!DIGEST.test(digest)) {
      throw refusal(reference, `the digest ${describe(digest)} is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`, PIN_FIX);
    }
  }
  const lastSlash = nameAndTag.lastIndexOf('/');
  const lastColon = nameAndTag.lastIndexOf(':');
  // A tag is present only if the last ':' comes after the last '/', so `host:5000/x` is not mistaken for a tag.
  const hasTag = lastColon > lastSlash;
  const name = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(lastColon + 1) : undefined;
  if (tag !== undefined && !TAG.test(tag)) {
    throw refusal(reference, `the tag ${describe(tag)} does not match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, 'fix or drop the tag');
  }
  const { registry, repository } = splitName(reference, name);
  return { registry, repository, tag, digest };
}

function splitName(reference: string, name: string): { registry?: string; repository: string } {
  if (name.length === 0) {
    throw refusal(reference, 'it has no repository name', 'write it as [registry/]repository[:tag]@sha256:<64 hex>');
  }
  if (hasToken(name)) {
    // Tokens (e.g. an ECR repository URI) resolve at deploy time; only the literal structure can be checked here: every path
    // component without a token must still be valid.
    const slash = name.indexOf('/');
    const split = slash < 0 ? { repository: name } : { registry: name.slice(0, slash), repository: name.slice(slash + 1) };
    for (const component of split.repository.split('/').filter((c) => !hasToken(c))) {
      if (!PATH_COMPONENT.test(component)) {
        throw refusal(reference, `the path component ${describe(component)} is not lowercase alphanumerics joined by '.', '_', '__' or '-' `
          + '(the token beside it does not make it valid)', 'use a lowercase repository name such as acme/fraud-scorer');
      }
    }
    return split;
  }
  if (name.length > NAME_MAX_LENGTH) {
    throw refusal(reference, `its name is ${name.length} characters long`, `keep registry and repository within ${NAME_MAX_LENGTH} characters`);
  }
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  // distribution's rule: the first component is a registry if it has '.', ':' or uppercase letters, or is `localhost`.
  const isRegistry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  const registry = isRegistry ? first : undefined;
  const repository = isRegistry ? name.slice(slash + 1) : name;
  if (registry !== undefined) {
    validateRegistry(reference, registry);
  }
  for (const component of repository.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw refusal(reference, `the path component ${describe(component)} is not lowercase alphanumerics joined by '.', '_', '__' or '-'`,
        'use a lowercase repository name such as acme/fraud-scorer');
    }
  }
  return { registry, repository };
}

function validateRegistry(reference: string, registry: string): void {
  const colon = registry.startsWith('[') ? registry.indexOf(':', registry.indexOf(']')) : registry.lastIndexOf(':');
  const host = colon >= 0 ? registry.slice(0, colon) : registry;
  const port = colon >= 0 ? registry.slice(colon + 1) : undefined;
  const hostOk = IPV6_HOST.test(host) || host.split('.').every((c) => DOMAIN_COMPONENT.test(c));
  if (!hostOk || (port !== undefined && !PORT.test(port))) {
    throw refusal(reference, `the registry ${describe(registry)} is not a host name with an optional numeric port`,
      'write the registry as host[:port], e.g. localhost:5000 or ghcr.io');
  }
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw refusal(reference, `the registry port ${port} is outside 1..65535`, 'write the registry as host[:port] with a port in 1..65535, e.g. localhost:5000');
  }
}
