// docs/API-GUIDE.md is hand-written; this test keeps it in step with the generated API.md: every public construct, struct,
// class and enum that API.md documents is linked from the guide under its backend's section, and every link of the guide
// points at an anchor that API.md has.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const API = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
const GUIDE = fs.readFileSync(path.join(ROOT, 'docs', 'API-GUIDE.md'), 'utf8');

/** The public types API.md documents: `### Name <a name="Name" id="cdk-compliant-ml[.submodule].Name"></a>` headings. */
const publicTypes = [...API.matchAll(/^### (\w+) <a name="\w+" id="(cdk-compliant-ml\.[\w.]+)"><\/a>$/gm)].map((match) => ({
  name: match[1],
  anchor: match[2],
}));
/** Every anchor id of API.md. */
const apiAnchors = new Set([...API.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]));
/** Every link of the guide into API.md: link text and anchor. */
const guideLinks = [...GUIDE.matchAll(/\[`([\w.]+)`\]\(\.\.\/API\.md#([^)]+)\)/g)].map((match) => ({ text: match[1], anchor: match[2] }));

/** The backend section (`## ...`) of the guide each line belongs to. */
function sectionOf(anchor: string): string | undefined {
  let section: string | undefined;
  for (const line of GUIDE.split('\n')) {
    if (line.startsWith('## ')) section = line;
    if (line.startsWith('- ') && line.includes(`(../API.md#${anchor})`)) return section;
  }
  return undefined;
}

const EXPECTED_SECTION: Record<string, string> = {
  root: '## Platform-neutral (root module)',
  k8s: '## Kubernetes (`k8s`, cdk8s)',
  ecs: '## Amazon ECS (`ecs`, aws-cdk-lib)',
};

test('API.md documents the constructs of both backends (the pattern below still matches what jsii-docgen writes)', () => {
  expect(publicTypes.length).toBeGreaterThan(60);
  expect(publicTypes.map((type) => type.anchor)).toEqual(expect.arrayContaining([
    'cdk-compliant-ml.k8s.CompliantModelService', 'cdk-compliant-ml.ecs.CompliantModelService', 'cdk-compliant-ml.ImageReference',
  ]));
});

describe('docs/API-GUIDE.md lists every public type of API.md', () => {
  test.each(publicTypes.map((type) => [type.anchor, type]))('%s', (_anchor, type) => {
    const submodule = type.anchor.split('.').length === 3 ? type.anchor.split('.')[1] : 'root';
    const qualifiedName = submodule === 'root' ? type.name : `${submodule}.${type.name}`;
    const entries = guideLinks.filter((link) => link.anchor === type.anchor && link.text === qualifiedName);
    expect([qualifiedName, entries.length > 0]).toEqual([qualifiedName, true]);
    expect(sectionOf(type.anchor)).toBe(EXPECTED_SECTION[submodule]);
  });

  test('each type is listed once (one line each)', () => {
    const listed = GUIDE.split('\n').filter((line) => line.startsWith('- [`')).map((line) => /\(\.\.\/API\.md#([^)]+)\)/.exec(line)?.[1]);
    expect(listed.length).toBe(new Set(listed).size);
    expect(new Set(listed)).toEqual(new Set(publicTypes.map((type) => type.anchor)));
  });
});

test('every link of docs/API-GUIDE.md into API.md points at an anchor API.md has, with the type it names', () => {
  expect(guideLinks.length).toBeGreaterThanOrEqual(publicTypes.length);
  for (const link of guideLinks) {
    expect([link.anchor, apiAnchors.has(link.anchor)]).toEqual([link.anchor, true]);
    expect(link.anchor.endsWith(`.${link.text}`) || link.anchor === `cdk-compliant-ml.${link.text}`).toBe(true);
  }
});

test('the README links the guide from its API section', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const apiSection = readme.slice(readme.indexOf('\n## API\n'));
  expect(apiSection).toContain('[docs/API-GUIDE.md](docs/API-GUIDE.md)');
});

describe('each construct names its backend in the first line of its documentation and the scope it needs', () => {
  const constructs = publicTypes.filter((type) => API.indexOf(`id="${type.anchor}"`) < API.indexOf('## Structs'));
  test.each(constructs.map((type) => [type.anchor, type]))('%s', (_anchor, type) => {
    const entry = API.slice(API.indexOf(`id="${type.anchor}"`));
    const summary = entry.split('\n').slice(1).find((line) => line.trim() !== '');
    const initializer = entry.slice(entry.indexOf('#### Initializers'), entry.indexOf('#### Methods'));
    if (type.anchor.includes('.k8s.')) {
      expect(summary).toMatch(/^Kubernetes \(cdk8s\): /);
      expect(initializer).toMatch(/inside a cdk8s `Chart`/);
    } else {
      expect(summary).toMatch(/^Amazon ECS \(aws-cdk-lib\): /);
      expect(initializer).toMatch(/inside an aws-cdk `Stack`/);
    }
  });
});
