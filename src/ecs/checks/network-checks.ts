/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnList, cfnNumber } from './cfn-values';
import { TemplateView, flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';

const ANYWHERE_V4 = '0.0.0.0/0';
const ANYWHERE_V6 = '::/0';
/** The egress CDK writes for `allowAllOutbound: false` when no other rule exists: it matches no traffic. */
const NO_TRAFFIC = { CidrIp: '255.255.255.255/32', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 };

/** The destination or source a rule names, for evidence. */
function peerOf(rule: any): string {
  const peer = rule.CidrIp ?? rule.CidrIpv6 ?? rule.DestinationPrefixListId ?? rule.SourcePrefixListId
    ?? rule.DestinationSecurityGroupId ?? rule.SourceSecurityGroupId;
  return peer === undefined ? 'no peer' : flatten(peer);
}

const anywhere = (rule: any) => rule.CidrIp === ANYWHERE_V4 || rule.CidrIpv6 === ANYWHERE_V6;

/** True when a rule's CIDR comes from a parameter or an import (it may be 0.0.0.0/0); a resource attribute (a VPC's CIDR) is visible. */
function hiddenCidr(template: TemplateView, rule: any): boolean {
  return [rule.CidrIp, rule.CidrIpv6].some((cidr) => cidr !== undefined && typeof cidr !== 'string'
    && !(template.get(template.target(cidr)) && !String(cidr?.Ref ?? '').startsWith('AWS::')));
}
const ports = (rule: any) => `${flatten(rule.IpProtocol)} ${rule.FromPort ?? 'all'}-${rule.ToPort ?? 'all'}`;

/** The rules of a security group: inline, plus every `SecurityGroupIngress`/`Egress` resource whose `GroupId` targets it. */
function rulesOf(template: TemplateView, groupId: string, kind: 'Ingress' | 'Egress'): Array<{ rule: any; source: string }> {
  const group = template.get(groupId)!.Properties ?? {};
  const inline = (cfnList(group[`SecurityGroup${kind}`]) ?? []).map((rule: any, i: number) => ({ rule: rule ?? {}, source: `SecurityGroup ${groupId} SecurityGroup${kind}[${i}]` }));
  const separate = template.idsOfType(`AWS::EC2::SecurityGroup${kind}`)
    .filter((id) => template.target(template.get(id)!.Properties?.GroupId) === groupId)
    .map((id) => ({ rule: template.get(id)!.Properties ?? {}, source: `SecurityGroup${kind} ${id}` }));
  return [...inline, ...separate];
}

/**
 * NET-1: "`AssignPublicIp` is not ENABLED, and every security group of the tasks (`AwsvpcConfiguration.SecurityGroups` of the
 * service, or of each runTask state of a job) is in this template with, counting its inline rules and every
 * `AWS::EC2::SecurityGroupIngress`/`SecurityGroupEgress` resource whose `GroupId` targets it: no ingress from 0.0.0.0/0 or
 * ::/0; an explicit `SecurityGroupEgress` (without one AWS adds allow-all); no egress of all protocols to anywhere; egress to
 * anywhere only on TCP 443 → enforced. A public IP, open ingress, default or broader egress, or no security group (the VPC
 * default group) → violated; a group or list outside this template (an import), or a job with no runner in the template →
 * unverified."
 *
 * @internal
 */
export function networkIsolationCheck(template: TemplateView, owner: string, awsvpc: Record<string, any> | undefined): Finding {
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  const publicIp = awsvpc?.AssignPublicIp;
  if (publicIp === 'ENABLED') {
    bad.push(`${owner} AssignPublicIp="ENABLED"`);
  } else if (publicIp !== undefined && publicIp !== 'DISABLED') {
    unknown.push(`${owner} AssignPublicIp=${flatten(publicIp)}`);
  } else {
    good.push(`${owner} ${publicIp === undefined ? 'AssignPublicIp is not set (DISABLED)' : 'AssignPublicIp="DISABLED"'}`);
  }
  const groups = cfnList(awsvpc?.SecurityGroups);
  if (groups === undefined) {
    unknown.push(`${owner} SecurityGroups=${flatten(awsvpc?.SecurityGroups)} is not visible in the template`);
  } else if (groups.length === 0) {
    bad.push(`${owner} SecurityGroups is not set: the VPC default security group applies`);
  }
  for (const value of groups ?? []) {
    const groupId = template.target(value);
    if (!groupId || template.get(groupId)?.Type !== 'AWS::EC2::SecurityGroup') {
      unknown.push(`${owner} SecurityGroup ${flatten(value)} is outside this template; its rules cannot be read`);
      continue;
    }
    const ingress = rulesOf(template, groupId, 'Ingress');
    for (const { rule, source } of ingress.filter((entry) => anywhere(entry.rule))) {
      bad.push(`${source} ingress from ${peerOf(rule)} on ${ports(rule)}`);
    }
    for (const { rule, source } of [...ingress, ...rulesOf(template, groupId, 'Egress')].filter((entry) => hiddenCidr(template, entry.rule))) {
      unknown.push(`${source} peer ${peerOf(rule)} is given at deploy time; it may be anywhere`);
    }
    if (template.get(groupId)!.Properties?.SecurityGroupEgress === undefined) {
      bad.push(`SecurityGroup ${groupId} SecurityGroupEgress is not set: AWS adds an allow-all egress rule`);
    }
    const egress = rulesOf(template, groupId, 'Egress');
    for (const { rule, source } of egress) {
      const noTraffic = Object.entries(NO_TRAFFIC).every(([k, v]) => rule[k] === v);
      const protocol = String(rule.IpProtocol);
      const https = protocol === 'tcp' || protocol === '6' ? cfnNumber(rule.FromPort) === 443 && cfnNumber(rule.ToPort) === 443 : false;
      if (noTraffic) {
        continue;
      }
      if (protocol === '-1' && anywhere(rule)) {
        bad.push(`${source} egress of all traffic to ${peerOf(rule)}`);
      } else if (anywhere(rule) && !https) {
        bad.push(`${source} egress to ${peerOf(rule)} on ${ports(rule)}: only TCP 443 may go anywhere`);
      }
    }
    good.push(`SecurityGroup ${groupId}: ${ingress.length} ingress rule(s), none from anywhere; ${egress.length} explicit egress rule(s): `
      + egress.map(({ rule }) => `${ports(rule)} to ${peerOf(rule)}`).join(', '));
  }
  return verdict('NET-1', good, bad, unknown);
}
