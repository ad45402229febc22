import * as fs from 'fs';
import * as path from 'path';
import type { InputProblem } from './inputs';

/**
 * Reading an AWS CDK cloud assembly (`cdk.out`) for `check`: the directory's `manifest.json` lists the artifacts, and only
 * the CloudFormation templates of its stacks (`aws:cloudformation:stack` → `properties.templateFile`, nested assemblies
 * `cdk:cloud-assembly` → `properties.directoryName`, recursively) are inputs, plus the templates of nested stacks
 * (`*.nested.template.json`, which the manifest lists only as file assets). Everything else an assembly holds is not input:
 * `tree.json`, `*.assets.json`, `*.metadata.json`, `cdk.out`, the validation reports (`validation-report.json`,
 * `policy-validation-report.json`), `performance-counters.json`, `compliance-report.json` and the `asset.*` directories,
 * whose files (Lambda code, Docker contexts) are not manifests. Not part of the library's API.
 */

/** The file that makes a directory a cloud assembly. @internal */
export const ASSEMBLY_MANIFEST = 'manifest.json';
const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
const NESTED_STACK_TEMPLATE = /\.nested\.template\.json$/;

/** The parsed `manifest.json` of a cloud assembly, or undefined when the file is not one (no `version` and `artifacts`). */
function readAssemblyManifest(file: string): { artifacts: Record<string, { type?: unknown; properties?: Record<string, unknown> }> } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch {
    return undefined;
  }
  const manifest = value as { version?: unknown; artifacts?: unknown };
  if (!manifest || typeof manifest !== 'object' || typeof manifest.version !== 'string') {
    return undefined;
  }
  const artifacts = manifest.artifacts ?? {};
  return artifacts && typeof artifacts === 'object' && !Array.isArray(artifacts) ? { artifacts: artifacts as any } : undefined;
}

/**
 * Whether `dir` is a cloud assembly: it holds a `manifest.json` with a string `version` and an `artifacts` mapping.
 *
 * @internal
 */
export function isCloudAssembly(dir: string): boolean {
  const file = path.join(dir, ASSEMBLY_MANIFEST);
  return fs.existsSync(file) && readAssemblyManifest(file) !== undefined;
}

/**
 * The template files of a cloud assembly directory, in manifest order (nested assemblies where they are listed, then the
 * nested-stack templates in name order), and a problem for every template the manifest names that is missing.
 *
 * @param visited real paths of the assemblies already read (a nested assembly is read once)
 * @internal
 */
export function assemblyTemplates(dir: string, visited: Set<string> = new Set()): { files: string[]; problems: InputProblem[] } {
  const files: string[] = [];
  const problems: InputProblem[] = [];
  const read = (assemblyDir: string) => {
    const real = fs.realpathSync(assemblyDir);
    if (visited.has(real)) {
      return;
    }
    visited.add(real);
    const manifestFile = path.join(assemblyDir, ASSEMBLY_MANIFEST);
    const manifest = readAssemblyManifest(manifestFile);
    if (!manifest) {
      problems.push({ file: manifestFile, message: 'not a cloud assembly manifest (a JSON object with version and artifacts)' });
      return;
    }
    for (const [id, artifact] of Object.entries(manifest.artifacts)) {
      const property = artifact?.type === STACK_ARTIFACT ? 'templateFile' : artifact?.type === NESTED_ASSEMBLY_ARTIFACT ? 'directoryName' : undefined;
      if (property === undefined) {
        continue;
      }
      const relative = artifact.properties?.[property];
      const target = typeof relative === 'string' ? path.join(assemblyDir, relative) : undefined;
      if (target === undefined || !fs.existsSync(target)) {
        problems.push({
          file: manifestFile,
          message: `the artifact ${id} (${artifact.type}) names ${typeof relative === 'string' ? `${property} ${relative}, which does not exist` : `no ${property}`}`,
        });
      } else if (property === 'templateFile') {
        files.push(target);
      } else {
        read(target);
      }
    }
    const nested = fs.readdirSync(assemblyDir).filter((name) => NESTED_STACK_TEMPLATE.test(name)).sort();
    files.push(...nested.map((name) => path.join(assemblyDir, name)));
  };
  read(dir);
  return { files, problems };
}
