/* eslint-disable @typescript-eslint/no-explicit-any */
// SEC-2 .. SEC-7: what each container may do to the node (escalation, capabilities, syscalls, filesystem, privilege) and
// which host namespaces, paths and ports the pod reaches.
import { PodView } from './manifest';
import { Finding, verdict } from '../../compliance/finding';

/** The volume types the Pod Security Standards "restricted" profile allows. */
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const CONFINED_SECCOMP = ['RuntimeDefault', 'Localhost'];
const HANDLERS_WITH_HOST = ['httpGet', 'tcpSocket'];

/** Judges one securityContext field on every container: good when `ok` holds for the value the container shows. */
function perContainer(p: PodView, id: string, field: string, ok: (value: any) => boolean, why: string): Finding {
  const good: string[] = []; const bad: string[] = [];
  for (const { c, path } of p.containers) {
    const value = field.split('.').reduce((o: any, k) => (o === undefined || o === null ? undefined : o[k]), c.securityContext);
    const evidence = p.field(`${path}.securityContext.${field}`, value);
    (ok(value) ? good : bad).push(ok(value) ? evidence : `${evidence} (${why})`);
  }
  return verdict(id, good, bad);
}

/**
 * SEC-2. Rule: "Every container (init, regular and ephemeral) sets `securityContext.allowPrivilegeEscalation: false`:
 * enforced. `true` or the field left unset (the runtime then allows escalation): violated, as PSS restricted."
 *
 * @internal
 */
export function privilegeEscalationDisabled(p: PodView): Finding {
  return perContainer(p, 'SEC-2', 'allowPrivilegeEscalation', (value) => value === false, 'must be false');
}

/**
 * SEC-3. Rule: "Every container (init, regular and ephemeral) has `capabilities.drop` containing `ALL` (exactly: the
 * runtime is case-sensitive, `all` drops nothing) and `capabilities.add` empty or only `NET_BIND_SERVICE` (as PSS restricted
 * spells it: `CAP_NET_BIND_SERVICE` is refused like any other name): enforced. Anything else: violated."
 *
 * @internal
 */
export function capabilitiesDropAll(p: PodView): Finding {
  return perContainer(p, 'SEC-3', 'capabilities', (capabilities) => {
    const drop = Array.isArray(capabilities?.drop) ? capabilities.drop : [];
    const add = capabilities?.add === undefined ? [] : capabilities.add;
    return drop.includes('ALL') && Array.isArray(add) && add.every((name: unknown) => name === 'NET_BIND_SERVICE');
  }, 'drop must contain "ALL" and add at most "NET_BIND_SERVICE"');
}

/**
 * SEC-4. Rule: "Every container (init, regular and ephemeral) runs under a seccomp profile of type `RuntimeDefault` or
 * `Localhost`, read from the container's securityContext, else from the pod's: enforced. `Unconfined` at either level (a
 * container's own type overrides the pod's) or no type at all: violated."
 *
 * @internal
 */
export function seccompConfined(p: PodView): Finding {
  const podType = p.spec.securityContext?.seccompProfile?.type;
  const good: string[] = []; const bad: string[] = [];
  for (const { c, path } of p.containers) {
    const ownType = c.securityContext?.seccompProfile?.type;
    const evidence = ownType !== undefined
      ? p.ev(`${path}.securityContext.seccompProfile.type`, ownType)
      : p.field(`${p.specPath}.securityContext.seccompProfile.type`, podType) + ` (inherited by ${path})`;
    const effective = ownType ?? podType;
    (CONFINED_SECCOMP.includes(effective) ? good : bad).push(CONFINED_SECCOMP.includes(effective) ? evidence
      : `${evidence} (needs RuntimeDefault or Localhost)`);
  }
  return verdict('SEC-4', [...new Set(good)], bad);
}

/**
 * SEC-5. Rule: "Every container (init, regular and ephemeral) sets `securityContext.readOnlyRootFilesystem: true`:
 * enforced. `false` or unset: violated."
 *
 * @internal
 */
export function rootFilesystemReadOnly(p: PodView): Finding {
  return perContainer(p, 'SEC-5', 'readOnlyRootFilesystem', (value) => value === true, 'must be true');
}

/**
 * SEC-6. Rule: "No container (init, regular or ephemeral) sets `securityContext.privileged` to anything but false: enforced,
 * with each container's value or `not set`. `privileged: true`: violated."
 *
 * @internal
 */
export function notPrivileged(p: PodView): Finding {
  return perContainer(p, 'SEC-6', 'privileged', (value) => value === undefined || value === false, 'a privileged container has every device and capability of the node');
}

/**
 * SEC-7. Rule: "The pod sets none of `hostNetwork`, `hostPID`, `hostIPC` to true; every volume is of a type PSS restricted
 * allows (configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret; so no hostPath); no
 * container (init, regular or ephemeral) sets a non-zero `ports[*].hostPort`; no probe or lifecycle handler sets `host`:
 * enforced. Any of them: violated, naming the field and value."
 *
 * @internal
 */
export function hostIsolated(p: PodView): Finding {
  const bad: string[] = [];
  const namespaces = ['hostNetwork', 'hostPID', 'hostIPC'].map((field) => p.field(`${p.specPath}.${field}`, p.spec[field]));
  ['hostNetwork', 'hostPID', 'hostIPC'].forEach((field, i) => {
    if (p.spec[field] !== undefined && p.spec[field] !== false) {
      bad.push(namespaces[i]);
    }
  });
  const volumes: any[] = Array.isArray(p.spec.volumes) ? p.spec.volumes : [];
  const volumeTypes = volumes.map((volume: any) => Object.keys(volume ?? {}).filter((k) => k !== 'name'));
  volumeTypes.forEach((types, i) => {
    if (types.length !== 1 || !RESTRICTED_VOLUME_TYPES.includes(types[0])) {
      bad.push(`${p.ev(`${p.specPath}.volumes[${i}]`, types)} (volume type outside the PSS restricted list)`);
    }
  });
  for (const { c, path } of p.containers) {
    (Array.isArray(c.ports) ? c.ports : []).forEach((port: any, i: number) => {
      if (port?.hostPort !== undefined && port.hostPort !== 0) {
        bad.push(p.ev(`${path}.ports[${i}].hostPort`, port.hostPort));
      }
    });
    const handlers: Array<[string, any]> = [
      ...['livenessProbe', 'readinessProbe', 'startupProbe'].map((probe): [string, any] => [probe, c[probe]]),
      ...['postStart', 'preStop'].map((hook): [string, any] => [`lifecycle.${hook}`, c.lifecycle?.[hook]]),
    ];
    for (const [at, handler] of handlers) {
      for (const kind of HANDLERS_WITH_HOST) {
        const host = handler?.[kind]?.host;
        if (host !== undefined && host !== '') {
          bad.push(p.ev(`${path}.${at}.${kind}.host`, host));
        }
      }
    }
  }
  const volumeSummary = p.ev(`${p.specPath}.volumes[*]`, volumeTypes.map((types) => types.join('+')));
  return verdict('SEC-7', [...namespaces, volumeSummary, `${p.kind} ${p.name}: no hostPort, no probe or lifecycle host`], bad);
}
