/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, runCli, tmpdir } from './support';
import { expand, isDockerfileName, looksLikeDockerfile, Scope } from '../../src/cli/dockerfile';
import { DOCKERFILE_BACKEND } from '../../src/cli/dockerfile-checks';
import { ComplianceReport } from '../../src/compliance';

const DIR = path.join(FIXTURES, 'dockerfiles');
const fx = (name: string) => path.join(DIR, name);
const GOOD = fx('good/Dockerfile');
const BAD = fx('bad/Dockerfile');
const SHA = (c: string) => `sha256:${c.repeat(64)}`;

/** Runs `check --format json` and returns the exit code, the report and stderr. */
async function check(args: string[], stdin?: string): Promise<{ code: number; json: any; stderr: string }> {
  const r = await runCli(['check', '--no-report', '--format', 'json', ...args], { stdin });
  return { code: r.code, json: JSON.parse(r.stdout), stderr: r.stderr };
}

/** Writes a Dockerfile into a fresh directory and checks it; returns the controls by ID. */
async function checkText(text: string, args: string[] = []): Promise<{ code: number; controls: Record<string, any>; w: any; stderr: string }> {
  const file = path.join(tmpdir(), 'Dockerfile');
  fs.writeFileSync(file, text);
  const r = await check([...args, file]);
  const w = r.json.workloads[0];
  return { code: r.code, w, stderr: r.stderr, controls: Object.fromEntries((w?.controls ?? []).map((c: any) => [c.id, c])) };
}

const status = (controls: Record<string, any>) => Object.fromEntries(Object.entries(controls).map(([id, c]) => [id, c.status]));

const PINNED = `debian:12@${SHA('d')}`;
const LABELS = 'ARG GIT_SHA\nLABEL org.opencontainers.image.source=https://github.com/acme/x org.opencontainers.image.revision=$GIT_SHA '
  + 'org.opencontainers.image.version=1.0.0 org.opencontainers.image.created=2026-01-02T03:04:05Z\n';

