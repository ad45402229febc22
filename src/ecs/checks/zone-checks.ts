/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnList, fieldText } from './cfn-values';
import { ServiceRef, TaskView } from './task-view';
import { TemplateView, flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';

/** A zone as the template names it: kind (literal name, zone ID, or an index into Fn::GetAZs) and key. */
interface Zone {
  readonly kind: string;
  readonly key: string;
  readonly label: string;
}

/** The zone of a subnet, or undefined when the template does not say which zone it is. */
function zoneOf(subnet: Record<string, any>): Zone | undefined {
  const az = subnet.AvailabilityZone;
  if (typeof az === 'string') {
    return { kind: 'name', key: az, label: az };
  }
  if (typeof subnet.AvailabilityZoneId === 'string') {
    return { kind: 'id', key: subnet.AvailabilityZoneId, label: subnet.AvailabilityZoneId };
  }
  const select = az?.['Fn::Select'];
  if (Array.isArray(select) && typeof select[0] !== 'object' && select[1]?.['Fn::GetAZs'] !== undefined) {
    const region = JSON.stringify(select[1]['Fn::GetAZs']);
    return { kind: `getazs:${region}`, key: String(select[0]), label: `Fn::GetAZs[${select[0]}]` };
  }
  return undefined;
}

/** A resource of a type that a value targets by `Ref`/`Fn::GetAtt`. */
function targetOfType(template: TemplateView, value: unknown, type: string): { id: string; props: Record<string, any> } | undefined {
  const found = template.resolve(value);
  return found?.resource.Type === type ? { id: found.id, props: found.resource.Properties ?? {} } : undefined;
}

/** The route table of a subnet (through a `SubnetRouteTableAssociation`), if the template has one. */
function routeTableOf(template: TemplateView, subnetId: string): string | undefined {
  const association = template.idsOfType('AWS::EC2::SubnetRouteTableAssociation')
    .find((id) => template.target(template.get(id)!.Properties?.SubnetId) === subnetId);
  return association ? template.target(template.get(association)!.Properties?.RouteTableId) : undefined;
}

/** The `0.0.0.0/0` route of a route table. */
function defaultRoute(template: TemplateView, routeTableId: string): { id: string; props: Record<string, any> } | undefined {
  const id = template.idsOfType('AWS::EC2::Route').find((routeId) => {
    const props = template.get(routeId)!.Properties ?? {};
    return template.target(props.RouteTableId) === routeTableId && props.DestinationCidrBlock === '0.0.0.0/0';
  });
  return id ? { id, props: template.get(id)!.Properties ?? {} } : undefined;
}

/** The AWS services the task needs without a NAT gateway: the registry API and layers, logs, secrets. */
function neededEndpoints(task: TaskView): { services: string[]; nonEcrImages: string[] } {
  const images = task.containers.map(({ container }) => flatten(container.Image));
  const nonEcrImages = images.filter((image) => !/\.dkr\.ecr\.[^/]+\.(amazonaws\.com(\.cn)?|\$\{AWS::URLSuffix\})\//.test(image));
  const services = ['ecr.api', 'ecr.dkr'];
  if (task.containers.some(({ container }) => container.LogConfiguration?.LogDriver === 'awslogs')) {
    services.push('logs');
  }
  const secretSources = task.containers.flatMap(({ container }) => (cfnList(container.Secrets) ?? []).map((s: any) => s?.ValueFrom));
  const isSecretsManager = (v: unknown) => /:secretsmanager:/.test(flatten(v))
    || task.template.get(task.template.target(v))?.Type === 'AWS::SecretsManager::Secret';
  if (secretSources.some(isSecretsManager)) {
    services.push('secretsmanager');
  }
  if (secretSources.some((v) => !isSecretsManager(v))) {
    services.push('ssm');
  }
  return { services, nonEcrImages };
}

/** What a subnet without an in-zone NAT gateway misses to pull and log through VPC endpoints of its own zone. */
function missingEndpoints(template: TemplateView, task: TaskView, subnet: Record<string, any>, zone: Zone, routeTableId: string): string[] {
  const vpc = template.target(subnet.VpcId);
  const endpoints = template.idsOfType('AWS::EC2::VPCEndpoint').map((id) => template.get(id)!.Properties ?? {})
    .filter((e) => template.target(e.VpcId) === vpc);
  const { services, nonEcrImages } = neededEndpoints(task);
  const inZone = (e: Record<string, any>) => (cfnList(e.SubnetIds) ?? []).some((s) => {
    const other = targetOfType(template, s, 'AWS::EC2::Subnet');
    const otherZone = other && zoneOf(other.props);
    return otherZone?.kind === zone.kind && otherZone.key === zone.key;
  });
  const missing = services.filter((service) => !endpoints.some((e) => e.VpcEndpointType === 'Interface'
    && flatten(e.ServiceName).endsWith(`.${service}`) && inZone(e)));
  const s3Gateway = endpoints.some((e) => (e.VpcEndpointType ?? 'Gateway') === 'Gateway' && flatten(e.ServiceName).endsWith('.s3')
    && (cfnList(e.RouteTableIds) ?? []).some((rt) => template.target(rt) === routeTableId));
  return [
    ...missing.map((service) => `an interface endpoint for ${service} in ${zone.label}`),
    ...(s3Gateway ? [] : ['the S3 gateway endpoint on its route table']),
    ...nonEcrImages.map((image) => `internet access for ${image} (not an ECR image)`),
  ];
}

/**
 * AVL-3: "The service's subnets are subnets of this template in at least two zones, `AvailabilityZoneRebalancing` is ENABLED
 * (off Fargate also a `PlacementStrategies` spread on attribute:ecs.availability-zone), and each task subnet's egress stays in
 * its own zone: its route table's 0.0.0.0/0 route goes to a NAT gateway in a public subnet of the same zone, or (no NAT route)
 * the VPC has interface endpoints with a subnet in that zone for ecr.api, ecr.dkr, logs (and secretsmanager/ssm when secrets
 * are used) plus the S3 gateway endpoint on its route table and every image comes from ECR → enforced. Fewer zones, rebalancing
 * not set, or a subnet whose egress depends on another zone (one NAT gateway for all subnets: evidence names the NAT and the
 * subnets) → violated; subnets, zones, route tables or NAT gateways outside the template → unverified."
 *
 * @internal
 */
export function zoneSpreadCheck(task: TaskView, service: ServiceRef): Finding {
  const template = task.template;
  const at = (path: string, value: unknown) => `Service ${service.id} ${fieldText(path, value)}`;
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  const rebalance = service.props.AvailabilityZoneRebalancing;
  (rebalance === 'ENABLED' ? good : bad).push(at('AvailabilityZoneRebalancing', rebalance));
  if (task.launch !== 'fargate') {
    const spread = (cfnList(service.props.PlacementStrategies) ?? []).some((s: any) => s?.Type === 'spread' && s?.Field === 'attribute:ecs.availability-zone');
    (spread ? good : task.launch === 'ec2' ? bad : unknown).push(at('PlacementStrategies', service.props.PlacementStrategies));
  }
  const awsvpc = service.props.NetworkConfiguration?.AwsvpcConfiguration;
  const subnets = cfnList(awsvpc?.Subnets);
  if (subnets === undefined || subnets.length === 0) {
    unknown.push(`${at('NetworkConfiguration.AwsvpcConfiguration.Subnets', awsvpc?.Subnets)}: the zones are not visible`);
    return verdict('AVL-3', good, bad, unknown);
  }
  const zones = new Map<string, Zone>();
  const natUsers = new Map<string, string[]>();
  let zoneless = 0;
  for (const value of subnets) {
    const subnet = targetOfType(template, value, 'AWS::EC2::Subnet');
    const zone = subnet && zoneOf(subnet.props);
    if (!subnet || !zone) {
      zoneless++;
      unknown.push(`Service ${service.id} subnet ${flatten(value)} ${subnet ? 'has no zone the template names' : 'is outside this template'}`);
      continue;
    }
    zones.set(`${zone.kind}|${zone.key}`, zone);
    const name = `Subnet ${subnet.id} (${zone.label})`;
    const routeTableId = routeTableOf(template, subnet.id);
    if (!routeTableId || !template.get(routeTableId)) {
      unknown.push(`${name}: its route table is outside this template (the VPC's main route table applies)`);
      continue;
    }
    const route = defaultRoute(template, routeTableId);
    const nat = route && targetOfType(template, route.props.NatGatewayId, 'AWS::EC2::NatGateway');
    if (route?.props.NatGatewayId !== undefined && !nat) {
      unknown.push(`${name}: route ${route.id} goes to NAT gateway ${flatten(route.props.NatGatewayId)} outside this template`);
      continue;
    }
    if (nat) {
      const natSubnet = targetOfType(template, nat.props.SubnetId, 'AWS::EC2::Subnet');
      const natZone = natSubnet && zoneOf(natSubnet.props);
      const natTable = natSubnet && routeTableOf(template, natSubnet.id);
      const publicRoute = natTable ? defaultRoute(template, natTable)?.props.GatewayId !== undefined : false;
      natUsers.set(nat.id, [...natUsers.get(nat.id) ?? [], name]);
      if (!natZone) {
        unknown.push(`${name}: NAT gateway ${nat.id} is in a subnet whose zone the template does not name`);
      } else if (natZone.kind !== zone.kind || natZone.key !== zone.key) {
        bad.push(`${name} routes 0.0.0.0/0 (route table ${routeTableId}) to NAT gateway ${nat.id} in ${natZone.label}: its egress depends on another zone`);
      } else if (!publicRoute) {
        bad.push(`${name}: NAT gateway ${nat.id} is in subnet ${natSubnet!.id}, which has no route to an internet gateway`);
      } else {
        good.push(`${name} routes 0.0.0.0/0 (route table ${routeTableId}) to NAT gateway ${nat.id} in public subnet ${natSubnet!.id} of the same zone`);
      }
      continue;
    }
    if (route && route.props.GatewayId === undefined) {
      unknown.push(`${name}: route ${route.id} goes to ${flatten(route.props.TransitGatewayId ?? route.props.NetworkInterfaceId ?? route.props.InstanceId ?? route.props.VpcPeeringConnectionId)}, a target this check cannot follow`);
      continue;
    }
    const missing = missingEndpoints(template, task, subnet.props, zone, routeTableId);
    (missing.length === 0 ? good : bad).push(missing.length === 0
      ? `${name} has no NAT route; VPC endpoints in its zone serve the image pull, logs and secrets`
      : `${name} has no NAT gateway in its zone and lacks ${missing.join(', ')}`);
  }
  for (const [natId, users] of natUsers) {
    if (users.length > 1 && bad.some((b) => b.includes(`NAT gateway ${natId} in`))) {
      bad.push(`NAT gateway ${natId} carries the egress of ${users.join(', ')}: one zone's outage stops image pulls and logs in all of them`);
    }
  }
  const kinds = new Set([...zones.values()].map((z) => z.kind));
  if (zoneless > 0) {
    // the zones of the other subnets are not visible: the count proves nothing either way
  } else if (kinds.size > 1) {
    unknown.push(`Service ${service.id} subnets name zones in different forms (${[...zones.values()].map((z) => z.label).join(', ')}); whether they differ is not visible`);
  } else {
    (zones.size >= 2 ? good : bad).push(`Service ${service.id} subnets span ${zones.size} zone(s): ${[...zones.values()].map((z) => z.label).join(', ')}`);
  }
  return verdict('AVL-3', good, bad, unknown);
}
