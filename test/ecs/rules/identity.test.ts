import * as iam from 'aws-cdk-lib/aws-iam';
import { EditableTemplate, compliantJob, compliantService, controlsOf, expectBroken, handEdited } from './support';
import { ControlStatus } from '../../../src/compliance';

const { VIOLATED, UNVERIFIED, ENFORCED } = ControlStatus;
type Edit = (t: EditableTemplate) => void;

/** The logical ID of our service's task role. */
const taskRoleOf = (t: EditableTemplate) => t.template.Resources![t.idOf('AWS::ECS::TaskDefinition')].Properties!.TaskRoleArn['Fn::GetAtt'][0] as string;
/** A foreign AWS::IAM::Policy attached to our task role by Ref, with one statement. */
const foreignPolicy = (statement: Record<string, unknown>): Edit => (t) => t.add('Foreign', {
  Type: 'AWS::IAM::Policy',
  Properties: { PolicyName: 'foreign', Roles: [{ Ref: taskRoleOf(t) }], PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] } },
});

describe('SEC-8: a task role of this template, apart from the execution role, least privilege over every attached policy', () => {
  test('compliant: our grants (log write on one log group; bucket grants of a job) and no wildcard', () => {
    expect(controlsOf(compliantService().service)['SEC-8'].status).toBe(ENFORCED);
    expect(controlsOf(compliantJob().job)['SEC-8'].status).toBe(ENFORCED);
  });

  test('fails when a foreign AWS::IAM::Policy in the stack grants IAM:* to our task role (case-insensitive)', () => {
    const { service } = compliantService((s, stack) => new iam.CfnPolicy(stack, 'Escalate', {
      policyName: 'escalate',
      roles: [(s.taskDefinition.taskRole as iam.Role).roleName],
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'IAM:*', Resource: '*' }] },
    }));
    expectBroken(controlsOf(service)['SEC-8'], VIOLATED, /Policy Escalate Statement\[0\] Action IAM:\* allows every action of iam/);
  });

  test('fails when an AWS::IAM::ManagedPolicy is attached to our task role', () => {
    const { service } = compliantService((s, stack) => new iam.ManagedPolicy(stack, 'Broad', {
      roles: [s.taskDefinition.taskRole], statements: [new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::models/*'] })],
    }));
    expectBroken(controlsOf(service)['SEC-8'], VIOLATED, /ManagedPolicy Broad\w* Statement\[0\] Action s3:\* allows every action of s3/);
  });

  test('fails when the AdministratorAccess policy is added to our task role', () => {
    const { service } = compliantService((s) => s.taskDefinition.taskRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')));
    expectBroken(controlsOf(service)['SEC-8'], VIOLATED, /ManagedPolicyArns has the AWS managed policy AdministratorAccess/);
  });

  test('fails when the task role may pass roles through a wildcard', () => {
    const { service } = compliantService((s) => s.taskDefinition.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:Pass*'], resources: ['arn:aws:iam::123456789012:role/x'] })));
    expectBroken(controlsOf(service)['SEC-8'], VIOLATED, /Action iam:Pass\* is an identity administration action/);
  });

  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['NotAction with Allow', foreignPolicy({ NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::b' }), VIOLATED, /Allow with NotAction="s3:DeleteBucket"/],
    ['NotResource with Allow', foreignPolicy({ Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' }), VIOLATED, /Allow with NotResource/],
    ['every action', foreignPolicy({ Action: '*', Resource: 'arn:aws:s3:::b' }), VIOLATED, /Action \* allows every action/],
    ['sts:AssumeRole by a pattern', foreignPolicy({ Action: 'sts:Assume*', Resource: 'arn:aws:iam::1:role/x' }), VIOLATED, /Action sts:Assume\* allows sts:assumerole/],
    ['kms key administration', foreignPolicy({ Action: 'kms:Put*', Resource: 'arn:aws:kms:eu-central-1:1:key/k' }), VIOLATED, /Action kms:Put\* allows kms:putkeypolicy/],
    ['Resource "*" for data access', foreignPolicy({ Action: 's3:GetObject', Resource: '*' }), VIOLATED, /Resource="\*" for \["s3:GetObject"\]/],
    ['an action from a parameter', foreignPolicy({ Action: { Ref: 'Action' }, Resource: 'arn:aws:s3:::b' }), UNVERIFIED, /Action=\$\{Action\} is not visible/],
    ['a policy document from an Fn::If', (t) => t.add('Foreign', {
      Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'f', Roles: [{ Ref: taskRoleOf(t) }], PolicyDocument: { 'Fn::If': ['C', {}, {}] } },
    }), UNVERIFIED, /Policy Foreign PolicyDocument is not visible/],
    ['a customer-managed policy ARN outside the template', (t) => {
      t.template.Resources![taskRoleOf(t)].Properties!.ManagedPolicyArns = ['arn:aws:iam::123456789012:policy/team-policy'];
    }, UNVERIFIED, /ManagedPolicyArns has arn:aws:iam::123456789012:policy\/team-policy, a policy outside this template/],
    ['PowerUserAccess by a partition-aware ARN', (t) => {
      t.template.Resources![taskRoleOf(t)].Properties!.ManagedPolicyArns = [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/PowerUserAccess']] }];
    }, VIOLATED, /AWS managed policy PowerUserAccess/],
    ['the execution role reused as task role', (t) => { t.taskDefinition.TaskRoleArn = t.taskDefinition.ExecutionRoleArn; }, VIOLATED, /TaskRoleArn and ExecutionRoleArn are the same role/],
    ['a task role outside the template', (t) => { t.taskDefinition.TaskRoleArn = 'arn:aws:iam::123456789012:role/shared'; }, UNVERIFIED, /role\/shared": the role is outside this template/],
    ['an AWS::IAM::RolePolicy on the task role', (t) => t.add('Inline', {
      Type: 'AWS::IAM::RolePolicy', Properties: { RoleName: { Ref: taskRoleOf(t) }, PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:x' }] } },
    }), VIOLATED, /RolePolicy Inline Statement\[0\] Action dynamodb:\*/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['SEC-8'], status, evidence);
  });

  test('compliant: ecr:GetAuthorizationToken is the one kind of action that may name Resource "*"', () => {
    expect(handEdited('service', foreignPolicy({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }))['SEC-8'].status).toBe(ENFORCED);
  });
});