describe('a compliant multi-stage Dockerfile', () => {
  test('directory walk: only the Dockerfile (not Dockerfile.dockerignore); the table, exit 0 with --enforce, the report files', async () => {
    const out = tmpdir();
    const r = await runCli(['check', '--enforce', '-o', out, fx('good')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('reading 1 file\n');
    expect(r.stdout).toMatch(new RegExp(`^WORKLOAD +KIND +BACKEND +VIOLATED +WAIVED +MET +EXTERNAL\n${GOOD} +Dockerfile +image +0 +0 +5 +0\n`));
    expect(r.stdout).toContain('No violated or unverified controls.');
    expect(r.stderr).toContain('1 workloads in 1 files (0 other objects skipped): 0 failing (violated or unverified) control results in 0 workloads (34 controls in the catalogue), 0 input problems');

    const text = fs.readFileSync(path.join(out, 'compliance-report.json'), 'utf-8');
    const json = JSON.parse(text);
    expect(text).toBe(ComplianceReport.fromWorkloads(json.workloads).toJsonString());
    expect(fs.readFileSync(path.join(out, 'compliance-report.md'), 'utf-8')).toContain(`## ${GOOD}\n\n- kind: Dockerfile\n- backend: image\n`);
    const [w] = json.workloads;
    expect([w.path, w.kind, w.backend]).toEqual([GOOD, 'Dockerfile', DOCKERFILE_BACKEND]);
    // only the controls a Dockerfile can show, no not-applicable rows
    expect(w.controls.map((c: any) => [c.id, c.status])).toEqual([
      ['IMG-1', 'enforced'], ['IMG-2', 'enforced'], ['IMG-4', 'enforced'], ['SEC-1', 'enforced'], ['SEC-9', 'enforced'],
    ]);
    expect(w.images).toEqual([
      'ghcr.io/astral-sh/uv:0.5.11@sha256:e6184ce10e266134fdcfa401e8f1a95005bcd4f18d16b62b757323e2833fe9a9',
      'python:3.12-slim@sha256:11a4a60b518bf24989d481468076e5d5982884626aed9faeb35b8576fcd223e1',
    ]);
    const ev = (id: string) => w.controls.find((c: any) => c.id === id).evidence;
    // ARG-substituted FROMs, the stage reference (FROM uv / COPY --from=builder) is not an image, ADD with --checksum
    expect(ev('IMG-1')).toEqual([
      'Dockerfile:7 FROM ghcr.io/astral-sh/uv:0.5.11@${UV_DIGEST} (= ghcr.io/astral-sh/uv:0.5.11@sha256:e6184ce10e266134fdcfa401e8f1a95005bcd4f18d16b62b757323e2833fe9a9) is pinned by digest',
      'Dockerfile:9 FROM ${PYTHON_IMAGE} (= python:3.12-slim@sha256:11a4a60b518bf24989d481468076e5d5982884626aed9faeb35b8576fcd223e1) is pinned by digest',
      'Dockerfile:17 FROM ${PYTHON_IMAGE} (= python:3.12-slim@sha256:11a4a60b518bf24989d481468076e5d5982884626aed9faeb35b8576fcd223e1) is pinned by digest',
      'Dockerfile:26 ADD --checksum=sha256:9372c470eeadd5ecd9c3c74c2b3cb633f8e2f2fad799250a0f70d652b6b825e4 https://models.example.com/fraud/1.4.2/model.onnx is verified by checksum',
    ]);
    expect(ev('IMG-4')).toEqual([
      'Dockerfile:21 LABEL org.opencontainers.image.source=https://github.com/acme/fraud-scorer',
      'Dockerfile:22 LABEL org.opencontainers.image.revision=$GIT_SHA (from the build arg GIT_SHA)',
      'Dockerfile:23 LABEL org.opencontainers.image.version=${VERSION} (from the build arg VERSION)',
      'Dockerfile:24 LABEL org.opencontainers.image.created=${BUILD_DATE} (from the build arg BUILD_DATE)',
    ]);
    expect(ev('SEC-1')).toEqual(['Dockerfile:28 USER 10001:10001: numeric UID and GID >= 10000']);
    expect(ev('SEC-9')).toEqual([
      'Dockerfile: no ENV value or ARG default holds a secret (8 checked)',
      'Dockerfile:10 ARG PIP_INDEX_TOKEN has no value in the Dockerfile',
    ]);
  });

  test('--build-arg overrides ARG defaults in FROM and feeds LABELs (whose values are then checked)', async () => {
    const unpinned = await check(['--enforce', '--build-arg', 'PYTHON_IMAGE=python:3.12', GOOD]);
    expect(unpinned.code).toBe(1);
    const w = unpinned.json.workloads[0];
    expect(w.controls.find((c: any) => c.id === 'IMG-1').evidence).toEqual([
      'Dockerfile:9 FROM ${PYTHON_IMAGE} (= python:3.12) has no digest',
      'Dockerfile:17 FROM ${PYTHON_IMAGE} (= python:3.12) has no digest',
    ]);

    const labelled = await check(['--build-arg', 'GIT_SHA=0123abc', '--build-arg=VERSION=1.4.2', '--build-arg', 'BUILD_DATE', GOOD]);
    const img4 = labelled.json.workloads[0].controls.find((c: any) => c.id === 'IMG-4');
    expect(img4.evidence).toContain('Dockerfile:22 LABEL org.opencontainers.image.revision=$GIT_SHA (= 0123abc)');
    expect(img4.evidence).toContain('Dockerfile:23 LABEL org.opencontainers.image.version=${VERSION} (= 1.4.2)');
    // NAME alone takes the value from the environment; BUILD_DATE is not set there, so it stays a build arg
    expect(img4.evidence).toContain('Dockerfile:24 LABEL org.opencontainers.image.created=${BUILD_DATE} (from the build arg BUILD_DATE)');
    const fromEnv = await runCli(['check', '--no-report', '--format', 'json', '--build-arg', 'GIT_SHA', GOOD],
      { env: { GIT_SHA: 'not-a-sha' } });
    const bad = JSON.parse(fromEnv.stdout).workloads[0].controls.find((c: any) => c.id === 'IMG-4');
    expect([bad.status, bad.evidence]).toEqual(['violated',
      ['Dockerfile:22 LABEL org.opencontainers.image.revision=$GIT_SHA: "not-a-sha" is not a source control revision (7 to 64 lowercase hex)']]);
  });

  test('a Dockerfile on standard input (recognised by its first instruction)', async () => {
    const r = await check(['-'], fs.readFileSync(GOOD, 'utf-8'));
    expect(r.code).toBe(0);
    expect(r.json.workloads.map((w: any) => [w.path, w.kind, w.summary])).toEqual([['<stdin>', 'Dockerfile', undefined]]);
    expect(r.json.summary.enforced).toBe(5);
  });
});

describe('Dockerfiles that break controls', () => {
  test('unpinned FROM, latest, ADD of a URL without --checksum, root USER, missing labels, secrets in ENV/ARG', async () => {
    const out = tmpdir();
    const r = await runCli(['check', '--enforce', '-o', out, BAD]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`\n${BAD} +Dockerfile +image +5 +0 +0 +0\n`));
    expect(r.stdout).toContain(`${BAD}: IMG-2 No \`:latest\` and no untagged references [medium] violated: Dockerfile:5 FROM nginx:latest uses the tag latest;`);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'compliance-report.json'), 'utf-8'));
    const controls = Object.fromEntries(json.workloads[0].controls.map((c: any) => [c.id, c]));
    expect(status(controls)).toEqual({ 'IMG-1': 'violated', 'IMG-2': 'violated', 'IMG-4': 'violated', 'SEC-1': 'violated', 'SEC-9': 'violated' });
    expect(controls['IMG-1'].evidence).toEqual([
      'Dockerfile:1 FROM python:3.12 has no digest',
      'Dockerfile:5 FROM nginx:latest has no digest',
      'Dockerfile:7 ADD https://downloads.example.com/tool.tar.gz has no --checksum, so the downloaded bytes can change between builds: '
        + 'add --checksum=sha256:<64 lowercase hex>',
    ]);
    expect(controls['IMG-4'].evidence).toEqual([
      'Dockerfile: no LABEL org.opencontainers.image.revision, org.opencontainers.image.version, org.opencontainers.image.created in the '
        + 'final stage (FROM on line 5) (labels added outside the Dockerfile, e.g. with docker build --label, are not visible here)',
    ]);
    expect(controls['SEC-1'].evidence).toEqual(['Dockerfile:10 USER root: the user is root; use a numeric USER UID:GID such as 10001:10001']);
    expect(controls['SEC-9'].evidence.map((e: string) => e.split(':').slice(0, 2).join(':'))).toEqual([
      'Dockerfile:2 ARG PIP_PASSWORD=<value not shown>', 'Dockerfile:6 ENV API_TOKEN=<value not shown>',
    ]);
    // the secret values appear nowhere: not on stdout, not in either report file
    for (const text of [r.stdout, r.stderr, fs.readFileSync(path.join(out, 'compliance-report.json'), 'utf-8'),
      fs.readFileSync(path.join(out, 'compliance-report.md'), 'utf-8')]) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('tok_live_abc123');
    }
  });

  test('a named USER is unverified; a global ARG not declared again in the stage leaves its LABEL empty; a malformed created', async () => {
    const r = await check([fx('bad/named-user.Dockerfile')]);
    const controls = Object.fromEntries(r.json.workloads[0].controls.map((c: any) => [c.id, c]));
    expect(status(controls)).toEqual({ 'IMG-1': 'enforced', 'IMG-2': 'enforced', 'IMG-4': 'violated', 'SEC-1': 'unverified', 'SEC-9': 'enforced' });
    expect(controls['SEC-1'].evidence).toEqual(['named-user.Dockerfile:7 USER app: the user name "app" maps to an ID and a group through the '
      + 'image\'s /etc/passwd, which a Dockerfile does not show, so it cannot be proven to be >= 10000; use a numeric USER UID:GID such as 10001:10001']);
    expect(controls['IMG-4'].evidence).toEqual([
      'named-user.Dockerfile:3 LABEL org.opencontainers.image.revision=$GIT_SHA: $GIT_SHA is not declared by an ARG or ENV in the stage before '
        + 'line 3, so the label is empty (an ARG before the first FROM must be declared again inside the stage: ARG GIT_SHA)',
      'named-user.Dockerfile:5 LABEL org.opencontainers.image.created=yesterday: "yesterday" is not an RFC 3339 date-time',
    ]);
  });

  test('an untagged FROM, an unresolvable ARG (named), COPY --from an unpinned image, a UID below 10000', async () => {
    const file = fx('bad/untagged.Dockerfile');
    const r = await check([file]);
    const controls = Object.fromEntries(r.json.workloads[0].controls.map((c: any) => [c.id, c]));
    expect(controls['IMG-1'].evidence).toEqual([
      'untagged.Dockerfile:2 FROM ubuntu has no digest',
      'untagged.Dockerfile:5 FROM ${BASE}: the ARG BASE has no default and no --build-arg BASE=... was given, so the image cannot be determined',
      'untagged.Dockerfile:7 COPY --from=busybox:1.36 has no digest',
    ]);
    expect(controls['IMG-2'].evidence).toEqual([
      'untagged.Dockerfile:2 FROM ubuntu has neither a tag nor a digest (Docker reads it as latest)',
      'untagged.Dockerfile:5 FROM ${BASE}: the ARG BASE has no default and no --build-arg BASE=... was given, so the image cannot be determined',
    ]);
    expect(controls['SEC-1'].evidence).toEqual(['untagged.Dockerfile:8 USER 1000:1000: the user ID 1000 is below 10000; the group ID 1000 is below 10000; '
      + 'use a numeric USER UID:GID such as 10001:10001']);
    expect(r.json.workloads[0].images).toEqual(['ubuntu', '${BASE}', 'busybox:1.36']);

    const resolved = await check(['--build-arg', `BASE=${PINNED}`, file]);
    const img1 = resolved.json.workloads[0].controls.find((c: any) => c.id === 'IMG-1');
    // a violated control lists only the offending references: line 5 is now pinned
    expect(img1.evidence).toEqual(['untagged.Dockerfile:2 FROM ubuntu has no digest', 'untagged.Dockerfile:7 COPY --from=busybox:1.36 has no digest']);
    expect(resolved.json.workloads[0].images).toEqual(['ubuntu', PINNED, 'busybox:1.36']);
  });
});

