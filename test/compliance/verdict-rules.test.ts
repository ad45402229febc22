import * as fs from 'fs';
import * as path from 'path';
import { ControlCatalogue } from '../../src/compliance';
import { VERDICT_RULES } from '../../src/compliance/verdict-rules';

// The checkers implement the catalogue's verdict rules word for word: each rule's text stands in a doc comment of the
// checker of its kind of input, so a reader finds a checker's rule in its code and in docs/CONTROLS.md alike.
const SRC = path.join(__dirname, '..', '..', 'src');
const CHECKERS: Record<'kubernetes' | 'ecs' | 'dockerfile', string[]> = {
  kubernetes: [path.join(SRC, 'k8s', 'checks'), path.join(SRC, 'k8s', 'image-signature-policy.ts')],
  ecs: [path.join(SRC, 'ecs', 'checks')],
  dockerfile: [path.join(SRC, 'cli', 'dockerfile-checks.ts')],
};

/** The text of every doc comment of the checker files, lines joined and white space folded. */
function docCommentText(places: string[]): string {
  const files = places.flatMap((p) => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).filter((f) => f.endsWith('.ts')).map((f) => path.join(p, f)) : [p]));
  const comments = files.flatMap((file) => fs.readFileSync(file, 'utf-8').match(/\/\*\*[\s\S]*?\*\//g) ?? []);
  return comments.map((c) => c.replace(/^\/\*\*|\*\/$/g, '').split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join(' '))
    .join('\n').replace(/\s+/g, ' ');
}

const fold = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('every control has a written verdict rule per kind of input, and its checker quotes it', () => {
  test('a non-empty rule for Kubernetes and ECS for every control, and for Dockerfiles where Dockerfiles are judged', () => {
    for (const id of ControlCatalogue.ids()) {
      expect(VERDICT_RULES[id]?.kubernetes.trim().length).toBeGreaterThan(40);
      expect(VERDICT_RULES[id]?.ecs.trim().length).toBeGreaterThan(40);
    }
    expect(Object.keys(VERDICT_RULES).filter((id) => VERDICT_RULES[id].dockerfile !== undefined).sort())
      .toEqual(['IMG-1', 'IMG-2', 'IMG-4', 'SEC-1', 'SEC-9']);
  });

  for (const kind of ['kubernetes', 'ecs', 'dockerfile'] as const) {
    const comments = docCommentText(CHECKERS[kind]);
    test.each(ControlCatalogue.ids().filter((id) => VERDICT_RULES[id][kind] !== undefined))(`${kind}: the checker of %s quotes its rule`, (id) => {
      expect(comments).toContain(fold(VERDICT_RULES[id][kind]!));
    });
  }
});
