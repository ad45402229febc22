import {
  readCheckovAnnotations, readCheckovComments, readTemplateAcknowledgements, requireThirdPartyAcknowledgement, thirdPartyReasonProblem,
} from '../../src/core/third-party-acknowledgements';

describe('checkov annotations (checkov.io/skip<N>: <check id>=<reason>) are read as checkov reads them', () => {
  test('every key containing a suppression prefix counts, in key order, with its reason', () => {
    expect(readCheckovAnnotations({
      'checkov.io/skip2': 'CKV_K8S_43=the digest is pinned by an admission policy',
      'checkov.io/skip1': 'CKV_K8S_35= the SDK reads credentials from the environment only ',
      'bridgecrew.io/skip1': 'CKV2_K8S_6=a NetworkPolicy of the platform selects the pod',
      'app.kubernetes.io/name': 'CKV_K8S_1=not a suppression',
    })).toEqual({
      acknowledged: [
        { rule: 'checkov:CKV2_K8S_6', reason: 'a NetworkPolicy of the platform selects the pod' },
        { rule: 'checkov:CKV_K8S_35', reason: 'the SDK reads credentials from the environment only' },
        { rule: 'checkov:CKV_K8S_43', reason: 'the digest is pinned by an admission policy' },
      ],
      problems: [],
    });
  });

  test('no annotations, or annotations that are not a mapping, acknowledge nothing', () => {
    for (const value of [undefined, null, 'checkov.io/skip1', ['CKV_K8S_35=x'], {}]) {
      expect(readCheckovAnnotations(value)).toEqual({ acknowledged: [], problems: [] });
    }
  });

  test('fails when the value has no reason, an empty reason, a second "=" or no check ID', () => {
    const read = readCheckovAnnotations({
      'checkov.io/skip1': 'CKV_K8S_35',
      'checkov.io/skip2': 'CKV_K8S_36=   ',
      'checkov.io/skip3': 'CKV_K8S_37=a=b',
      'checkov.io/skip4': 'because we said so',
    });
    expect(read.acknowledged).toEqual([]);
    expect(read.problems).toEqual([
      'annotation checkov.io/skip1: CKV_K8S_35 is skipped without a reason (write CKV_K8S_35=<reason>)',
      'annotation checkov.io/skip2: CKV_K8S_36 is skipped without a reason (write CKV_K8S_36=<reason>)',
      'annotation checkov.io/skip3: the reason of CKV_K8S_37 contains "=", which checkov cannot read',
      'annotation checkov.io/skip4: "because we said so" names no checkov check ID (write <check id>=<reason>)',
    ]);
  });
});

describe('CloudFormation metadata: Metadata.checkov.skip and cfn-lint ignore_checks with the reason in our metadata', () => {
  test('checkov and bridgecrew skips with comments, and cfn-lint ignores whose reason is recorded', () => {
    expect(readTemplateAcknowledgements({
      'checkov': { skip: [{ id: 'CKV_AWS_18', comment: 'the access-log bucket itself' }] },
      'bridgecrew': { skip: [{ id: 'CKV_AWS_21', comment: 'logs are written once' }] },
      'cfn-lint': { config: { ignore_checks: ['W3005'] } },
      'cdk-compliant-ml/acknowledged': [{ tool: 'cfn-lint', rule: 'W3005', reason: 'aws-cdk-lib adds the DependsOn' }],
    })).toEqual({
      acknowledged: [
        { rule: 'checkov:CKV_AWS_18', reason: 'the access-log bucket itself' },
        { rule: 'checkov:CKV_AWS_21', reason: 'logs are written once' },
        { rule: 'cfn-lint:W3005', reason: 'aws-cdk-lib adds the DependsOn' },
      ],
      problems: [],
    });
  });

  test('fails when a skip has no id or no comment, or a cfn-lint ignore has no recorded reason', () => {
    const read = readTemplateAcknowledgements({
      'checkov': { skip: [{ comment: 'no id' }, { id: 'CKV_AWS_18' }, { id: 'CKV_AWS_21', comment: ' ' }] },
      'cfn-lint': { config: { ignore_checks: ['W3005', 'E3012'] } },
      'cdk-compliant-ml/acknowledged': [{ tool: 'cfn-lint', rule: 'E3012', reason: '' }, { tool: 'checkov', rule: 'W3005', reason: 'wrong tool' }],
    });
    expect(read.acknowledged).toEqual([]);
    expect(read.problems).toEqual([
      'Metadata.checkov.skip: {"comment":"no id"} has no id',
      'Metadata.checkov.skip: CKV_AWS_18 has no comment (the reason)',
      'Metadata.checkov.skip: CKV_AWS_21 has no comment (the reason)',
      'Metadata.cfn-lint.config.ignore_checks: W3005 has no reason in Metadata.cdk-compliant-ml/acknowledged',
      'Metadata.cfn-lint.config.ignore_checks: E3012 has no reason in Metadata.cdk-compliant-ml/acknowledged',
    ]);
  });
});

