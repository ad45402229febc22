import { cfnLintIgnores, exampleOf, parseCfnLintReport, parseCheckovReport, summarize } from '../../scripts/third-party-checks-summary';

/** The shape of checkov 3.3's `-o json` report for one framework (trimmed to the fields the summary reads). */
const check = (id: string, file: string, extra: object = {}) => ({ check_id: id, file_path: file, resource: `Deployment.ml.${id}`, ...extra });
const K8S_REPORT = {
  check_type: 'kubernetes',
  results: {
    passed_checks: [check('CKV_K8S_1', '/dist-examples/k8s-retraining/fraud.k8s.yaml'), check('CKV_K8S_2', '/dist-examples/k8s-llm-inference/a.k8s.yaml')],
    failed_checks: [check('CKV_K8S_35', '/dist-examples/k8s-llm-inference/a.k8s.yaml')],
    skipped_checks: [
      check('CKV_K8S_43', '/dist-examples/k8s-retraining/fraud.k8s.yaml', { check_result: { result: 'SKIPPED', suppress_comment: ' pinned by policy ' } }),
      check('CKV_K8S_9', '/dist-examples/k8s-retraining/fraud.k8s.yaml', { check_result: { result: 'SKIPPED', suppress_comment: 'No comment provided' } }),
    ],
    parsing_errors: ['/dist-examples/k8s-retraining/broken.k8s.yaml'],
  },
  summary: { passed: 2, failed: 1, skipped: 2 },
};
/** cfn-lint 1.58's `--format json` match. */
const CFN_LINT_REPORT = [{
  Filename: 'dist-examples/ecs-model-api/CreditRiskApi.template.json',
  Level: 'Warning',
  Message: 'dependency already enforced',
  Location: { Path: ['Resources', 'Svc', 'DependsOn', 0] },
  Rule: { Id: 'W3005' },
}];

describe('third-party-checks summary: counts per framework and example, and every finding neither fixed nor acknowledged', () => {
  const k8s = parseCheckovReport(K8S_REPORT);

  test('parses checkov\'s report: results with file paths normalized, suppression comments as reasons, parse errors', () => {
    expect(k8s.results.map((r) => [r.checkId, r.result, r.file, r.reason])).toEqual([
      ['CKV_K8S_1', 'passed', 'dist-examples/k8s-retraining/fraud.k8s.yaml', undefined],
      ['CKV_K8S_2', 'passed', 'dist-examples/k8s-llm-inference/a.k8s.yaml', undefined],
      ['CKV_K8S_35', 'failed', 'dist-examples/k8s-llm-inference/a.k8s.yaml', undefined],
      ['CKV_K8S_43', 'skipped', 'dist-examples/k8s-retraining/fraud.k8s.yaml', 'pinned by policy'],
      ['CKV_K8S_9', 'skipped', 'dist-examples/k8s-retraining/fraud.k8s.yaml', 'No comment provided'],
    ]);
    expect(k8s.parsingErrors).toEqual(['kubernetes: cannot parse dist-examples/k8s-retraining/broken.k8s.yaml']);
  });

  test('checkov\'s bare summary (nothing to scan) and a list of framework reports are read too', () => {
    expect(parseCheckovReport({ passed: 0, failed: 0 }).results).toEqual([]);
    expect(parseCheckovReport([K8S_REPORT, { ...K8S_REPORT, check_type: 'dockerfile' }]).results).toHaveLength(10);
  });

  test('counts per framework and example, with a total line', () => {
    const { lines } = summarize(k8s.results, [], [], []);
    expect(lines.filter((l) => l.startsWith('checkov')).map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'checkov kubernetes k8s-llm-inference passed 1 failed 1 skipped 0',
      'checkov kubernetes k8s-retraining passed 1 failed 0 skipped 2',
      'checkov kubernetes (total) passed 2 failed 1 skipped 2',
    ]);
  });

  test('fails on a failed check, a skip without a reason, a parse error, a cfn-lint match and an ignore without a reason', () => {
    const template = {
      Resources: {
        Svc: {
          Metadata: {
            'cfn-lint': { config: { ignore_checks: ['W3005', 'E3012'] } },
            'cdk-compliant-ml/acknowledged': [{ tool: 'cfn-lint', rule: 'W3005', reason: 'aws-cdk-lib adds it' }],
          },
        },
      },
    };
    const ignores = cfnLintIgnores('dist-examples/ecs-model-api/CreditRiskApi.template.json', template);
    expect(ignores.map((i) => [i.rule, i.reason])).toEqual([['W3005', 'aws-cdk-lib adds it'], ['E3012', undefined]]);
    const { problems, lines } = summarize(k8s.results, k8s.parsingErrors, parseCfnLintReport(CFN_LINT_REPORT), ignores);
    expect(problems).toEqual([
      'kubernetes: cannot parse dist-examples/k8s-retraining/broken.k8s.yaml',
      'checkov CKV_K8S_9 is skipped on Deployment.ml.CKV_K8S_9 (dist-examples/k8s-retraining/fraud.k8s.yaml) without a reason',
      'checkov CKV_K8S_35 failed on Deployment.ml.CKV_K8S_35 (dist-examples/k8s-llm-inference/a.k8s.yaml)',
      'cfn-lint E3012 is ignored on Svc (dist-examples/ecs-model-api/CreditRiskApi.template.json) without a reason in Metadata.cdk-compliant-ml/acknowledged',
      'cfn-lint W3005 (Warning) at Resources/Svc/DependsOn/0 (dist-examples/ecs-model-api/CreditRiskApi.template.json): dependency already enforced',
    ]);
    expect(lines.map((l) => l.replace(/\s+/g, ' '))).toContain('cfn-lint (total) errors 0 warnings 1 informational 0 ignored 2');
  });

  test('passes when every finding is fixed or acknowledged with a reason', () => {
    const clean = k8s.results.filter((r) => r.result === 'passed' || r.reason === 'pinned by policy');
    expect(summarize(clean, [], [], []).problems).toEqual([]);
  });

  test('an example is named by its folder under dist-examples/ or examples/, any other file by its folder', () => {
    expect(exampleOf('dist-examples/ecs-model-api/CreditRiskApi.template.json')).toBe('ecs-model-api');
    expect(exampleOf('examples/k8s-llm-inference/Dockerfile')).toBe('k8s-llm-inference');
    expect(exampleOf('test/fixtures/cli/dockerfiles/good/Dockerfile')).toBe('test/fixtures/cli/dockerfiles/good');
  });
});
