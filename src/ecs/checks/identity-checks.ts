/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnList, isIntrinsic } from './cfn-values';
import { TaskView } from './task-view';
import { TemplateView, flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';

/** Actions that grant control over identities, roles or keys: no task role may be allowed any of them. */
const ADMIN_ACTIONS = [
  'iam:PassRole', 'iam:CreateRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:CreateUser',
  'iam:CreateAccessKey', 'iam:CreatePolicyVersion', 'sts:AssumeRole', 'kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:CreateKey',
  'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'organizations:LeaveOrganization',
].map((a) => a.toLowerCase());
/** Actions that support no resource-level permissions, so `Resource: "*"` is their only form (documented by AWS). */
const RESOURCELESS_ACTIONS = [
  'ecr:GetAuthorizationToken', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
  'cloudwatch:PutMetricData', 'ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
].map((a) => a.toLowerCase());
const AWS_MANAGED_POLICY = /^arn:(aws|aws-cn|aws-us-gov|\$\{AWS::Partition\}):iam::aws:policy\/(.+)$/;

/** An IAM action pattern (`*` and `?` wildcards, compared case-insensitively) as a regular expression. */
function actionPattern(action: string): RegExp {
  const body = action.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Why one IAM action (an Allow) is not least privilege, or undefined. */
function actionProblem(action: string): string | undefined {
  const lower = action.toLowerCase();
  const [service, name] = lower.split(':');
  if (lower === '*' || name === undefined || service.includes('*') || /^\*+$/.test(name)) {
    return `${action} allows every action${name === undefined || service.includes('*') ? '' : ` of ${service}`}`;
  }
  if (service === 'iam' || service === 'organizations') {
    return `${action} is an identity administration action`;
  }
  const pattern = actionPattern(lower);
  const admin = ADMIN_ACTIONS.find((a) => pattern.test(a));
  return admin ? `${action} allows ${admin}` : undefined;
}

/** One policy document attached to the task role, with where it comes from. */
interface AttachedPolicy {
  readonly source: string;
  readonly document: unknown;
}

/** True when `roles` (a `Roles` list of a policy resource) names the role by `Ref`, or by its literal `RoleName`. */
function namesRole(template: TemplateView, roles: unknown, roleId: string): boolean {
  const roleName = template.get(roleId)?.Properties?.RoleName;
  return (cfnList(roles) ?? []).some((r) => template.target(r) === roleId || (typeof roleName === 'string' && r === roleName));
}

/**
 * Every policy document attached to the role: its inline `Policies`, `AWS::IAM::Policy`/`AWS::IAM::ManagedPolicy` resources
 * anywhere in the template whose `Roles` name it, `AWS::IAM::RolePolicy` resources on it, and the managed policies of its
 * `ManagedPolicyArns` that are in the template. AWS managed and unreadable ARNs go to `bad`/`unknown`.
 */
function attachedPolicies(template: TemplateView, roleId: string, bad: string[], unknown: string[]): AttachedPolicy[] {
  const role = template.get(roleId)!.Properties ?? {};
  const out: AttachedPolicy[] = [];
  const inline = cfnList(role.Policies);
  if (inline === undefined) {
    unknown.push(`Role ${roleId} Policies=${flatten(role.Policies)} is not visible in the template`);
  }
  (inline ?? []).forEach((p: any, i: number) => out.push({ source: `Role ${roleId} Policies[${i}](${p?.PolicyName})`, document: p?.PolicyDocument }));
  for (const [id, resource] of Object.entries(template.resources)) {
    const props = resource.Properties ?? {};
    if ((resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') && namesRole(template, props.Roles, roleId)) {
      out.push({ source: `${resource.Type.slice(10)} ${id}`, document: props.PolicyDocument });
    } else if (resource.Type === 'AWS::IAM::RolePolicy' && template.target(props.RoleName) === roleId) {
      out.push({ source: `RolePolicy ${id}`, document: props.PolicyDocument });
    }
  }
  const arns = cfnList(role.ManagedPolicyArns);
  if (arns === undefined) {
    unknown.push(`Role ${roleId} ManagedPolicyArns=${flatten(role.ManagedPolicyArns)} is not visible in the template`);
  }
  for (const arn of arns ?? []) {
    const local = template.resolve(arn);
    const text = flatten(arn);
    const awsManaged = AWS_MANAGED_POLICY.exec(text);
    if (local?.resource.Type === 'AWS::IAM::ManagedPolicy') {
      if (!out.some((p) => p.source === `ManagedPolicy ${local.id}`)) {
        out.push({ source: `ManagedPolicy ${local.id}`, document: local.resource.Properties?.PolicyDocument });
      }
    } else if (awsManaged) {
      bad.push(`Role ${roleId} ManagedPolicyArns has the AWS managed policy ${awsManaged[2]}: AWS managed policies grant their actions on every resource`);
    } else {
      unknown.push(`Role ${roleId} ManagedPolicyArns has ${text}, a policy outside this template`);
    }
  }
  return out;
}

/** Judges every statement of a document; problems go to `bad`/`unknown`. Returns the number of statements read. */
function judgeDocument(policy: AttachedPolicy, bad: string[], unknown: string[]): number {
  const statements = cfnList((policy.document as any)?.Statement);
  if (statements === undefined || isIntrinsic(policy.document)) {
    unknown.push(`${policy.source} PolicyDocument is not visible in the template`);
    return 0;
  }
  statements.forEach((statement: any, index: number) => {
    const where = `${policy.source} Statement[${index}]`;
    if (statement?.Effect === 'Deny') {
      return;
    }
    if (statement?.NotAction !== undefined) {
      bad.push(`${where} Allow with NotAction=${JSON.stringify(statement.NotAction)}: allows every other action`);
    }
    if (statement?.NotResource !== undefined) {
      bad.push(`${where} Allow with NotResource: allows every other resource`);
    }
    const actions = cfnList(statement?.Action) ?? [statement?.Action];
    if (actions.some((a) => typeof a !== 'string')) {
      unknown.push(`${where} Action=${flatten(statement?.Action)} is not visible in the template`);
    }
    const literal = actions.filter((a): a is string => typeof a === 'string');
    for (const action of literal) {
      const problem = actionProblem(action);
      if (problem) {
        bad.push(`${where} Action ${problem}`);
      }
    }
    const resources = cfnList(statement?.Resource) ?? [statement?.Resource];
    const everyResource = resources.some((r) => r === '*');
    if (everyResource && !literal.every((a) => RESOURCELESS_ACTIONS.includes(a.toLowerCase()))) {
      bad.push(`${where} Resource="*" for ${JSON.stringify(literal.filter((a) => !RESOURCELESS_ACTIONS.includes(a.toLowerCase())))}`);
    }
  });
  return statements.length;
}

/**
 * SEC-8: "No `TaskRoleArn` on Fargate → enforced (the task gets no AWS credentials); on EC2 or an unknown launch type →
 * unverified (the containers can reach the container instance role through IMDS unless the agent blocks it). Otherwise the task role must be a role of this
 * template, distinct from the execution role, and least privilege counting every policy attached to it (inline `Policies`;
 * `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy` resources anywhere in the template that name it; its
 * `ManagedPolicyArns`): no Allow with `NotAction` or `NotResource`; no action wildcard on a whole service (`*`, `s3:*`,
 * `IAM:*`: actions compare case-insensitively); no `iam:`/`organizations:` action and no pattern matching iam:PassRole,
 * sts:AssumeRole or KMS key administration (`iam:Pass*`, `kms:*`); `Resource: "*"` only for actions without resource-level
 * permissions (ecr:GetAuthorizationToken, X-Ray, cloudwatch:PutMetricData, ssmmessages) → enforced. An AWS managed policy ARN
 * (AdministratorAccess, PowerUserAccess, any `arn:aws:iam::aws:policy/...`) or any other breach → violated; a role, policy
 * document, managed policy ARN or action outside the template or behind an intrinsic → unverified."
 *
 * @internal
 */
export function identityCheck(task: TaskView): Finding {
  const template = task.template;
  const taskRoleArn = task.props.TaskRoleArn;
  if (taskRoleArn === undefined) {
    if (task.launch === 'fargate') {
      return { id: 'SEC-8', status: ControlStatus.ENFORCED, evidence: [task.note(`TaskRoleArn is not set and ${task.launchReason}: the task gets no AWS credentials`)] };
    }
    return verdict('SEC-8', [], [], [task.note(`TaskRoleArn is not set and the task may run on EC2 (${task.launchReason}): its containers can reach `
      + 'the container instance role through the instance metadata service unless the ECS agent blocks it (ECS_AWSVPC_BLOCK_IMDS, '
      + 'not in the template)')]);
  }
  const roleId = template.target(taskRoleArn);
  if (!roleId || template.get(roleId)?.Type !== 'AWS::IAM::Role') {
    return verdict('SEC-8', [], [], [task.field('TaskRoleArn', taskRoleArn) + ': the role is outside this template, its policies cannot be read']);
  }
  const bad: string[] = []; const unknown: string[] = [];
  if (roleId === template.target(task.props.ExecutionRoleArn)) {
    bad.push(task.note(`TaskRoleArn and ExecutionRoleArn are the same role ${roleId}`));
  }
  const policies = attachedPolicies(template, roleId, bad, unknown);
  const statementCount = policies.reduce((sum, policy) => sum + judgeDocument(policy, bad, unknown), 0);
  const good = [
    task.field('TaskRoleArn', taskRoleArn),
    `Role ${roleId}: ${policies.length} attached policies (${policies.map((p) => p.source).join(', ') || 'none'}), ${statementCount} statements, `
    + 'no service-wide or admin action, no NotAction/NotResource, no Resource "*" beyond actions without resource-level permissions',
  ];
  return verdict('SEC-8', good, bad, unknown);
}
