import { awscdk, javascript, JsonFile } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-compliant-ml',
  description:
    'CDK constructs (cdk8s and aws-cdk-lib) that run machine-learning containers secure and redundant by default, '
    + 'with a compliance report that maps every enforced control to its EU AI Act article.',
  author: 'cdk-compliant-ml developers',
  authorAddress: 'maintainers@cdk-compliant-ml.dev',
  repositoryUrl: 'https://github.com/cdk-compliant-ml/cdk-compliant-ml.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'awscdk', 'cdk8s', 'constructs', 'eu-ai-act', 'compliance', 'mlops', 'kubernetes', 'ecs'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '^6.0',
  // cdk-nag 3 (policy-validation plugins) needs aws-cdk-lib >= 2.257.0.
  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  minNodeVersion: '20.16.0',
  peerDeps: ['cdk8s@^2.70.0', 'cdk8s-plus-27@^2.9.5'],
  // The CLI reads YAML 1.1 with CloudFormation's short-form tags and reports line numbers (yaml), and parses Dockerfiles with the
  // parser of the VS Code Docker language server (dockerfile-ast); jsii needs non-jsii deps bundled.
  bundledDeps: ['yaml@^2.9.1', 'dockerfile-ast@^0.7.1'],
  bin: { 'cdk-compliant-ml': 'lib/cli/bin.js' },
  devDeps: [
    'fast-check@^4.11.0',
    'cdk-nag@3.0.2',
    // Strict Kubernetes validation in tests: JSON-schema (kubernetes-models, K8s 1.30+ schemas, CommonJS line)
    // plus unknown-field detection from the official client's generated type maps.
    'kubernetes-models@4.5.1',
    '@kubernetes/client-node@0.22.3',
    'aws-cdk@2.1148.1',
    'ts-node@^10.9.2',
    // Report formats (issue #18) are validated against their published JSON schemas (ajv) and, for SARIF and CycloneDX, by an
    // independent validator: Microsoft's SARIF multitool and the CycloneDX library's strict JSON validator.
    'ajv@^8.20.0',
    'ajv-formats@^3.0.1',
    '@cyclonedx/cyclonedx-library@^10.3.0',
    // the CycloneDX library's strict validator loads it (an optional peer of the library)
    'ajv-formats-draft2019@^1.6.1',
    '@microsoft/sarif-multitool@5.7.0',
  ],
  // Offline, reproducible settings (see BUILD-NOTES.md).
  github: false,
  release: false,
  depsUpgrade: false,
  clobber: false,
  sampleCode: false,
  typecheckTests: true,
  jestOptions: {
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/@(test|examples)/**/*.test.ts'],
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'benchmarks', 'scripts', 'test-bindings'],
    commandOptions: { fix: false },
  },
  gitignore: ['/dist-examples/', '/cdk.out/', '*.bench.json'],
  // jsii bindings (issue #20), built by `npx projen package-all` into dist/python, dist/java, dist/go (jsii-pacmak; Python needs
  // pip with PyPI, Java Maven with Maven Central, Go the module proxy). Names follow the cdklabs conventions (cdk-nag:
  // io.github.cdklabs / cdk-nag / io.github.cdklabs.cdknag, cdk_nag, github.com/cdklabs/cdk-nag-go): the GitHub organization as
  // Maven group and Go module owner, the Java package is the group without the hyphens. No .NET: no NuGet registry here.
  publishToPypi: { distName: 'cdk-compliant-ml', module: 'cdk_compliant_ml' },
  publishToMaven: {
    mavenGroupId: 'io.github.cdk-compliant-ml',
    mavenArtifactId: 'cdk-compliant-ml',
    javaPackage: 'io.github.cdkcompliantml',
  },
  publishToGo: { moduleName: 'github.com/cdk-compliant-ml/cdk-compliant-ml-go' },
});

// jsii: make warnings (reserved words etc.) fail the compile instead of silencing them.
project.compileTask.reset('jsii --fail-on-warnings');
project.tasks.removeTask('compat');
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
// cdk8s-plus-27 pulls an optional dependency with a postinstall that writes into $HOME.
project.npmrc.addConfig('ignore-scripts', 'true');
for (const p of ['/examples/', '/benchmarks/', '/dist-examples/', '/docs/', '/.ci/', '/scripts/']) project.addPackageIgnore(p);
// The tarball holds only what users need (DESIGN §7): an allow-list, so stray folders never ship. npm always adds package.json,
// README.md and LICENSE. `npx projen package:test` checks the contents.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md']);
// One backend installs alone (DESIGN §2 entry points): each backend's framework is an optional peer, so a cdk8s-only consumer needs
// no aws-cdk-lib and the reverse; `cdk-compliant-ml/k8s` and `cdk-compliant-ml/ecs` load one backend (and core, compliance) only.
// constructs stays a required peer. The root keeps exporting both backends (jsii).
project.package.addField('peerDependenciesMeta', {
  'aws-cdk-lib': { optional: true },
  'cdk8s': { optional: true },
  'cdk8s-plus-27': { optional: true },
});
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './k8s': { types: './lib/entry/k8s.d.ts', default: './lib/entry/k8s.js' },
  './ecs': { types: './lib/entry/ecs.d.ts', default: './lib/entry/ecs.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
  // docs/REPORT.md points cdk8s.yaml's validation plugin at this file; the bin is lib/cli/bin.js
  './lib/k8s/validation-plugin.js': './lib/k8s/validation-plugin.js',
  './lib/cli/bin.js': './lib/cli/bin.js',
});
// TypeScript with `moduleResolution: node` (node10) ignores `exports`: map the two entry points for it too.
project.package.addField('typesVersions', {
  '*': { k8s: ['lib/entry/k8s.d.ts'], ecs: ['lib/entry/ecs.d.ts'] },
});

