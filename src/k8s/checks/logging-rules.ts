/* eslint-disable @typescript-eslint/no-explicit-any */
import { PodView } from './manifest';
import { K8sObjectIndex } from './object-index';
import { ControlScope } from '../../compliance/control';
import { Finding } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { renderedDigest } from '../../core/patterns';
import { scanFinding } from '../../core/scan-validation';
import { signatureFinding } from '../image-signature-policy';
import { LOG_SHIPPING_ANNOTATION } from '../metadata';

/** The digests the pod's images are pinned by. */
function imageDigests(p: PodView): string[] {
  return p.containers.flatMap(({ c }) => renderedDigest(String(c.image ?? '')) ?? []);
}

/**
 * LOG-1..4, MON-1 and REG-1..3: shipping in the pod, the rest environment concerns, except REG-2 when the workload records a
 * vulnerability scan in its annotations and REG-3 when a signature policy of the app (`index`) covers its images. @internal
 */
export function loggingChecks(p: PodView, scope: ControlScope, index: K8sObjectIndex): Finding[] {
  const mode = p.obj.metadata?.annotations?.[LOG_SHIPPING_ANNOTATION];
  const sidecar = p.containers.find(({ c, init }) => init && c.restartPolicy === 'Always' && c.name === 'log-shipper');
  let log1: Finding;
  if (mode?.startsWith('sidecar') && sidecar) {
    log1 = { id: 'LOG-1', status: ControlStatus.ENFORCED, evidence: [p.ev(`${sidecar.path}.{image,restartPolicy}`, [sidecar.c.image, 'Always']), p.ev(`metadata.annotations["${LOG_SHIPPING_ANNOTATION}"]`, mode)] };
  } else {
    log1 = { id: 'LOG-1', status: ControlStatus.EXTERNAL, evidence: [`${p.kind} ${p.name}: stdout/stderr are collected by the cluster's node agent${mode ? ` (${mode})` : ''}; not visible in the manifests`] };
  }
  const dest = mode ? `the log destination (${mode})` : 'the cluster log backend';
  const out: Finding[] = [
    log1,
    { id: 'LOG-2', status: ControlStatus.EXTERNAL, evidence: [`retention (>= 184 days) is set by ${dest}`] },
    { id: 'LOG-3', status: ControlStatus.EXTERNAL, evidence: [`encryption and access control are set by ${dest}`] },
    { id: 'MON-1', status: ControlStatus.EXTERNAL, evidence: ['metrics scraping (ServiceMonitor/PodMonitor) and dashboards belong to the cluster'] },
    { id: 'REG-1', status: ControlStatus.EXTERNAL, evidence: ['tag immutability is a registry setting'] },
    scanFinding(p.obj.metadata?.annotations ?? {}, imageDigests(p), (k, v) => p.ev(`metadata.annotations["${k}"]`, v))
      ?? { id: 'REG-2', status: ControlStatus.EXTERNAL, evidence: ['vulnerability scanning is a registry/CI setting'] },
    signatureFinding(p, index),
  ];
  if (scope === ControlScope.SERVICE) {
    const env = p.containers.filter((x) => !x.init).flatMap(({ c, path }) => (c.env ?? []).map((e: any) => ({ e, path })));
    const sink = env.find(({ e }) => e.name === 'INFERENCE_LOG_PATH');
    out.push(sink
      ? { id: 'LOG-4', status: ControlStatus.ENFORCED, evidence: [p.ev(`${sink.path}.env[INFERENCE_LOG_PATH]`, sink.e.value)] }
      : { id: 'LOG-4', status: ControlStatus.EXTERNAL, evidence: [`${p.kind} ${p.name}: no inference-record sink declared (INFERENCE_LOG_PATH)`] });
  }
  return out;
}

