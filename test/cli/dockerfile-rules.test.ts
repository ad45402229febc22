/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tmpdir } from './support';
import { DOCKERFILE_CONTROL_IDS } from '../../src/cli/dockerfile-waivers';
import { VERDICT_RULES } from '../../src/compliance/verdict-rules';

// The Dockerfile verdict rules of IMG-1 (RUN --mount from=), SEC-1 (UID and GID), SEC-9 (one secret rule) and the validation
// of waiver comments (scope, one shared list validation, their source in the report).

const SHA = (c: string) => `sha256:${c.repeat(64)}`;
const PINNED = `debian:12@${SHA('d')}`;

/** Checks one Dockerfile text; returns the exit code, the controls by ID, stderr and the file's path. */
async function checkText(text: string, args: string[] = []): Promise<{ code: number; controls: Record<string, any>; stderr: string; file: string }> {
  const file = path.join(tmpdir(), 'Dockerfile');
  fs.writeFileSync(file, text);
  const r = await runCli(['check', '--no-report', '--format', 'json', ...args, file]);
  const w = JSON.parse(r.stdout).workloads[0];
  return { code: r.code, stderr: r.stderr, file, controls: Object.fromEntries((w?.controls ?? []).map((c: any) => [c.id, c])) };
}

test('the controls a Dockerfile is judged on are exactly those with a Dockerfile verdict rule, each written', () => {
  expect(DOCKERFILE_CONTROL_IDS).toEqual(['IMG-1', 'IMG-2', 'IMG-4', 'SEC-1', 'SEC-9']);
  for (const id of DOCKERFILE_CONTROL_IDS) {
    expect(VERDICT_RULES[id].dockerfile!.length).toBeGreaterThan(40);
  }
});

describe('IMG-1: every image the build reads is pinned, including RUN --mount=type=bind|cache,from=<image>', () => {
  test('compliant: mounts from earlier stages (by name, index or ARG), from pinned images, and mounts without from', async () => {
    const text = `FROM ${PINNED} AS tools\nFROM ${PINNED}\nARG SRC=tools\n`
      + 'RUN --mount=type=bind,from=tools,source=/bin,target=/t true\n'
      + 'RUN --mount=from=0,target=/t true\n'
      + 'RUN --mount=type=cache,from=$SRC,target=/c true\n'
      + `RUN --mount=type=bind,from=python:3.12@${SHA('a')},target=/py true\n`
      + 'RUN --mount=type=secret,id=tok --mount=type=cache,target=/root/.cache true\n';
    const r = await checkText(text);
    expect(r.controls['IMG-1'].status).toBe('enforced');
    expect(r.controls['IMG-1'].evidence).toContain(`Dockerfile:7 RUN --mount=from=python:3.12@${SHA('a')} is pinned by digest`);
    expect(r.controls['IMG-2'].status).toBe('enforced');
  });

  test.each([
    ['a bind mount from an unpinned image', 'RUN --mount=type=bind,from=golang:1.22,target=/go true', 'RUN --mount=from=golang:1.22 has no digest'],
    ['a cache mount from an unpinned image', 'RUN --mount=type=cache,from=busybox:1.36,target=/c true', 'RUN --mount=from=busybox:1.36 has no digest'],
    ['a mount of the default type (bind) from an image', 'RUN --mount=from=alpine:3.20,target=/a true', 'RUN --mount=from=alpine:3.20 has no digest'],
    ['the second of two mounts', `RUN --mount=from=x@${SHA('e')},target=/x --mount=type=bind,from=node:20,target=/n true`, 'node:20 has no digest'],
    ['a mount from an ARG that has no value', 'ARG TOOLS\nRUN --mount=from=$TOOLS,target=/t true', 'the ARG TOOLS has no default'],
    ['COPY --from an unpinned image', 'COPY --from=golang:1.22 /go/bin/x /x', 'COPY --from=golang:1.22 has no digest'],
  ])('fails when %s', async (_what, line, evidence) => {
    const r = await checkText(`FROM ${PINNED}\n${line}\n`);
    expect(r.stderr).not.toContain('error:');
    expect(r.controls['IMG-1'].status).toBe('violated');
    expect(r.controls['IMG-1'].evidence.join('\n')).toContain(evidence);
  });

  test('fails (IMG-2) when a mounted image uses latest', async () => {
    const r = await checkText(`FROM ${PINNED}\nRUN --mount=from=alpine:latest,target=/a true\n`);
    expect(r.controls['IMG-2'].status).toBe('violated');
    expect(r.controls['IMG-2'].evidence).toEqual(['Dockerfile:2 RUN --mount=from=alpine:latest uses the tag latest']);
  });
});

