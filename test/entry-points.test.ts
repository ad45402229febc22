// The entry points `cdk-compliant-ml/k8s` and `cdk-compliant-ml/ecs` (package.json `exports`) load one backend only: the static
// module graph of each, followed from src/entry/<backend>.ts through every relative import and re-export, never reaches the
// other backend's framework or folder. core/ and compliance/ import neither framework (the backends plug their report
// collectors into compliance/collector.ts). `npx projen package:test` proves the same on the installed tarball, with the other
// framework not installed.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');
const AWS_CDK = /^aws-cdk-lib(\/|$)/;
const CDK8S = /^cdk8s(-plus-\d+)?(\/|$)/;

/** Every module specifier a file imports, re-exports or requires (type-only imports included: they are harmless, but rare). */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf-8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])
      && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveRelative(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [`${base}.ts`, path.join(base, 'index.ts')];
  const hit = candidates.find((c) => fs.existsSync(c));
  if (!hit) {
    throw new Error(`${path.relative(SRC, from)}: cannot resolve ${spec}`);
  }
  return hit;
}

/** The files of src/ reachable from an entry file and the packages they import. */
function moduleGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [path.join(SRC, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.')) pending.push(resolveRelative(file, spec));
      else packages.add(spec);
    }
  }
  return { files: [...files].map((f) => path.relative(SRC, f)).sort(), packages: [...packages].sort() };
}

describe('entry points load one backend only', () => {
  test('cdk-compliant-ml/k8s never reaches aws-cdk-lib or src/ecs', () => {
    const graph = moduleGraph('entry/k8s.ts');
    expect(graph.files).toContain(path.join('k8s', 'model-service.ts'));
    expect(graph.packages.filter((p) => CDK8S.test(p)).length).toBeGreaterThan(0);
    expect(graph.packages.filter((p) => AWS_CDK.test(p))).toEqual([]);
    expect(graph.files.filter((f) => f.startsWith(`ecs${path.sep}`))).toEqual([]);
  });

  test('cdk-compliant-ml/ecs never reaches cdk8s, cdk8s-plus-27 or src/k8s', () => {
    const graph = moduleGraph('entry/ecs.ts');
    expect(graph.files).toContain(path.join('ecs', 'model-service.ts'));
    expect(graph.packages.filter((p) => AWS_CDK.test(p)).length).toBeGreaterThan(0);
    expect(graph.packages.filter((p) => CDK8S.test(p))).toEqual([]);
    expect(graph.files.filter((f) => f.startsWith(`k8s${path.sep}`))).toEqual([]);
  });

  test.each(['core/index.ts', 'compliance/index.ts'])('%s imports neither framework', (entry) => {
    const graph = moduleGraph(entry);
    expect(graph.packages.filter((p) => AWS_CDK.test(p) || CDK8S.test(p))).toEqual([]);
    expect(graph.files.filter((f) => /^(k8s|ecs|cli)\//.test(f))).toEqual([]);
  });

  test('the walk sees the root import both frameworks (the check can fail)', () => {
    const graph = moduleGraph('index.ts');
    expect(graph.packages.some((p) => AWS_CDK.test(p))).toBe(true);
    expect(graph.packages.some((p) => CDK8S.test(p))).toBe(true);
  });

  test('package.json exports the entry points and keeps the validation plugin and the bin reachable', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(SRC, '..', 'package.json'), 'utf-8'));
    expect(manifest.exports['./k8s'].default).toBe('./lib/entry/k8s.js');
    expect(manifest.exports['./ecs'].default).toBe('./lib/entry/ecs.js');
    expect(manifest.exports['./lib/k8s/validation-plugin.js']).toBe('./lib/k8s/validation-plugin.js');
    expect(manifest.bin['cdk-compliant-ml']).toBe('lib/cli/bin.js');
    expect(manifest.peerDependenciesMeta).toEqual({ 'aws-cdk-lib': { optional: true }, 'cdk8s': { optional: true }, 'cdk8s-plus-27': { optional: true } });
    expect(manifest.peerDependencies.constructs).toBeDefined();
  });
});
