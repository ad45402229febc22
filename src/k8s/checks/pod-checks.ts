/* eslint-disable @typescript-eslint/no-explicit-any */
import { ControlStatus } from '../../compliance/report-model';
import { hasAcceptableTag, isPinnedReference, SECRET_ENV_NAME_PATTERN as SECRET_NAME } from '../../core/patterns';
import { ANNOTATION_PREFIX } from '../metadata';
import { PodView } from './manifest';
import { Finding, verdict } from '../../compliance/finding';

const MIN_ID = 10000;
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** IMG-1, IMG-2, IMG-3: digest pinning, no `latest`, pull policy. @internal */
export function imageChecks(p: PodView): Finding[] {
  const pinned: string[] = []; const unpinned: string[] = [];
  const tagged: string[] = []; const untagged: string[] = [];
  const always: string[] = []; const notAlways: string[] = [];
  for (const { c, path } of p.containers) {
    const image = String(c.image ?? '');
    (isPinnedReference(image) ? pinned : unpinned).push(p.ev(`${path}.image`, image));
    (hasAcceptableTag(image) ? tagged : untagged).push(p.ev(`${path}.image`, image));
    (c.imagePullPolicy === 'Always' ? always : notAlways).push(p.ev(`${path}.imagePullPolicy`, c.imagePullPolicy ?? null));
  }
  return [verdict('IMG-1', pinned, unpinned), verdict('IMG-2', tagged, untagged), verdict('IMG-3', always, notAlways)];
}

/** IMG-4: OCI provenance mirrored into annotations. @internal */
export function ociProvenanceCheck(p: PodView): Finding {
  const a = p.obj.metadata?.annotations ?? {};
  const keys = ['source', 'revision'].map((k) => `oci.${ANNOTATION_PREFIX}/${k}`);
  if (keys.every((k) => a[k])) {
    return { id: 'IMG-4', status: ControlStatus.ENFORCED, evidence: keys.map((k) => p.ev(`metadata.annotations["${k}"]`, a[k])) };
  }
  return { id: 'IMG-4', status: ControlStatus.EXTERNAL, evidence: [`${p.kind} ${p.name}: no OCI source/revision mirrored; the image's own labels are not visible at synth time`] };
}

/** SEC-1 .. SEC-9 on every container, sidecars included. @internal */
export function securityChecks(p: PodView): Finding[] {
  const s = p.spec; const psc = s.securityContext ?? {};
  const out: Finding[] = [];
  // SEC-1
  const sec1g: string[] = []; const sec1b: string[] = [];
  for (const { c, path } of p.containers) {
    const csc = c.securityContext ?? {};
    const nonRoot = csc.runAsNonRoot ?? psc.runAsNonRoot;
    const user = csc.runAsUser ?? psc.runAsUser;
    const group = csc.runAsGroup ?? psc.runAsGroup;
    const ok = nonRoot === true && typeof user === 'number' && user >= MIN_ID && typeof group === 'number' && group >= MIN_ID;
    (ok ? sec1g : sec1b).push(p.ev(`${path}.securityContext(+pod).{runAsNonRoot,runAsUser,runAsGroup}`, [nonRoot ?? null, user ?? null, group ?? null]));
  }
  out.push(verdict('SEC-1', sec1g, sec1b));
  const perContainer = (id: string, field: string, ok: (csc: any) => boolean, value: (csc: any) => unknown) => {
    const g: string[] = []; const b: string[] = [];
    for (const { c, path } of p.containers) {
      const csc = c.securityContext ?? {};
      (ok(csc) ? g : b).push(p.ev(`${path}.securityContext.${field}`, value(csc) ?? null));
    }
    out.push(verdict(id, g, b));
  };
  perContainer('SEC-2', 'allowPrivilegeEscalation', (c) => c.allowPrivilegeEscalation === false, (c) => c.allowPrivilegeEscalation);
  perContainer('SEC-3', 'capabilities', (c) => (c.capabilities?.drop ?? []).includes('ALL')
    && (c.capabilities?.add ?? []).every((x: string) => x === 'NET_BIND_SERVICE'), (c) => c.capabilities);
  // SEC-4: pod-level or every container
  const podSeccomp = psc.seccompProfile?.type;
  const seccompOk = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const containerSeccomp = (c: any) => c.securityContext?.seccompProfile?.type;
  if (seccompOk(podSeccomp) && p.containers.every(({ c }) => containerSeccomp(c) === undefined || seccompOk(containerSeccomp(c)))) {
    out.push({ id: 'SEC-4', status: ControlStatus.ENFORCED, evidence: [p.ev(`${p.specPath}.securityContext.seccompProfile.type`, podSeccomp)] });
  } else {
    perContainer('SEC-4', 'seccompProfile.type', (c) => seccompOk(c.seccompProfile?.type), (c) => c.seccompProfile?.type ?? podSeccomp);
  }
  perContainer('SEC-5', 'readOnlyRootFilesystem', (c) => c.readOnlyRootFilesystem === true, (c) => c.readOnlyRootFilesystem);
  perContainer('SEC-6', 'privileged', (c) => c.privileged !== true, (c) => c.privileged ?? false);
  out.push(hostIsolation(p));
  out.push(serviceAccountCheck(p));
  out.push(secretEnvCheck(p));
  return out;
}

