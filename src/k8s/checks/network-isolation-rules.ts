/* eslint-disable @typescript-eslint/no-explicit-any */
import { Manifest, PodView } from './manifest';
import { K8sObjectIndex } from './object-index';
import { Finding } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';

const DIRECTIONS = [
  { type: 'Ingress', rules: 'ingress', peers: 'from' },
  { type: 'Egress', rules: 'egress', peers: 'to' },
] as const;

/** The policyTypes of a NetworkPolicy as the API defaults them: Ingress always, Egress only when egress rules exist. */
function policyTypesOf(policy: Manifest): string[] {
  const explicit = policy.spec?.policyTypes;
  if (Array.isArray(explicit) && explicit.length > 0) {
    return explicit.map(String);
  }
  return ['Ingress', ...(Array.isArray(policy.spec?.egress) && policy.spec.egress.length > 0 ? ['Egress'] : [])];
}

/** Why a peer admits every peer of the cluster or the internet, or undefined when it names a narrower set. */
function openPeer(peer: any): string | undefined {
  if (!peer || typeof peer !== 'object' || Object.keys(peer).length === 0) {
    return 'an empty peer admits every peer';
  }
  const cidr = peer.ipBlock?.cidr;
  if ((cidr === '0.0.0.0/0' || cidr === '::/0') && !(Array.isArray(peer.ipBlock.except) && peer.ipBlock.except.length > 0)) {
    return `ipBlock ${cidr} without except admits every address`;
  }
  const nsSel = peer.namespaceSelector;
  if (nsSel && peer.podSelector === undefined && Object.keys(nsSel.matchLabels ?? {}).length === 0 && (nsSel.matchExpressions ?? []).length === 0) {
    return 'namespaceSelector {} without podSelector admits every pod of the cluster';
  }
  return undefined;
}

/**
 * NET-1, the verdict rule of src/compliance/verdict-rules.ts: "Every NetworkPolicy of the workload's namespace whose
 * podSelector selects its pod labels counts, ours or foreign ({} selects all); their union decides. Enforced when they
 * restrict Ingress (policyTypes default: always) and Egress (default: only when egress rules exist) and no rule admits every
 * peer: no from/to or an empty list, a peer {}, ipBlock 0.0.0.0/0 or ::/0 without except, or namespaceSelector {} without
 * podSelector (ports do not narrow peers). Otherwise violated, naming each selecting policy and open rule. No selecting policy while
 * an operator renders them at runtime (KubeRay `networkIsolation`): unverified."
 *
 * Policies are looked up in the index by namespace and one matchLabels bucket, then matched in full: selector matching is per
 * policy of the namespace, never a scan of the whole app.
 *
 * @internal
 */
export function networkDefaultDeny(p: PodView, index: K8sObjectIndex, networkPoliciesBy?: string): Finding {
  const ns = p.namespace ?? '';
  const selecting = index.networkPoliciesSelecting(ns, p.templateLabels);
  const names = selecting.map((o) => `NetworkPolicy ${o.metadata?.name}${ns ? ` (namespace ${ns})` : ''} spec.policyTypes=${JSON.stringify(policyTypesOf(o))}`);
  if (selecting.length === 0 && networkPoliciesBy) {
    return { id: 'NET-1', status: ControlStatus.UNVERIFIED, evidence: [`${p.kind} ${p.name}: its NetworkPolicies are rendered at runtime by ${networkPoliciesBy}; they are not in the output`] };
  }
  if (selecting.length === 0) {
    return { id: 'NET-1', status: ControlStatus.VIOLATED, evidence: [`${p.kind} ${p.name}: no NetworkPolicy of namespace ${ns || '(unset)'} selects its pods, so every ingress and egress is allowed`] };
  }
  const bad: string[] = [];
  for (const direction of DIRECTIONS) {
    const restricting = selecting.filter((o) => policyTypesOf(o).includes(direction.type));
    if (restricting.length === 0) {
      bad.push(`${p.kind} ${p.name}: no selecting NetworkPolicy restricts ${direction.type} (${selecting.map((o) => o.metadata?.name).join(', ')} select its pods)`);
      continue;
    }
    for (const policy of restricting) {
      const rules = Array.isArray(policy.spec?.[direction.rules]) ? policy.spec[direction.rules] : [];
      rules.forEach((rule: any, i: number) => {
        const at = `NetworkPolicy ${policy.metadata?.name} spec.${direction.rules}[${i}]`;
        const peers = rule?.[direction.peers];
        if (!Array.isArray(peers) || peers.length === 0) {
          bad.push(`${at}: no ${direction.peers} (or an empty list) admits every peer, so ${direction.type} is not restricted`);
          return;
        }
        peers.forEach((peer: any, j: number) => {
          const why = openPeer(peer);
          if (why) {
            bad.push(`${at}.${direction.peers}[${j}]: ${why}, so ${direction.type} is not restricted`);
          }
        });
      });
    }
  }
  return bad.length > 0 ? { id: 'NET-1', status: ControlStatus.VIOLATED, evidence: [...bad, ...names] } : { id: 'NET-1', status: ControlStatus.ENFORCED, evidence: names };
}
