// META-1: the Kubernetes recommended labels on the workload and on its pods.
import { PodView } from './manifest';
import { Finding, verdict } from '../../compliance/finding';

const RECOMMENDED = ['name', 'instance', 'version', 'component', 'part-of', 'managed-by'].map((key) => `app.kubernetes.io/${key}`);
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * META-1. Rule: "Applies to every workload. Its `metadata.labels` and its pod template's labels both carry the six
 * recommended labels `app.kubernetes.io/{name,instance,version,component,part-of,managed-by}`, each a non-empty valid label
 * value (at most 63 characters, so never a digest or URL), and `instance` equals the object's name (Polaris
 * metadataAndInstanceMismatched): enforced. A missing or invalid label, or another instance: violated."
 *
 * @internal
 */
export function recommendedLabelsPresent(p: PodView): Finding {
  const objectLabels: Record<string, unknown> = p.obj.metadata?.labels ?? {};
  const sets: Array<[string, Record<string, unknown>]> = [['metadata.labels', objectLabels]];
  if (p.kind !== 'Pod') {
    sets.push([`${p.specPath.replace(/\.spec$/, '')}.metadata.labels`, p.templateLabels]);
  }
  const good: string[] = []; const bad: string[] = [];
  for (const [at, labels] of sets) {
    const missing = RECOMMENDED.filter((key) => typeof labels[key] !== 'string' || labels[key] === '');
    const invalid = RECOMMENDED.filter((key) => typeof labels[key] === 'string' && labels[key] !== ''
      && ((labels[key] as string).length > 63 || !LABEL_VALUE.test(labels[key] as string)));
    const shown = Object.fromEntries(RECOMMENDED.map((key) => [key, labels[key] ?? null]));
    if (missing.length > 0) {
      bad.push(`${p.ev(at, shown)} (missing ${missing.join(', ')})`);
    }
    if (invalid.length > 0) {
      bad.push(`${p.ev(at, shown)} (not a valid label value: ${invalid.join(', ')})`);
    }
    const instance = labels['app.kubernetes.io/instance'];
    if (instance !== undefined && instance !== p.name) {
      bad.push(`${p.ev(`${at}["app.kubernetes.io/instance"]`, instance)} (differs from metadata.name ${p.name})`);
    }
    good.push(p.ev(at, shown));
  }
  return verdict('META-1', good, bad);
}