function hostIsolation(p: PodView): Finding {
  const s = p.spec; const bad: string[] = [];
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (s[f] === true) {
      bad.push(p.ev(`${p.specPath}.${f}`, true));
    }
  }
  (s.volumes ?? []).forEach((v: any, i: number) => {
    if (!RESTRICTED_VOLUMES.some((t) => v[t] !== undefined)) {
      bad.push(p.ev(`${p.specPath}.volumes[${i}]`, Object.keys(v).filter((k) => k !== 'name')));
    }
  });
  for (const { c, path } of p.containers) {
    (c.ports ?? []).forEach((port: any, i: number) => {
      if (port.hostPort) {
        bad.push(p.ev(`${path}.ports[${i}].hostPort`, port.hostPort));
      }
    });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const h = c[probe]?.httpGet?.host ?? c[probe]?.tcpSocket?.host;
      if (h) {
        bad.push(p.ev(`${path}.${probe}.host`, h));
      }
    }
  }
  const volumeTypes = (s.volumes ?? []).map((v: any) => Object.keys(v).find((k) => k !== 'name'));
  return verdict('SEC-7', [p.ev(`${p.specPath}.{hostNetwork,hostPID,hostIPC,hostPort,volumes}`, { hostNamespaces: false, hostPorts: false, volumeTypes })], bad);
}

function serviceAccountCheck(p: PodView): Finding {
  const s = p.spec;
  const ok = s.automountServiceAccountToken === false && typeof s.serviceAccountName === 'string' && s.serviceAccountName !== 'default';
  return verdict('SEC-8', [p.ev(`${p.specPath}.{automountServiceAccountToken,serviceAccountName}`, [false, s.serviceAccountName])],
    ok ? [] : [p.ev(`${p.specPath}.{automountServiceAccountToken,serviceAccountName}`, [s.automountServiceAccountToken ?? null, s.serviceAccountName ?? null])]);
}

function secretEnvCheck(p: PodView): Finding {
  const bad: string[] = []; let refs = 0;
  for (const { c, path } of p.containers) {
    (c.env ?? []).forEach((e: any, i: number) => {
      if (e.valueFrom?.secretKeyRef) {
        refs++;
      } else if (SECRET_NAME.test(e.name) && typeof e.value === 'string' && e.value.length > 0) {
        bad.push(p.ev(`${path}.env[${i}]`, e.name) + ' (literal value of a secret-like variable)');
      }
    });
  }
  return verdict('SEC-9', [`${p.kind} ${p.name}: no literal secret-like env values; ${refs} secretKeyRef reference(s)`], bad);
}

/** RES-1: requests and limits on every container. @internal */
export function resourceCheck(p: PodView): Finding {
  const g: string[] = []; const b: string[] = [];
  for (const { c, path } of p.containers) {
    const r = c.resources ?? {};
    const ok = r.requests?.cpu !== undefined && r.requests?.memory !== undefined && r.limits?.memory !== undefined;
    (ok ? g : b).push(p.ev(`${path}.resources`, r));
  }
  return verdict('RES-1', g, b);
}

/** PRB-1: startup, liveness and readiness probes on the main containers, liveness and readiness different. @internal */
export function probeCheck(p: PodView): Finding {
  const g: string[] = []; const b: string[] = [];
  for (const { c, path } of p.containers.filter((x) => !x.init)) {
    const l = c.livenessProbe; const r = c.readinessProbe;
    const ok = l && r && JSON.stringify(l) !== JSON.stringify(r);
    const value = { startup: c.startupProbe?.httpGet?.path ?? null, liveness: l?.httpGet?.path ?? null, readiness: r?.httpGet?.path ?? null };
    (ok ? g : b).push(p.ev(`${path}.{startupProbe,livenessProbe,readinessProbe}`, value));
  }
  return verdict('PRB-1', g, b);
}

/** META-1 recommended labels and META-2 model provenance. @internal */
export function metadataChecks(p: PodView): Finding[] {
  const labels = p.obj.metadata?.labels ?? {};
  const keys = ['name', 'instance', 'version', 'component', 'part-of', 'managed-by'].map((k) => `app.kubernetes.io/${k}`);
  const missing = keys.filter((k) => !labels[k]);
  const instanceOk = labels['app.kubernetes.io/instance'] === p.name;
  const meta1 = verdict('META-1', [p.ev('metadata.labels', Object.fromEntries(keys.map((k) => [k, labels[k]])))],
    missing.length === 0 && instanceOk ? [] : [p.ev('metadata.labels', { missing, instanceMatchesName: instanceOk })]);
  const a = p.obj.metadata?.annotations ?? {};
  const name = a[`model.${ANNOTATION_PREFIX}/name`]; const version = a[`model.${ANNOTATION_PREFIX}/version`];
  const runId = a[`run.${ANNOTATION_PREFIX}/id`];
  if (!name && runId && (p.kind === 'Job' || p.kind === 'CronJob')) {
    // A training run without a registered model yet is identified by its run ID (Art. 12(2)(a)).
    return [meta1, verdict('META-2', [p.ev(`metadata.annotations["run.${ANNOTATION_PREFIX}/id"]`, runId)], [])];
  }
  const ok = !!name && !!version && String(version).toLowerCase() !== 'latest';
  const meta2 = verdict('META-2', [p.ev(`metadata.annotations["model.${ANNOTATION_PREFIX}/{name,version}"]`, [name, version])],
    ok ? [] : [p.ev(`metadata.annotations["model.${ANNOTATION_PREFIX}/{name,version}"]`, [name ?? null, version ?? null])]);
  return [meta1, meta2];
}
