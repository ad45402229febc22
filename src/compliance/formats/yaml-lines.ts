/* eslint-disable @typescript-eslint/no-explicit-any */
import { Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';

/**
 * Line numbers of fields in parsed YAML and JSON documents (JSON is YAML): shared by the CLI's inputs and the files a synthesis
 * wrote. Each file is parsed once; a look-up walks the field path from the document's root.
 */

/**
 * The 1-based line of the deepest existing node on `fieldPath` (of its key, for a mapping entry), or of the document.
 *
 * @internal
 */
export function lineIn(doc: Document, lc: LineCounter, fieldPath: Array<string | number>): number | undefined {
  for (let n = fieldPath.length; n >= 0; n--) {
    const parent: any = n <= 1 ? doc.contents : doc.getIn(fieldPath.slice(0, n - 1), true);
    let node: any = n === 0 ? doc.contents : undefined;
    if (n > 0 && isMap(parent)) {
      const pair: any = parent.items.find((p: any) => (isScalar(p.key) ? p.key.value : p.key) === fieldPath[n - 1]);
      node = pair?.key ?? pair?.value;
    } else if (n > 0 && isSeq(parent) && typeof fieldPath[n - 1] === 'number') {
      node = parent.items[fieldPath[n - 1] as number];
    }
    if (node && Array.isArray(node.range)) {
      return lc.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

/**
 * A parsed document of a written file, with the line of any field.
 *
 * @internal
 */
export interface LineDocument {
  readonly value: any;
  lineOf(fieldPath: Array<string | number>): number | undefined;
}

/**
 * The documents of a YAML (multi-document) or JSON text that parse without errors, each with its line look-up. Broken
 * documents are left out: a file we wrote ourselves is well-formed, and a location is a hint, never a verdict.
 *
 * @internal
 */
export function lineDocuments(text: string): LineDocument[] {
  const lc = new LineCounter();
  const out: LineDocument[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false })) {
    if (doc.errors.length > 0) {
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJSON();
    } catch {
      continue;
    }
    if (value !== null && value !== undefined) {
      out.push({ value, lineOf: (p) => lineIn(doc, lc, p) });
    }
  }
  return out;
}
