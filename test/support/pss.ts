/* eslint-disable @typescript-eslint/no-explicit-any */
// The Pod Security Standards "restricted" profile (kubernetes.io/docs/concepts/security/pod-security-standards), as a test oracle:
// baseline (host namespaces, privileged, capabilities, hostPath, hostPorts, probe hosts, seccomp not Unconfined, procMount,
// sysctls, SELinux, AppArmor) plus restricted (volume types, allowPrivilegeEscalation=false, runAsNonRoot, runAsUser != 0,
// seccomp RuntimeDefault/Localhost, drop ALL and add only NET_BIND_SERVICE).
const VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

export function podSpecOf(doc: any): any | undefined {
  switch (doc.kind) {
    case 'Pod': return doc.spec;
    case 'CronJob': return doc.spec.jobTemplate.spec.template.spec;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'Job': return doc.spec.template.spec;
    default: return undefined;
  }
}

export function pssRestrictedViolations(doc: any): string[] {
  const spec = podSpecOf(doc);
  if (!spec) {
    return [];
  }
  const v: string[] = [];
  const psc = spec.securityContext ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f]) v.push(`${f}`);
  }
  for (const vol of spec.volumes ?? []) {
    if (!VOLUME_TYPES.some((t) => vol[t] !== undefined)) v.push(`volume ${vol.name} type`);
  }
  if (psc.sysctls?.length) v.push('sysctls');
  const podSeccomp = psc.seccompProfile?.type;
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of all) {
    const sc = c.securityContext ?? {};
    const n = `container ${c.name}`;
    if (sc.privileged) v.push(`${n} privileged`);
    if (sc.allowPrivilegeEscalation !== false) v.push(`${n} allowPrivilegeEscalation`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) v.push(`${n} runAsNonRoot`);
    if (sc.runAsUser === 0 || (sc.runAsUser === undefined && psc.runAsUser === 0)) v.push(`${n} runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v.push(`${n} seccomp`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) v.push(`${n} drop ALL`);
    if ((sc.capabilities?.add ?? []).some((x: string) => x !== 'NET_BIND_SERVICE')) v.push(`${n} capabilities.add`);
    if (sc.procMount && sc.procMount !== 'Default') v.push(`${n} procMount`);
    for (const p of c.ports ?? []) if (p.hostPort) v.push(`${n} hostPort`);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (c[probe]?.httpGet?.host || c[probe]?.tcpSocket?.host) v.push(`${n} ${probe} host`);
    }
  }
  return v;
}
