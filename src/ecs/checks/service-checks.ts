/* eslint-disable @typescript-eslint/no-explicit-any */
import { TaskView } from './task-checks';
import { TemplateView, flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';

/** True for an IPv4 or IPv6 "anywhere" range. */
const anywhere = (r: any) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 === '::/0';

/** NET-1: no public IP, security groups without open ingress and with explicit (not all-traffic-anywhere) egress. @internal */
export function networkFinding(tv: TemplateView, owner: string, assignPublicIp: unknown, sgList: unknown): Finding {
  const sgValues: unknown[] = Array.isArray(sgList) ? sgList : sgList === undefined ? [] : [sgList];
  const bad: string[] = [];
  const good: string[] = [`${owner} AssignPublicIp=${JSON.stringify(assignPublicIp ?? 'DISABLED')}`];
  if (assignPublicIp === 'ENABLED') {
    bad.push(`${owner} AssignPublicIp="ENABLED"`);
  }
  if (sgValues.length === 0) {
    bad.push(`${owner} SecurityGroups=[] (the VPC default security group applies)`);
  }
  for (const v of sgValues) {
    const sg = tv.target(v) ?? /^\$\{([^.}]+)\.GroupId\}$/.exec(flatten(v))?.[1];
    const res = tv.get(sg);
    if (!sg || res?.Type !== 'AWS::EC2::SecurityGroup') {
      good.push(`${owner} SecurityGroup ${flatten(v)} is defined outside this template`);
      continue;
    }
    const ingress = [...(res.Properties?.SecurityGroupIngress ?? []),
      ...tv.referrers(sg, 'AWS::EC2::SecurityGroupIngress').map((id) => tv.get(id)!.Properties ?? {})
        .filter((p) => tv.target(p.GroupId) === sg)];
    const egress = [...(res.Properties?.SecurityGroupEgress ?? []),
      ...tv.referrers(sg, 'AWS::EC2::SecurityGroupEgress').map((id) => tv.get(id)!.Properties ?? {})
        .filter((p) => tv.target(p.GroupId) === sg)];
    const open = ingress.filter(anywhere);
    const allOut = egress.filter((r: any) => anywhere(r) && String(r.IpProtocol) === '-1');
    bad.push(...open.map((r: any) => `SecurityGroup ${sg} ingress from ${r.CidrIp ?? r.CidrIpv6} port ${r.FromPort ?? 'all'}`));
    bad.push(...allOut.map(() => `SecurityGroup ${sg} egress: all traffic to anywhere`));
    good.push(`SecurityGroup ${sg}: ${ingress.length} ingress rule(s), none from anywhere; ${egress.length} explicit egress rule(s)`);
  }
  return verdict('NET-1', good, bad);
}

/** MON-1: Container Insights on the cluster, when the cluster is in the template. @internal */
export function insightsFinding(tv: TemplateView, clusterValue: unknown): Finding {
  const id = tv.target(clusterValue) ?? /^\$\{([^.}]+)(\.Arn)?\}$/.exec(flatten(clusterValue))?.[1];
  const cluster = tv.get(id);
  if (!id || cluster?.Type !== 'AWS::ECS::Cluster') {
    return { id: 'MON-1', status: ControlStatus.EXTERNAL, evidence: [`cluster ${flatten(clusterValue) || '(default)'} is defined outside this template`] };
  }
  const setting = (cluster.Properties?.ClusterSettings ?? []).find((s: any) => s.Name === 'containerInsights');
  const ok = setting && ['enabled', 'enhanced'].includes(setting.Value);
  return verdict('MON-1', [`Cluster ${id} ClusterSettings.containerInsights=${JSON.stringify(setting?.Value)}`],
    ok ? [] : [`Cluster ${id} ClusterSettings.containerInsights=${JSON.stringify(setting?.Value ?? null)}`]);
}

