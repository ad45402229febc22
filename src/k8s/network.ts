import { isIPv4, isIPv6 } from 'net';
import { k8s } from 'cdk8s-plus-27';
import { propError, requireInteger } from '../core/errors';

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * True when `cidr` is an IPv4 block (four decimal octets 0-255 without leading zeros, prefix 0-32) or an IPv6 block
 * (an address `net.isIPv6` accepts, prefix 0-128). Kept local here; a shared bounds module may take it over.
 *
 * @internal
 */
export function isCidr(cidr: string): boolean {
  if (typeof cidr !== 'string') {
    return false;
  }
  const match = /^([^/]+)\/(0|[1-9][0-9]{0,2})$/.exec(cidr);
  if (!match) {
    return false;
  }
  const prefix = Number(match[2]);
  if (isIPv4(match[1])) {
    return prefix <= 32 && match[1].split('.').every((octet) => octet === '0' || !octet.startsWith('0'));
  }
  return isIPv6(match[1]) && !match[1].includes('%') && prefix <= 128;
}

function requireNamespace(name: string): string {
  if (typeof name !== 'string' || name.length > 63 || !NAMESPACE_NAME.test(name)) {
    throw propError(undefined, 'namespace', name, 'is not a namespace name (DNS-1123 label)', 'e.g. logging');
  }
  return name;
}

/**
 * A peer of a network rule: pods, namespaces or an IP block.
 */
export class NetworkPeer {
  /**
   * The cluster DNS pods: label `k8s-app: kube-dns` in namespace `kube-system` (CoreDNS and kube-dns both carry it).
   */
  public static kubeDns(): NetworkPeer {
    return NetworkPeer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' });
  }

  /**
   * Every pod in the workload's own namespace.
   */
  public static sameNamespace(): NetworkPeer {
    return new NetworkPeer({ podSelector: {} }, 'pods in the same namespace');
  }

  /**
   * Pods with these labels in the workload's own namespace.
   */
  public static pods(labels: Record<string, string>): NetworkPeer {
    return new NetworkPeer({ podSelector: { matchLabels: { ...labels } } }, `pods ${JSON.stringify(labels)}`);
  }

  /**
   * Every pod of the named namespace.
   */
  public static allPodsInNamespace(name: string): NetworkPeer {
    requireNamespace(name);
    return new NetworkPeer({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }, `namespace ${name}`);
  }

  /**
   * Pods with these labels in the named namespace.
   */
  public static podsInNamespace(name: string, labels: Record<string, string>): NetworkPeer {
    requireNamespace(name);
    return new NetworkPeer({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
      podSelector: { matchLabels: { ...labels } },
    }, `pods ${JSON.stringify(labels)} in namespace ${name}`);
  }

  /**
   * An IP block in CIDR notation, e.g. `10.0.0.0/16` or `fd00::/8`.
   */
  public static cidr(cidr: string): NetworkPeer {
    if (!isCidr(cidr)) {
      throw propError(undefined, 'cidr', cidr, 'is not an IPv4 CIDR block (octets 0-255, prefix 0-32) or IPv6 CIDR block (prefix 0-128)', 'e.g. 10.0.0.0/16 or fd00::/8');
    }
    return new NetworkPeer({ ipBlock: { cidr } }, `CIDR ${cidr}`);
  }

  /** A description for evidence and docs. */
  public readonly description: string;
  private readonly peer: k8s.NetworkPolicyPeer;

  private constructor(peer: k8s.NetworkPolicyPeer, description: string) {
    this.peer = peer;
    this.description = description;
  }

  /** @internal */
  public _toPeer(): k8s.NetworkPolicyPeer {
    return this.peer;
  }
}

/**
 * An allowed egress destination of a workload.
 */
export interface EgressRule {
  /**
   * Where traffic may go.
   */
  readonly peer: NetworkPeer;

  /**
   * The destination TCP port.
   */
  readonly port: number;
}

/**
 * Renders a NetworkPolicy spec that denies all traffic of the selected pods except: ingress on the serving port from the given
 * peers, egress to the DNS peer on port 53, to the log destination's peer on its port and to the declared rules (NET-1). Every
 * rule names its peer: a rule without `to`/`from` would allow every peer.
 *
 * @internal
 */
export function networkPolicySpec(opts: {
  selector: Record<string, string>;
  ingressPort?: number;
  ingressFrom: NetworkPeer[];
  egress: EgressRule[];
  /** The cluster DNS pods. */
  dnsPeer: NetworkPeer;
  /** The log receiver and its port (sidecar shipping). */
  log?: { peer: NetworkPeer; port: number };
  /** Let the selected pods reach each other on any port (the pods of one distributed training job). */
  amongSelf?: boolean;
}): k8s.NetworkPolicySpec {
  const tcp = (port: number) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' });
  const egress: k8s.NetworkPolicyEgressRule[] = [{
    to: [opts.dnsPeer._toPeer()],
    ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, tcp(53)],
  }];
  if (opts.log) {
    egress.push({ to: [opts.log.peer._toPeer()], ports: [tcp(opts.log.port)] });
  }
  if (opts.amongSelf) {
    egress.push({ to: [{ podSelector: { matchLabels: opts.selector } }] });
  }
  opts.egress.forEach((rule, i) => {
    requireInteger(undefined, `egress[${i}].port`, rule.port, 1, 65535);
    egress.push({ to: [rule.peer._toPeer()], ports: [tcp(rule.port)] });
  });
  return {
    podSelector: { matchLabels: opts.selector },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      ...(opts.ingressPort === undefined || opts.ingressFrom.length === 0 ? [] : [{
        from: opts.ingressFrom.map((p) => p._toPeer()),
        ports: [tcp(opts.ingressPort)],
      }]),
      ...(opts.amongSelf ? [{ from: [{ podSelector: { matchLabels: opts.selector } }] }] : []),
    ],
    egress,
  };
}
