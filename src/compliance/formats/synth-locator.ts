import * as fs from 'fs';
import * as path from 'path';
import { documentObjects, EvidenceLocator, LocatedObject } from './evidence-locator';
import { lineDocuments } from './yaml-lines';
import { compareCodeUnits } from '../../core/ordering';

/**
 * Locating the evidence of a synthesized app in the files the synthesis wrote: the manifests cdk8s wrote (`*.yaml`, also in
 * folders per chart) and the stack templates of the cloud assembly (`*.template.json`, also of nested stacks and nested
 * assemblies), read back after they were written (never serialized again here, so the lines are the lines of the files).
 */

/** Our own report files, which are no manifests. */
const REPORT_FILE = /^compliance-report\./;
const MANIFEST_FILE = /\.(ya?ml)$/i;
const TEMPLATE_FILE = /\.template\.json$/;

/**
 * The manifest and template files below `outdir` (asset directories, hidden directories and `node_modules` skipped), in
 * code-unit order.
 *
 * @internal
 */
export function writtenSourceFiles(outdir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => compareCodeUnits(a.name, b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < 8 && !entry.name.startsWith('.') && !entry.name.startsWith('asset.') && entry.name !== 'node_modules') {
          walk(full, depth + 1);
        }
      } else if (entry.isFile() && !REPORT_FILE.test(entry.name) && (MANIFEST_FILE.test(entry.name) || TEMPLATE_FILE.test(entry.name))) {
        files.push(full);
      }
    }
  };
  walk(outdir, 0);
  return files;
}

/**
 * How a location names a written file: relative to the current directory (the repository root, for code scanning) when the
 * file is below it, else its absolute path.
 *
 * @internal
 */
export function locationFileName(file: string, cwd: string = process.cwd()): string {
  const absolute = path.resolve(file);
  const relative = path.relative(cwd, absolute);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : absolute;
}

/**
 * A locator over every manifest and template written below `outdir`; each file is read and parsed once.
 *
 * @internal
 */
export function synthLocator(outdir: string): EvidenceLocator {
  const objects: LocatedObject[] = [];
  for (const file of writtenSourceFiles(outdir)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf-8');
    } catch {
      continue;
    }
    const name = locationFileName(file);
    for (const doc of lineDocuments(text)) {
      objects.push(...documentObjects(name, doc.value, doc.lineOf));
    }
  }
  return new EvidenceLocator(objects);
}