/** AVL-1..4, NET-1, MON-1 and PRB-1 of an `AWS::ECS::Service`. @internal */
export function serviceChecks(t: TaskView, serviceId: string): Finding[] {
  const tv = t.template;
  const p = tv.get(serviceId)!.Properties ?? {};
  const ev = (path: string, v: unknown) => `Service ${serviceId} ${path}=${JSON.stringify(v ?? null)}`;
  const dc = p.DeploymentConfiguration ?? {};
  const out: Finding[] = [];
  const desired = p.DesiredCount ?? 1;
  const targets = tv.idsOfType('AWS::ApplicationAutoScaling::ScalableTarget')
    .filter((id) => JSON.stringify(tv.get(id)!.Properties?.ResourceId ?? '').includes(`"${serviceId}"`));
  const mins = targets.map((id) => ({ id, min: tv.get(id)!.Properties?.MinCapacity }));
  out.push(verdict('AVL-1', [ev('DesiredCount', desired), ...mins.map((m) => `ScalableTarget ${m.id} MinCapacity=${m.min}`)],
    [...(desired >= 2 ? [] : [ev('DesiredCount', desired)]), ...mins.filter((m) => !(m.min >= 2)).map((m) => `ScalableTarget ${m.id} MinCapacity=${m.min}`)]));
  const minHealthy = dc.MinimumHealthyPercent;
  out.push(minHealthy >= 100
    ? { id: 'AVL-2', status: ControlStatus.EQUIVALENT, evidence: [ev('DeploymentConfiguration.MinimumHealthyPercent', minHealthy) + ' (ECS has no PodDisruptionBudget)'] }
    : { id: 'AVL-2', status: ControlStatus.VIOLATED, evidence: [ev('DeploymentConfiguration.MinimumHealthyPercent', minHealthy)] });
  const rawSubnets = p.NetworkConfiguration?.AwsvpcConfiguration?.Subnets;
  // an intrinsic (e.g. Fn::Split of an imported value) is not a list: its zones are not visible
  const subnets: unknown[] = Array.isArray(rawSubnets) ? rawSubnets : rawSubnets === undefined ? [] : [rawSubnets];
  const azs = new Set(subnets.map((s) => tv.get(tv.target(s))?.Properties?.AvailabilityZone)
    .filter((a) => a !== undefined).map((a) => JSON.stringify(a)));
  const known = subnets.length > 0 && subnets.every((s) => tv.get(tv.target(s))?.Type === 'AWS::EC2::Subnet');
  const spread = (p.PlacementStrategies ?? []).map((s: any) => `${s.Type}:${s.Field}`);
  const rebalance = p.AvailabilityZoneRebalancing;
  if (!known && subnets.length > 0) {
    out.push({
      id: 'AVL-3',
      status: rebalance === 'ENABLED' ? ControlStatus.EXTERNAL : ControlStatus.VIOLATED,
      evidence: [ev('AvailabilityZoneRebalancing', rebalance), `Service ${serviceId}: subnets defined outside this template; their zones are not visible`],
    });
  } else {
    const good = [ev('AvailabilityZoneRebalancing', rebalance), `Service ${serviceId} subnets span ${azs.size} availability zones`, ...spread.map((s: string) => ev('PlacementStrategies', s))];
    out.push(verdict('AVL-3', good, azs.size >= 2 && rebalance === 'ENABLED' ? [] : good.slice(0, 2)));
  }
  const cb = dc.DeploymentCircuitBreaker ?? {};
  const ctrl = p.DeploymentController?.Type ?? 'ECS';
  const rollout = [ev('DeploymentConfiguration', dc), ev('DeploymentController.Type', ctrl)];
  out.push(verdict('AVL-4', rollout, minHealthy >= 100 && dc.MaximumPercent >= 200 && cb.Enable === true && cb.Rollback === true && ctrl === 'ECS' ? [] : rollout));
  const vpc = p.NetworkConfiguration?.AwsvpcConfiguration ?? {};
  out.push(networkFinding(tv, `Service ${serviceId}`, vpc.AssignPublicIp, vpc.SecurityGroups ?? []));
  out.push(insightsFinding(tv, p.Cluster));
  out.push(probeFinding(t, serviceId));
  return out;
}

/** PRB-1: container health checks, and the target groups' health-check paths with a grace period. @internal */
export function probeFinding(t: TaskView, serviceId: string): Finding {
  const tv = t.template;
  const p = tv.get(serviceId)!.Properties ?? {};
  const good: string[] = []; const bad: string[] = [];
  const essential = t.containers.filter(({ c }) => c.Essential !== false && !c.FirelensConfiguration);
  for (const { c, path } of essential) {
    (c.HealthCheck?.Command ? good : bad).push(t.ev(`${path}.HealthCheck.Command`, c.HealthCheck?.Command));
    if (c.HealthCheck) {
      good.push(t.ev(`${path}.HealthCheck.{StartPeriod,Interval,Retries}`, [c.HealthCheck.StartPeriod, c.HealthCheck.Interval, c.HealthCheck.Retries]));
    }
  }
  for (const lb of p.LoadBalancers ?? []) {
    const tg = tv.resolve(lb.TargetGroupArn);
    if (tg) {
      const path = tg.resource.Properties?.HealthCheckPath;
      (path ? good : bad).push(`TargetGroup ${tg.id} HealthCheckPath=${JSON.stringify(path ?? null)}`);
    }
  }
  if ((p.LoadBalancers ?? []).length > 0) {
    const grace = p.HealthCheckGracePeriodSeconds;
    good.push(`Service ${serviceId} HealthCheckGracePeriodSeconds=${grace ?? 0}`);
  }
  return verdict('PRB-1', good, bad);
}
