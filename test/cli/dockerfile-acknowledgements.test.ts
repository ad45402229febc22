/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, runCli, tmpdir } from './support';

const ROOT = path.join(__dirname, '..', '..');
const GOOD = path.join(FIXTURES, 'dockerfiles', 'good', 'Dockerfile');
/** The Dockerfiles of the reference architectures' images, which CI also gives to checkov (scripts/third-party-checks.sh). */
const EXAMPLE_DOCKERFILES = ['ecs-gpu-training', 'k8s-llm-inference'].map((name) => path.join(ROOT, 'examples', name, 'Dockerfile'));

async function entries(files: string[]): Promise<any[]> {
  const r = await runCli(['check', '--no-report', '--format', 'json', ...files]);
  expect(r.stderr).toContain(' 0 input problems');
  return JSON.parse(r.stdout).workloads;
}

describe('checkov skip comments of a Dockerfile reach the report of `check` with their reasons', () => {
  test('the compliant fixture: three acknowledged checks, each with the reason of its comment', async () => {
    const [entry] = await entries([GOOD]);
    expect(entry.acknowledgedRules.map((a: any) => a.rule)).toEqual(['checkov:CKV_DOCKER_2', 'checkov:CKV_DOCKER_4', 'checkov:CKV_DOCKER_7']);
    for (const a of entry.acknowledgedRules) {
      expect(a.path).toBe(GOOD);
      expect(fs.readFileSync(GOOD, 'utf-8')).toContain(`checkov:skip=${a.rule.slice('checkov:'.length)}: ${a.reason}`);
    }
  });

  test('the reference architectures\' Dockerfiles: nothing violated, HEALTHCHECK acknowledged with a reason', async () => {
    const found = await entries(EXAMPLE_DOCKERFILES);
    expect(found.map((e) => e.controls.filter((c: any) => c.status === 'violated' || c.status === 'unverified'))).toEqual([[], []]);
    for (const e of found) {
      expect(e.acknowledgedRules).toEqual([{ rule: 'checkov:CKV_DOCKER_2', reason: expect.stringMatching(/.{40}/), path: e.path }]);
    }
  });

  test('fails when a skip comment has no reason: it acknowledges nothing', async () => {
    const file = path.join(tmpdir(), 'Dockerfile');
    fs.writeFileSync(file, `${fs.readFileSync(GOOD, 'utf-8').replace(/^# checkov:skip=.*$/gm, '')}# checkov:skip=CKV_DOCKER_2\n`);
    const [entry] = await entries([file]);
    expect(entry.acknowledgedRules).toBeUndefined();
  });
});