describe('rules in detail', () => {
  test('multi-stage: FROM <stage> and COPY --from=<stage or index> are not images; USER and LABELs are inherited from the parent stage', async () => {
    const r = await checkText(`FROM ${PINNED} AS Base\n${LABELS}USER 10001:10001\nFROM base AS final\nCOPY --from=0 /a /b\nCOPY --from=BASE /c /d\n`);
    expect(status(r.controls)).toEqual({ 'IMG-1': 'enforced', 'IMG-2': 'enforced', 'IMG-4': 'enforced', 'SEC-1': 'enforced', 'SEC-9': 'enforced' });
    expect(r.w.images).toEqual([PINNED]);
    expect(r.controls['SEC-1'].evidence).toEqual(['Dockerfile:4 USER 10001:10001: numeric UID and GID >= 10000']);
  });

  test('USER and LABEL rules apply to the final stage only', async () => {
    const r = await checkText(`FROM ${PINNED} AS build\n${LABELS}USER 10001\nFROM ${PINNED}\nCOPY --from=build /a /b\n`);
    expect(r.controls['SEC-1'].evidence).toEqual(['Dockerfile: no USER in the final stage (FROM on line 5): the image runs as its base image\'s '
      + 'user (root unless the base image sets another), which cannot be verified statically; add USER 10001:10001']);
    expect(r.controls['IMG-4'].status).toBe('violated');
  });

  test.each([
    ['USER 0', 'the user is root'],
    ['USER 10001:root', 'the group is root'],
    ['USER ${APP_UID}', 'APP_UID has no value here, so the user cannot be verified statically'],
  ])('SEC-1: %s is violated', async (user, reason) => {
    const r = await checkText(`FROM ${PINNED}\n${user}\n`);
    expect(r.controls['SEC-1'].status).toBe('violated');
    expect(r.controls['SEC-1'].evidence[0]).toContain(reason);
  });

  test('SEC-1: a USER from an ARG default; FROM scratch without USER runs as root', async () => {
    const ok = await checkText(`FROM ${PINNED}\nARG APP_UID=10001\nUSER \${APP_UID}:\${APP_GID:-10001}\n`);
    expect(ok.controls['SEC-1'].evidence).toEqual(['Dockerfile:3 USER ${APP_UID}:${APP_GID:-10001} (= 10001:10001): numeric UID and GID >= 10000']);
    const scratch = await checkText('FROM scratch\nCOPY app /app\n');
    expect(scratch.controls['SEC-1'].evidence[0]).toContain('FROM scratch runs as root (UID 0)');
    expect(scratch.controls['IMG-1'].evidence).toEqual(['Dockerfile: no external image or remote source (FROM scratch and earlier stages only)']);
    expect(scratch.w.images).toEqual([]);
  });

  test.each([
    [`FROM python:3.12@${SHA('A')}`, 'IMG-1', 'is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex>'],
    ['FROM python:3.12@sha256:abc', 'IMG-1', 'is not sha256:<64 lowercase hex>'],
    [`FROM Python:3.12@${SHA('a')}`, 'IMG-2', 'FROM Python:3.12@sha256:aaaa'],
    [`FROM python@${SHA('a')}`, 'IMG-2', 'is digest-only'],
    [`ARG TAG=latest\nFROM python:\${TAG}@${SHA('a')}`, 'IMG-2', 'uses the tag latest'],
    [`FROM --platform=$BUILDPLATFORM img-\${TARGETARCH}@${SHA('a')}`, 'IMG-1', 'TARGETARCH is a platform ARG that is only known at build time'],
    ['FROM ${IMG}', 'IMG-1', 'the ARG IMG is not declared before the first FROM, so it expands to nothing'],
    [`ARG REG=ghcr.io\nARG IMG=\${REG}/acme/x:1@${SHA('b')}\nFROM \${IMG}`, 'IMG-1', `(= ghcr.io/acme/x:1@${SHA('b')}) is pinned by digest`],
    [`FROM ${PINNED}\nADD --checksum=sha256:abc https://x.example.com/a.tgz /a`, 'IMG-1', 'has the invalid --checksum=sha256:abc'],
    [`FROM ${PINNED}\nADD ["https://x.example.com/a.tgz", "/a"]`, 'IMG-1', 'ADD https://x.example.com/a.tgz has no --checksum'],
    [`FROM ${PINNED}\nADD https://github.com/moby/buildkit.git#v0.10.1 /bk`, 'IMG-1', 'names a branch or tag, not a commit'],
    [`FROM ${PINNED}\nADD https://github.com/moby/buildkit.git#${'c'.repeat(40)} /bk`, 'IMG-1', 'is pinned to a commit'],
    [`FROM ${PINNED}\nADD local.tgz /a`, 'IMG-1', 'is pinned by digest'],
  ])('%j: %s evidence contains %j', async (text, id, fragment) => {
    const r = await checkText(`${text}\n`);
    expect(r.stderr).not.toContain('error:');
    expect(r.controls[id].evidence.join('\n')).toContain(fragment);
  });

  test('SEC-9: ENV fed from a build arg bakes the secret in; an ARG without a value, other names and the legacy ENV form', async () => {
    const r = await checkText(`FROM ${PINNED}\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nENV DB_PASSWORD s3cr3t value\nENV MONKEYS=\nENV HOME=/app\n`);
    expect(r.controls['SEC-9'].evidence.map((e: string) => e.split(': ')[0])).toEqual([
      'Dockerfile:3 ENV NPM_TOKEN=<value not shown>', 'Dockerfile:4 ENV DB_PASSWORD=<value not shown>',
    ]);
    expect(JSON.stringify(r.w)).not.toContain('s3cr3t');
  });

  test('IMG-4: an empty label value; a label fed by ENV', async () => {
    const rest = 'org.opencontainers.image.version=1 org.opencontainers.image.created=2026-01-02T03:04:05+01:00';
    const empty = await checkText(`FROM ${PINNED}\nLABEL org.opencontainers.image.source="" org.opencontainers.image.revision=0123abcd ${rest}\n`);
    expect(empty.controls['IMG-4'].evidence).toEqual(['Dockerfile:2 LABEL org.opencontainers.image.source=: the value is empty']);
    const env = await checkText(`FROM ${PINNED}\nENV REV=0123abcd\nLABEL org.opencontainers.image.source=git@github.com:acme/x.git \\\n`
      + `  org.opencontainers.image.revision=$REV ${rest}\n`);
    expect(env.controls['IMG-4'].status).toBe('enforced');
    expect(env.controls['IMG-4'].evidence).toContain('Dockerfile:4 LABEL org.opencontainers.image.revision=$REV (= 0123abcd)');
  });
});

