import type { DockerfileInput } from './dockerfile';
import type { InputDocument } from './inputs';
import { documentObjects, EvidenceLocator, LocatedObject } from '../compliance/formats/evidence-locator';

/**
 * The locator of `check`'s evidence: every Kubernetes object and CloudFormation resource of the documents read (the lines come
 * from each document's own parse, made once per file), and the Dockerfiles by their path (their evidence carries its line).
 * Files are named as given on the command line.
 *
 * @internal
 */
export function inputLocator(documents: InputDocument[], dockerfiles: DockerfileInput[]): EvidenceLocator {
  const objects: LocatedObject[] = [];
  for (const doc of documents) {
    objects.push(...documentObjects(doc.file, doc.value, (p) => doc.lineOf(p)));
  }
  return new EvidenceLocator(objects, [...documents.map((d) => d.file), ...dockerfiles.map((d) => d.file)]);
}