describe('SEC-1: the final USER is a numeric UID:GID, both >= 10000', () => {
  test('compliant: USER 10001:10001 and USER 20000:30000', async () => {
    for (const user of ['10001:10001', '20000:30000']) {
      const r = await checkText(`FROM ${PINNED}\nUSER ${user}\n`);
      expect([r.controls['SEC-1'].status, r.controls['SEC-1'].evidence]).toEqual(['enforced', [`Dockerfile:2 USER ${user}: numeric UID and GID >= 10000`]]);
    }
  });

  test.each([
    ['USER 10001', 'violated', 'no group is given, so the process runs with GID 0 (the root group) unless the image\'s /etc/passwd has an entry for UID 10001'],
    ['USER 10001:0', 'violated', 'the group is root'],
    ['USER 10001:9999', 'violated', 'the group ID 9999 is below 10000'],
    ['USER app:0', 'violated', 'the group is root'],
    ['USER root:10001', 'violated', 'the user is root'],
    ['USER app', 'unverified', 'the user name "app" maps to an ID and a group through the image\'s /etc/passwd'],
    ['USER app:app', 'unverified', 'the group name "app" maps to an ID through the image\'s /etc/group'],
    ['USER 10001:app', 'unverified', 'the group name "app"'],
    ['USER app:10001', 'unverified', 'the user name "app" maps to an ID through the image\'s /etc/passwd'],
  ])('fails when %s (%s)', async (user, expected, evidence) => {
    const r = await checkText(`FROM ${PINNED}\n${user}\n`);
    expect(r.controls['SEC-1'].status).toBe(expected);
    expect(r.controls['SEC-1'].evidence[0]).toContain(evidence);
  });

  test('fails --enforce on an unverified (named) user', async () => {
    const r = await checkText(`FROM ${PINNED}\nUSER app:app\n`, ['--enforce']);
    expect(r.code).toBe(1);
  });
});

describe('SEC-9: no ENV value or ARG default holds a secret (the one rule of core/secret-detection)', () => {
  test('compliant: names that hold references or counters, not secrets', async () => {
    const r = await checkText(`FROM ${PINNED}\nENV TOKENIZER_PATH=/models/tok MAX_NEW_TOKENS=512 HF_TOKEN_FILE=/run/secrets/hf\n`
      + 'ARG API_KEY_NAME=scorer\nENV SECRET_ARN=arn:aws:secretsmanager:eu-central-1:123456789012:secret:x\nARG DB_PASSWORD\n');
    expect(r.controls['SEC-9'].status).toBe('enforced');
    expect(r.controls['SEC-9'].evidence).toEqual([
      'Dockerfile: no ENV value or ARG default holds a secret (6 checked)',
      'Dockerfile:5 ARG DB_PASSWORD has no value in the Dockerfile',
    ]);
  });

  test.each([
    ['a credential URL under an innocent name', 'ENV DATABASE_URL=postgres://scorer:hunter2@db:5432/x', 'its value holds a URL with user:password@'],
    ['an AWS access key id as an ARG default', 'ARG MIRROR=AKIAABCDEFGHIJKLMNOP', 'its value holds an AWS access key id'],
    ['a password= pair', 'ENV JDBC_OPTS="user=a password=hunter2"', 'its value holds a password=/secret=/token= pair'],
    ['a secret name with a literal', 'ENV HF_TOKEN=hf_notreallyatoken', 'its name denotes a secret and it has a literal value'],
    ['a secret ARG default in a global ARG', 'ARG NPM_TOKEN=abc', 'its name denotes a secret'],
  ])('fails when %s', async (_what, line, evidence) => {
    const text = line.startsWith('ARG NPM') ? `${line}\nFROM ${PINNED}\n` : `FROM ${PINNED}\n${line}\n`;
    const r = await checkText(text);
    expect(r.controls['SEC-9'].status).toBe('violated');
    expect(r.controls['SEC-9'].evidence[0]).toContain(evidence);
    expect(JSON.stringify(r.controls)).not.toMatch(/hunter2|AKIAABCDEFGHIJKLMNOP|hf_notreallyatoken/);
  });
});

describe('waiver comments: validated like waivers in code and in manifests, with their source in the report', () => {
  test('a waiver names its comment as the source: Dockerfile comment at FILE:LINE', async () => {
    const r = await checkText(`FROM ${PINNED}\nUSER 10001\n# cdk-compliant-ml waive=SEC-1 reason="group set by the platform"\n`);
    expect(r.controls['SEC-1'].status).toBe('waived');
    expect(r.controls['SEC-1'].waiverSource).toBe(`Dockerfile comment at ${r.file}:3`);
    expect(r.controls['IMG-1'].waiverSource).toBeUndefined();
  });

  test('fails when a waiver names a control a Dockerfile is not judged on, and reports every bad line with its line', async () => {
    const lines = [
      '# cdk-compliant-ml waive=NET-1 reason="no network in a build"',
      '# cdk-compliant-ml waive=SEC-1 reason=""',
      '# cdk-compliant-ml waive=SEC-1 reason="first valid"',
      '# cdk-compliant-ml waive=SEC-1 reason="again"',
      '# cdk-compliant-ml waive=RES-1 reason="limits at run time"',
      '# cdk-compliant-ml waive=IMG-4 reason="x" expires=2099-02-30',
    ];
    const r = await checkText(`${lines.join('\n')}\nFROM ${PINNED}\nUSER 10001\n`);
    expect(r.code).toBe(3);
    const errors = r.stderr.split('\n').filter((l) => l.includes(': error: ')).map((l) => l.slice(r.file.length + 1));
    expect(errors).toEqual([
      expect.stringMatching(/^1: error: waiver\.control "NET-1": does not apply to this kind of workload, so it cannot be waived here \(the controls that apply: IMG-1, IMG-2, IMG-4, SEC-1, SEC-9\)$/),
      expect.stringMatching(/^2: error: invalid waiver\.reason "": a waiver of SEC-1 needs a reason/),
      '4: error: SEC-1 is waived twice (first on line 3): keep one waiver per control',
      expect.stringMatching(/^5: error: waiver\.control "RES-1": does not apply/),
      expect.stringMatching(/^6: error: invalid waiver\.expires "2099-02-30": is not an ISO date/),
    ]);
  });
});
