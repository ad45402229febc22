/* eslint-disable @typescript-eslint/no-explicit-any */
// IMG-1, IMG-2, IMG-3: the image references of every container of a pod template (init, regular and ephemeral).
import { PodContainer, PodView } from './manifest';
import { Finding, verdict } from '../../compliance/finding';
import { hasAcceptableTag, isPinnedReference } from '../../core/patterns';

/** A value the output leaves to a later step: an unresolved token or a template placeholder (`${...}`, `{{ ... }}`). */
const PLACEHOLDER = /\$\{[^}]*\}|\{\{[\s\S]*?\}\}/;

/**
 * True when a rendered value still holds a token or a Helm/envsubst placeholder, so the output does not say what it will be.
 *
 * @internal
 */
export function holdsPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && PLACEHOLDER.test(value);
}

/** Sorts every container's image into good, bad (empty or failing `ok`) and unknown (a placeholder). */
function judgeImages(p: PodView, id: string, ok: (image: string) => boolean, why: (image: string) => string): Finding {
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  for (const { c, path } of p.containers) {
    const image = c.image;
    if (typeof image !== 'string' || image.trim().length === 0) {
      bad.push(`${p.field(`${path}.image`, image)} (no image)`);
    } else if (holdsPlaceholder(image)) {
      unknown.push(`${p.ev(`${path}.image`, image)} (a placeholder: the image is decided after this output)`);
    } else if (ok(image)) {
      good.push(p.ev(`${path}.image`, image));
    } else {
      bad.push(`${p.ev(`${path}.image`, image)} (${why(image)})`);
    }
  }
  return verdict(id, good, bad, unknown);
}

/**
 * IMG-1. Rule: "Every container image (init, regular and ephemeral containers) is `name[:tag]@sha256:<64 hex>` or
 * `@sha512:<128 hex>`: enforced. An image that is empty, missing or has no registered digest: violated. An image that still
 * holds a token or a template placeholder (`${...}`, `{{ ... }}`) is unverified: the output does not say what will run."
 *
 * @internal
 */
export function imagesPinnedByDigest(p: PodView): Finding {
  return judgeImages(p, 'IMG-1', isPinnedReference, () => 'no sha256/sha512 digest');
}

/**
 * IMG-2. Rule: "Every container image (init, regular and ephemeral) has a tag other than `latest`, or is pinned by digest
 * without a tag: enforced. `:latest`, an untagged and undigested reference, or an empty or missing image: violated. A token or
 * template placeholder in the image: unverified."
 *
 * @internal
 */
export function imagesNotLatest(p: PodView): Finding {
  return judgeImages(p, 'IMG-2', hasAcceptableTag, (image) => (image.split('@')[0].endsWith(':latest') ? 'tag latest' : 'neither tag nor digest'));
}

/**
 * IMG-3. Rule: "Every container (init, regular and ephemeral) sets `imagePullPolicy: Always`: enforced. Any other value, or
 * the field left unset (the API server then defaults a tagged or digest reference to IfNotPresent): violated, with the value
 * or `not set`. A placeholder in the field: unverified."
 *
 * @internal
 */
export function pullPolicyAlways(p: PodView): Finding {
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  p.containers.forEach(({ c, path }: PodContainer) => {
    const policy: any = c.imagePullPolicy;
    const evidence = p.field(`${path}.imagePullPolicy`, policy);
    if (policy === 'Always') {
      good.push(evidence);
    } else if (holdsPlaceholder(policy)) {
      unknown.push(evidence);
    } else {
      bad.push(evidence);
    }
  });
  return verdict('IMG-3', good, bad, unknown);
}