describe('Dockerfile comments (# checkov:skip=<ids>: <reason>) are read as checkov reads them', () => {
  test('one or more IDs per comment, the reason after the first colon', () => {
    const text = [
      'FROM python:3.12-slim@sha256:' + 'a'.repeat(64),
      '# checkov:skip=CKV_DOCKER_2: Kubernetes ignores HEALTHCHECK: the probes check the server',
      '  #checkov:skip=CKV_DOCKER_4,CKV_DOCKER_7:ADD --checksum verifies the download',
      'RUN echo "checkov:skip=CKV_DOCKER_5: not a comment"',
    ].join('\n');
    expect(readCheckovComments(text)).toEqual({
      acknowledged: [
        { rule: 'checkov:CKV_DOCKER_2', reason: 'Kubernetes ignores HEALTHCHECK: the probes check the server' },
        { rule: 'checkov:CKV_DOCKER_4', reason: 'ADD --checksum verifies the download' },
        { rule: 'checkov:CKV_DOCKER_7', reason: 'ADD --checksum verifies the download' },
      ],
      problems: [],
    });
  });

  test('fails when a skip comment has no reason or no ID', () => {
    expect(readCheckovComments('# checkov:skip=CKV_DOCKER_2\n# checkov:skip=CKV_DOCKER_3:   \n# checkov:skip=: why')).toEqual({
      acknowledged: [],
      problems: [
        'line 1: CKV_DOCKER_2 skipped without a reason (write # checkov:skip=CKV_DOCKER_2: <reason>)',
        'line 2: CKV_DOCKER_3 skipped without a reason (write # checkov:skip=CKV_DOCKER_3: <reason>)',
        'line 3: a checkov skip comment names no check ID',
      ],
    });
  });
});

describe('the constructs\' own acknowledgements: a real rule ID and a reason checkov can read', () => {
  test('accepts checkov and cfn-lint IDs with a one-line reason', () => {
    expect(() => requireThirdPartyAcknowledgement('checkov', 'CKV_AWS_18', 'the log bucket itself')).not.toThrow();
    expect(() => requireThirdPartyAcknowledgement('checkov', 'CKV2_AWS_5', 'attached elsewhere')).not.toThrow();
    expect(() => requireThirdPartyAcknowledgement('cfn-lint', 'W3005', 'aws-cdk-lib adds the DependsOn')).not.toThrow();
  });

  test('fails when the ID is of the other tool or malformed, or the reason is empty, multi-line or holds "="', () => {
    expect(() => requireThirdPartyAcknowledgement('checkov', 'W3005', 'x')).toThrow('W3005 is not a checkov rule ID');
    expect(() => requireThirdPartyAcknowledgement('cfn-lint', 'CKV_AWS_18', 'x')).toThrow('CKV_AWS_18 is not a cfn-lint rule ID');
    expect(() => requireThirdPartyAcknowledgement('checkov', 'CKV_AWS_18', ' ')).toThrow('the acknowledgement of checkov CKV_AWS_18 has no reason');
    expect(() => requireThirdPartyAcknowledgement('checkov', 'CKV_AWS_18', 'a\nb')).toThrow('more than one line');
    expect(() => requireThirdPartyAcknowledgement('checkov', 'CKV_AWS_18', 'a=b')).toThrow('containing "="');
    expect(thirdPartyReasonProblem(undefined)).toBe('has no reason');
    expect(thirdPartyReasonProblem('fine')).toBeUndefined();
  });
});
