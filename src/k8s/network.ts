import { k8s } from 'cdk8s-plus-27';
import { requireCidr, requireLabels, requireObjectName } from '../core/bounds';
import { requireInteger } from '../core/errors';

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
    return new NetworkPeer({ podSelector: { matchLabels: { ...requireLabels(undefined, 'NetworkPeer.pods labels', labels) } } }, `pods ${JSON.stringify(labels)}`);
  }

  /**
   * Every pod of the named namespace.
   */
  public static allPodsInNamespace(name: string): NetworkPeer {
    requireObjectName(undefined, 'NetworkPeer.allPodsInNamespace name', name, 'Namespace');
    return new NetworkPeer({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }, `namespace ${name}`);
  }

  /**
   * Pods with these labels in the named namespace.
   */
  public static podsInNamespace(name: string, labels: Record<string, string>): NetworkPeer {
    requireObjectName(undefined, 'NetworkPeer.podsInNamespace name', name, 'Namespace');
    requireLabels(undefined, 'NetworkPeer.podsInNamespace labels', labels);
    return new NetworkPeer({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
      podSelector: { matchLabels: { ...labels } },
    }, `pods ${JSON.stringify(labels)} in namespace ${name}`);
  }

  /**
   * An IP block in CIDR notation, e.g. `10.0.0.0/16` or `fd00::/8`.
   */
  public static cidr(cidr: string): NetworkPeer {
    requireCidr(undefined, 'cidr', cidr);
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