describe('waivers in Dockerfile comments', () => {
  const bad = () => fs.readFileSync(BAD, 'utf-8');

  test('a waiver turns its violated control into waived, with reason, expiry and approver in both report files', async () => {
    const text = '# cdk-compliant-ml waive=SEC-1 reason="nginx:latest runs its master as root; replaced in Q1" '
      + 'expires=2099-12-31 approved-by="ML platform"\n'
      + bad() + '  # cdk-compliant-ml waive=IMG-4 reason="labels \\"set\\" by the CI build"\n';
    const { code, controls } = await checkText(text, ['--enforce']);
    expect(code).toBe(1); // IMG-1, IMG-2 and SEC-9 are still violated
    expect(status(controls)).toEqual({ 'IMG-1': 'violated', 'IMG-2': 'violated', 'IMG-4': 'waived', 'SEC-1': 'waived', 'SEC-9': 'violated' });
    expect(controls['SEC-1'].waiver).toEqual({
      control: 'SEC-1', reason: 'nginx:latest runs its master as root; replaced in Q1', approvedBy: 'ML platform', expires: '2099-12-31',
    });
    expect(controls['SEC-1'].evidence).toEqual(['Dockerfile:11 USER root: the user is root; use a numeric USER UID:GID such as 10001:10001']);
    expect(controls['IMG-4'].waiver).toEqual({ control: 'IMG-4', reason: 'labels "set" by the CI build' });

    const out = tmpdir();
    const all = ['IMG-1', 'IMG-2', 'IMG-4', 'SEC-1', 'SEC-9'].map((id) => `# cdk-compliant-ml waive=${id} reason="accepted for the demo"`);
    const file = path.join(tmpdir(), 'Dockerfile');
    fs.writeFileSync(file, `${all.join('\n')}\n${bad()}`);
    const r = await runCli(['check', '--enforce', '-o', out, file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(': 0 failing (violated or unverified) control results in 0 workloads');
    expect(fs.readFileSync(path.join(out, 'compliance-report.md'), 'utf-8')).toContain('waiver: accepted for the demo');
  });

  test('a waiver of a control the file meets changes nothing; prose that names the tool is not a waiver', async () => {
    const text = '# cdk-compliant-ml checks this file in CI\n# cdk-compliant-ml waive=IMG-2 reason="not needed"\n'
      + fs.readFileSync(GOOD, 'utf-8');
    const { code, controls } = await checkText(text, ['--enforce']);
    expect(code).toBe(0);
    expect(controls['IMG-2'].status).toBe('enforced');
    expect(controls['IMG-2'].waiver).toBeUndefined();
  });

  test('malformed, unknown, repeated and expired waivers are input errors with their line (exit 3)', async () => {
    const lines = [
      '# cdk-compliant-ml waive=SEC-99 reason="x"',
      '# cdk-compliant-ml waive=SEC-1',
      '# cdk-compliant-ml waive=SEC-1 reason="old" expires=2020-01-01',
      '# cdk-compliant-ml waive=IMG-4 reason="a"',
      '# cdk-compliant-ml waive=IMG-4 reason="b"',
      '# cdk-compliant-ml waiver=IMG-2 reason="typo"',
      '# cdk-compliant-ml waive=IMG-2 reason=unquoted words',
      '# cdk-compliant-ml waive=IMG-2 reason="x" expires=31.12.2099',
    ];
    const file = path.join(tmpdir(), 'Dockerfile');
    fs.writeFileSync(file, `${lines.join('\n')}\n${bad()}`);
    const r = await runCli(['check', '--no-report', file]);
    expect(r.code).toBe(3);
    const errors = r.stderr.split('\n').filter((l) => l.includes(': error: '));
    expect(errors.map((l) => l.slice(file.length + 1, file.length + 3))).toEqual(['1:', '2:', '3:', '5:', '6:', '7:', '8:']);
    expect(errors[0]).toContain('invalid waiver.control "SEC-99": is not a control of the catalogue');
    expect(errors[1]).toContain('invalid waiver.reason "": a waiver of SEC-1 needs a reason');
    expect(errors[2]).toMatch(/the waiver of SEC-1 expired on 2020-01-01 \(today is \d{4}-\d{2}-\d{2}\); renew the waiver/);
    expect(errors[3]).toContain('IMG-4 is waived twice (first on line 4): keep one waiver per control');
    expect(errors[4]).toContain('malformed waiver comment: unknown field "waiver" (the fields are waive, reason, expires, approved-by)');
    expect(errors[5]).toContain('malformed waiver comment: cannot read "words" (fields are key=value; quote values with spaces)');
    expect(errors[6]).toContain('invalid waiver.expires "31.12.2099": is not an ISO date');
  });
});

describe('malformed Dockerfiles: FILE:LINE: error, exit 3, the other files still checked', () => {
  test('unknown instruction, FROM without image, empty file, continuation at EOF, binary data', async () => {
    const dir = tmpdir();
    fs.cpSync(fx('malformed'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'binary.Dockerfile'), Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0x00, 0x01, 0xff, 0xfe, 0x0a, 0x55]));
    const r = await runCli(['check', '--no-report', '--enforce', '--format', 'json', dir, BAD]);
    expect(r.code).toBe(3); // input problems win over violations
    const problems = r.stderr.split('\n').filter((l) => l.includes(': error: ')).map((l) => l.replace(`${dir}${path.sep}`, ''));
    expect(problems).toEqual([
      'binary.Dockerfile:1: error: binary data (a NUL byte or invalid UTF-8): this is not a text Dockerfile',
      'continuation.Dockerfile:3: error: line continuation (\\) at the end of the file: the RUN instruction of line 2 is cut off',
      'empty.Dockerfile:1: error: the Dockerfile is empty: it has no instructions (a Dockerfile needs at least one FROM)',
      'from-without-image.Dockerfile:2: error: FROM without an image: write FROM IMAGE[:TAG][@DIGEST] [AS NAME]',
      'unknown-instruction.Dockerfile:2: error: unknown instruction "FORM" (did you mean FROM?)',
    ]);
    expect(JSON.parse(r.stdout).workloads.map((w: any) => w.path)).toEqual([BAD]);
  });

  test.each([
    ['# only a comment\n\n', 1, 'the Dockerfile is empty'],
    ['ARG A=1\n', 1, 'no FROM instruction: a Dockerfile needs at least one FROM IMAGE'],
    ['RUN true\nFROM x\n', 1, 'RUN before the first FROM: only ARG (and comments) may come before it'],
    [`FROM ${PINNED} AS\n`, 1, 'FROM takes IMAGE [AS NAME], not'],
    [`FROM ${PINNED} AS a\nFROM ${PINNED} AS A\n`, 2, 'duplicate stage name "a" (first used on line 1)'],
    [`FROM ${PINNED} AS 1st\n`, 1, 'invalid stage name "1st"'],
    [`FROM ${PINNED}\nUSER\n`, 2, 'USER takes exactly one UID[:GID]'],
    [`FROM ${PINNED}\nLABEL\n`, 2, 'LABEL needs at least one NAME=VALUE'],
    [`FROM ${PINNED}\nADD /only-one\n`, 2, 'ADD needs at least one source and a destination'],
    ['# escape=`\nFROM x\nRUN a `\n\n', 3, 'line continuation (`) at the end of the file'],
    ['FROM x\nrun true\nEXPOSE 80\nMAINTAINER me\nfrobnicate\n', 5, 'unknown instruction "frobnicate"'],
  ])('%j: line %d: %s', async (text, line, message) => {
    const r = await checkText(text);
    expect(r.code).toBe(3);
    expect(r.w).toBeUndefined();
    expect(r.stderr).toMatch(new RegExp(`Dockerfile:${line}: error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  test('--build-arg needs NAME=VALUE', async () => {
    const r = await runCli(['check', '--build-arg', '=x', GOOD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--build-arg "=x": write NAME=VALUE');
  });
});

describe('recognising Dockerfiles', () => {
  test.each([
    ['Dockerfile', true], ['dockerfile', true], ['Containerfile', true], ['Dockerfile.gpu', true], ['serve.Dockerfile', true],
    ['a/b/train.dockerfile', true], ['Containerfile.dev', true],
    ['Dockerfile.dockerignore', false], ['Dockerfile.md', false], ['Dockerfile.yaml', false], ['Dockerfiles', false], ['deploy.yaml', false],
  ])('%s: %s', (name, expected) => {
    expect(isDockerfileName(name)).toBe(expected);
  });

  test('by content: FROM or ARG first (after comments and directives); YAML and JSON are not', () => {
    expect(looksLikeDockerfile('# syntax=docker/dockerfile:1\n\nARG X=1\nFROM y\n')).toBe(true);
    expect(looksLikeDockerfile('from python:3.12\n')).toBe(true);
    expect(looksLikeDockerfile('apiVersion: v1\nkind: Pod\n')).toBe(false);
    expect(looksLikeDockerfile('{"FROM": 1}')).toBe(false);
  });

  test('a file named on the command line without a Dockerfile name is read by content; YAML next to it still is YAML', async () => {
    const dir = tmpdir();
    fs.copyFileSync(GOOD, path.join(dir, 'build-recipe'));
    const r = await check([path.join(dir, 'build-recipe'), path.join(FIXTURES, 'helm-release.yaml')]);
    // The report orders workloads by path, and the temporary directory may sort before or after the fixtures.
    expect(r.json.workloads.map((w: any) => w.kind).sort()).toEqual(['Deployment', 'Deployment', 'Dockerfile']);
    const dockerfile = r.json.workloads.find((w: any) => w.kind === 'Dockerfile');
    expect(JSON.stringify(dockerfile)).toContain('build-recipe');
    expect(r.json.workloads.filter((w: any) => w.kind === 'Deployment').every((w: any) => !JSON.stringify(w).includes('build-recipe'))).toBe(true);
  });

  test('word expansion: $X, ${X}, ${X:-d}, ${X-d}, ${X:+a}, ${X+a}; missing names are listed', () => {
    const scope: Scope = new Map([['A', { value: 'a', source: 'arg' }], ['E', { value: '', source: 'arg' }], ['U', { value: undefined, source: 'arg' }]]);
    expect(expand('$A/${A}/${E:-d}/${E-d}/${A:+x}/${U+x}/${U:-$A}', scope)).toEqual({ value: 'a/a/d//x//a', missing: [] });
    expect(expand('${U}/$NOPE/$E', scope)).toEqual({ value: '//', missing: ['U', 'NOPE', 'E'] });
  });
});
