import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { EditableTemplate, compliantJob, compliantService, controlsOf, expectBroken, handEdited } from './support';
import { ControlStatus } from '../../../src/compliance';

const { VIOLATED, UNVERIFIED, ENFORCED } = ControlStatus;
type Edit = (t: EditableTemplate) => void;

/** The logical ID of the tasks' security group. */
const taskGroupOf = (t: EditableTemplate) => t.service.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups[0]['Fn::GetAtt'][0] as string;
const taskGroup = (t: EditableTemplate) => t.template.Resources![taskGroupOf(t)].Properties!;

describe('NET-1: no public IP, no open ingress, explicit egress only on HTTPS to anywhere', () => {
  test('compliant evidence lists the group and its egress', () => {
    expect(controlsOf(compliantService().service)['NET-1']).toMatchObject({
      status: ENFORCED, evidence: expect.arrayContaining([expect.stringMatching(/SecurityGroup ScorerSecurityGroup\w+: 0 ingress rule\(s\), none from anywhere; 1 explicit egress rule\(s\): tcp 443-443 to 0\.0\.0\.0\/0/)]),
    });
  });
  test('fails when a foreign SecurityGroupIngress in the stack opens our service\'s group to 0.0.0.0/0', () => {
    const { service } = compliantService((s, stack) => new ec2.CfnSecurityGroupIngress(stack, 'OpenToTheWorld', {
      groupId: s.securityGroup.securityGroupId, ipProtocol: 'tcp', fromPort: 8080, toPort: 8080, cidrIp: '0.0.0.0/0',
    }));
    expectBroken(controlsOf(service)['NET-1'], VIOLATED, /SecurityGroupIngress OpenToTheWorld ingress from 0\.0\.0\.0\/0 on tcp 8080-8080/);
  });
  test('fails when the L2 security group gets an ingress rule from anywhere', () => {
    const { service } = compliantService((s) => s.securityGroup.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(8080)));
    expectBroken(controlsOf(service)['NET-1'], VIOLATED, /SecurityGroupIngress\[0\] ingress from ::\/0 on tcp 8080-8080/);
  });
  test('fails when an escape hatch assigns a public IP', () => {
    const { service } = compliantService((s) => (s.service.node.defaultChild as awsecs.CfnService)
      .addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp', 'ENABLED'));
    expectBroken(controlsOf(service)['NET-1'], VIOLATED, /AssignPublicIp="ENABLED"/);
  });
  test('fails when a foreign job security group rule opens our training job', () => {
    const { job } = compliantJob((j, stack) => new ec2.CfnSecurityGroupIngress(stack, 'Ssh', { groupId: j.securityGroup.securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' }));
    expectBroken(controlsOf(job)['NET-1'], VIOLATED, /SecurityGroupIngress Ssh ingress from 0\.0\.0\.0\/0 on tcp 22-22/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['the explicit egress removed (AWS adds allow-all)', (t) => { delete taskGroup(t).SecurityGroupEgress; }, VIOLATED, /SecurityGroupEgress is not set: AWS adds an allow-all egress rule/],
    ['all traffic to anywhere', (t) => { taskGroup(t).SecurityGroupEgress = [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }]; }, VIOLATED, /egress of all traffic to 0\.0\.0\.0\/0/],
    ['a foreign egress resource on SSH to anywhere', (t) => t.add('Out', {
      Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: { 'Fn::GetAtt': [taskGroupOf(t), 'GroupId'] }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' },
    }), VIOLATED, /SecurityGroupEgress Out egress to 0\.0\.0\.0\/0 on tcp 22-22: only TCP 443 may go anywhere/],
    ['no security group (the VPC default)', (t) => { delete t.service.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups; }, VIOLATED, /SecurityGroups is not set: the VPC default security group applies/],
    ['an imported security group', (t) => { t.service.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups = [{ 'Fn::ImportValue': 'shared-sg' }]; }, UNVERIFIED, /SecurityGroup \$\{Fn::ImportValue\} is outside this template/],
    ['a public IP from a parameter', (t) => { t.service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = { Ref: 'Public' }; }, UNVERIFIED, /AssignPublicIp=\$\{Public\}/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['NET-1'], status, evidence);
  });
});

describe('AVL-3: >= 2 zones, rebalancing on, and each task subnet\'s egress in its own zone', () => {
  /** The two task subnets of our service and their route tables. */
  const taskSubnets = (t: EditableTemplate) =>
    (t.service.NetworkConfiguration.AwsvpcConfiguration.Subnets as Array<{ Ref: string }>).map((s) => s.Ref);
  const routeOf = (t: EditableTemplate, subnet: string) => {
    const association = t.resourcesOf('AWS::EC2::SubnetRouteTableAssociation').find(([, p]) => p.SubnetId.Ref === subnet)!;
    return t.resourcesOf('AWS::EC2::Route').find(([, p]) => p.RouteTableId.Ref === association[1].RouteTableId.Ref)!;
  };

  test('compliant evidence proves each task subnet routes to the NAT gateway of its own zone', () => {
    const evidence = controlsOf(compliantService().service)['AVL-3'].evidence.join('\n');
    expect(evidence.match(/Subnet CompliantMlNetworkVpctasksSubnet\d\w+ \(dummy1[ab]\) routes 0\.0\.0\.0\/0 \(route table \w+\) to NAT gateway \w+ in public subnet \w+ of the same zone/g)).toHaveLength(2);
    expect(evidence).toMatch(/subnets span 2 zone\(s\): dummy1a, dummy1b/);
  });

  test('fails when a bring-your-own cluster\'s VPC has one NAT gateway for every private subnet', () => {
    const { service } = compliantService(undefined, (stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      return { cluster: new awsecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: awsecs.ContainerInsights.ENABLED }) };
    });
    expectBroken(controlsOf(service)['AVL-3'], VIOLATED, /NAT gateway VpcPublicSubnet1NATGateway\w+ carries the egress of Subnet VpcPrivateSubnet1\w+ \(dummy1a\), Subnet VpcPrivateSubnet2\w+ \(dummy1b\)/);
  });

  test('passes through VPC endpoints in each zone with an ECR image and no NAT, and fails naming the missing endpoint', () => {
    const endpoints = (withLogs: boolean) => compliantService(undefined, (stack) => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'tasks', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      for (const [id, endpoint] of [['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR], ['EcrDkr', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
        ...(withLogs ? [['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS]] : [])] as Array<[string, ec2.InterfaceVpcEndpointAwsService]>) {
        vpc.addInterfaceEndpoint(id, { service: endpoint });
      }
      return { cluster: new awsecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: awsecs.ContainerInsights.ENABLED }), vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } };
    });
    expect(controlsOf(endpoints(true).service)['AVL-3']).toMatchObject({
      status: ENFORCED, evidence: expect.arrayContaining([expect.stringMatching(/has no NAT route; VPC endpoints in its zone serve the image pull, logs and secrets/)]),
    });
    expectBroken(controlsOf(endpoints(false).service)['AVL-3'], VIOLATED, /has no NAT gateway in its zone and lacks an interface endpoint for logs in dummy1a/);
  });

  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['a second route table points at the first zone\'s NAT', (t) => {
      const [first, second] = taskSubnets(t);
      routeOf(t, second)[1].NatGatewayId = routeOf(t, first)[1].NatGatewayId;
    }, VIOLATED, /Subnet CompliantMlNetworkVpctasksSubnet2\w+ \(dummy1b\) routes 0\.0\.0\.0\/0 .* to NAT gateway \w+ in dummy1a: its egress depends on another zone/],
    ['rebalancing removed', (t) => { delete t.service.AvailabilityZoneRebalancing; }, VIOLATED, /AvailabilityZoneRebalancing is not set/],
    ['one subnet only', (t) => { t.service.NetworkConfiguration.AwsvpcConfiguration.Subnets.pop(); }, VIOLATED, /subnets span 1 zone\(s\)/],
    ['imported subnets', (t) => { t.service.NetworkConfiguration.AwsvpcConfiguration.Subnets = { 'Fn::Split': [',', { 'Fn::ImportValue': 's' }] }; }, UNVERIFIED, /Subnets=\$\{Fn::Split\}: the zones are not visible/],
    ['the route table association removed (the main route table applies)', (t) => {
      const [first] = taskSubnets(t);
      const [id] = t.resourcesOf('AWS::EC2::SubnetRouteTableAssociation').find(([, p]) => p.SubnetId.Ref === first)!;
      delete t.template.Resources![id];
    }, UNVERIFIED, /its route table is outside this template/],
    ['a NAT gateway outside the template', (t) => { routeOf(t, taskSubnets(t)[0])[1].NatGatewayId = 'nat-0abc'; }, UNVERIFIED, /goes to NAT gateway nat-0abc outside this template/],
    ['the NAT gateway moved into a private subnet of the same zone', (t) => {
      const [first] = taskSubnets(t);
      const natId = routeOf(t, first)[1].NatGatewayId.Ref;
      t.template.Resources![natId].Properties!.SubnetId = { Ref: first };
    }, VIOLATED, /NAT gateway \w+ is in subnet CompliantMlNetworkVpctasksSubnet1\w+, which has no route to an internet gateway/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['AVL-3'], status, evidence);
  });
});

describe('NET-1: a peer given at deploy time may be anywhere', () => {
  test('fails (unverified) when a foreign ingress rule takes its CIDR from a parameter', () => {
    const controls = handEdited('service', (t) => t.add('FromParameter', {
      Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': [taskGroupOf(t), 'GroupId'] }, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: { Ref: 'ClientCidr' } },
    }));
    expectBroken(controls['NET-1'], UNVERIFIED, /SecurityGroupIngress FromParameter peer \$\{ClientCidr\} is given at deploy time/);
  });
  test('compliant: a peer that is the VPC\'s own CIDR attribute', () => {
    const controls = handEdited('service', (t) => t.add('FromVpc', {
      Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': [taskGroupOf(t), 'GroupId'] }, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: { 'Fn::GetAtt': [t.idOf('AWS::EC2::VPC'), 'CidrBlock'] } },
    }));
    expect(controls['NET-1'].status).toBe(ENFORCED);
  });
});