// examples/ get their own tsconfig so that typescript-eslint's project service finds one.
for (const dir of ['examples', 'scripts', 'benchmarks', 'test-bindings']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['./**/*.ts'] },
  });
}
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../scripts/**/*.ts');
project.tsconfigDev.addInclude('../benchmarks/**/*.ts');
project.tsconfigDev.addInclude('../test-bindings/**/*.ts');

project.addTask('examples', {
  description: 'Synthesize every reference architecture in examples/ with cdk synth / the cdk8s app command into dist-examples/ '
    + '(no network, no cloud account)',
  exec: 'ts-node --transpile-only examples/synth-all.ts',
});

project.addTask('package:test', {
  description: 'Pack the library (unless dist/js is up to date), install the tarball into fresh consumer projects and synthesize '
    + 'there: both backends from the root, a cdk8s-only consumer (no aws-cdk-lib, cdk-compliant-ml/k8s, the README TypeScript setup), '
    + 'an aws-cdk-only consumer (no cdk8s, cdk-compliant-ml/ecs), and the README\'s smallest apps through cdk synth, cdk8s synth, '
    + 'ts-node and node',
  exec: 'ts-node --transpile-only scripts/package-test.ts',
  receiveArgs: true,
});

// Here Maven Central serves no org.cdk8s:cdk8s-plus-27 and the Go module proxy no cdk8s-team module (both seen refused), so
// package:java also builds cdk8s-plus-27's Java binding from its npm package into dist/java (the jsii-pacmak its publishers use;
// the jar is not ours to publish), and package:go writes the Go module sources of this library, cdk8s and cdk8s-plus-27 into
// dist/go with --code-only: pacmak's own `go mod tidy` check asks for cloud-assembly-schema-go v53.28.0, which the proxy does
// not serve either. bindings:test builds and runs the Go module (`go run`) with the proxy's v53.25.0 instead.
project.tasks.tryFind('package:java')!.reset('jsii-pacmak -v --target java -o dist . node_modules/cdk8s-plus-27');
project.tasks.tryFind('package:go')!.reset('jsii-pacmak -v --target go -o dist . node_modules/cdk8s node_modules/cdk8s-plus-27 node_modules/@aws-cdk/cloud-assembly-schema');

// The bindings as users get them (issue #20): the Python wheel in a fresh venv with the peers from PyPI (pytest, the README's Python
// blocks too), one Maven app on the built jar, one Go app on the built module; each synthesizes both backends and must write the
// same bytes as its TypeScript twin in test-bindings/typescript. Reuses dist/{python,java,go} when they are newer than .jsii.
project.addTask('bindings:test', {
  description: 'Build dist/python, dist/java, dist/go with jsii-pacmak unless up to date, then run the Python (pytest in a fresh venv), '
    + 'Java (Maven) and Go (go run) apps of test-bindings/ and compare their output byte for byte with the TypeScript twins',
  exec: 'ts-node --transpile-only scripts/bindings-test.ts',
  receiveArgs: true,
});
project.addPackageIgnore('/test-bindings/');
project.gitignore.exclude('/test-bindings/**/out/', '/test-bindings/java/target/', '__pycache__/', '.pytest_cache/');

project.addTask('bench', {
  description: 'Synthesis cost of the constructs against hand-written cdk8s-plus / aws-cdk-lib equivalents (docs/BENCHMARKS.md); '
    + '--quick for a smoke run',
  exec: 'node --expose-gc node_modules/.bin/ts-node --transpile-only benchmarks/synth.bench.ts',
  receiveArgs: true,
});

const docsControls = project.addTask('docs:controls', {
  description: 'Regenerate docs/CONTROLS.md, the control table of README.md and docs/oscal/component-definition.json from the control catalogue',
  exec: 'ts-node --transpile-only scripts/generate-controls-doc.ts',
});
docsControls.exec('ts-node --transpile-only scripts/readme-controls.ts');
docsControls.exec('ts-node --transpile-only scripts/generate-oscal-doc.ts');

project.synth();
