/* eslint-disable @typescript-eslint/no-explicit-any */
import { describeOutput, FluentBitSection, parseFluentBitConfig, sectionValue, shippingOutputs } from './fluent-bit-config';
import { PodView } from './manifest';
import { K8sObjectIndex, namespaceOf } from './object-index';
import { ControlScope } from '../../compliance/control';
import { Finding } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { renderedDigest } from '../../core/patterns';
import { scanFinding } from '../../core/scan-validation';
import { signatureFinding } from '../image-signature-policy';
import { STDIO_CAPTURE_SCRIPT } from '../pod-template';

type PodContainer = PodView['containers'][number];

/** What the pod's log shipper is shown to do by the output. */
type ShipperVerdict =
  | { kind: 'none' }
  | { kind: 'unverified'; evidence: string[] }
  | { kind: 'no-output'; evidence: string[] }
  | { kind: 'ships'; shipper: PodContainer; outputs: FluentBitSection[]; directories: string[]; evidence: string[] };

/** The digests the pod's images are pinned by. */
function imageDigests(p: PodView): string[] {
  return p.containers.flatMap(({ c }) => renderedDigest(String(c.image ?? '')) ?? []);
}

/** A Fluent Bit container running for the pod's lifetime (a native sidecar or a regular container), by image or by our name. */
function shipperCandidates(p: PodView): PodContainer[] {
  return p.longRunning.filter(({ c }) => /fluent-?bit/i.test(String(c.image ?? '')) || c.name === 'log-shipper');
}

/** The ConfigMap names a container mounts (configMap volumes and configMap sources of projected volumes). */
function mountedConfigMaps(p: PodView, container: any): string[] {
  const volumes: any[] = p.spec.volumes ?? [];
  return (container.volumeMounts ?? []).flatMap((m: any) => {
    const volume = volumes.find((v) => v?.name === m?.name);
    return [volume?.configMap?.name, ...(volume?.projected?.sources ?? []).map((s: any) => s?.configMap?.name)].filter((n): n is string => typeof n === 'string');
  });
}

/** The directories an app container shares with the shipper and the shipper's tail input reads (`<dir>/*.log`). */
function shippedDirectories(p: PodView, shipper: any, tailPaths: string[]): string[] {
  const apps = p.containers.filter((x) => !x.init && x.c !== shipper);
  const dirs: string[] = [];
  for (const mount of shipper.volumeMounts ?? []) {
    const shared = apps.some(({ c }) => (c.volumeMounts ?? []).some((m: any) => m?.name === mount?.name && m?.mountPath === mount?.mountPath));
    if (shared && tailPaths.includes(`${mount.mountPath}/*.log`)) {
      dirs.push(mount.mountPath);
    }
  }
  return dirs;
}

/**
 * The shipper of the pod is shown to ship when a Fluent Bit container mounts a ConfigMap that is among the evaluated objects,
 * whose configuration has an `[OUTPUT]` sending records out of the pod; the ConfigMap not in the output (or its content behind
 * an `@INCLUDE`) is `unverified`. A container named log-shipper proves nothing by itself.
 */
function logShipper(p: PodView, index: K8sObjectIndex): ShipperVerdict {
  const candidates = shipperCandidates(p);
  if (candidates.length === 0) {
    return { kind: 'none' };
  }
  const unknown: string[] = [];
  const noOutput: string[] = [];
  for (const shipper of candidates) {
    for (const name of mountedConfigMaps(p, shipper.c)) {
      const configMap = index.configMap(namespaceOf(p.obj), name);
      if (!configMap) {
        unknown.push(`${p.kind} ${p.name} ${shipper.path} mounts ConfigMap ${name}, which is not among the evaluated objects: what it ships cannot be read`);
        continue;
      }
      for (const [file, text] of Object.entries(configMap.data ?? {})) {
        const config = parseFluentBitConfig(String(text));
        const outputs = shippingOutputs(config);
        if (outputs.length === 0) {
          (config.commands.length > 0 ? unknown : noOutput).push(`ConfigMap ${name} ${file}: no [OUTPUT] that leaves the pod${config.commands.length > 0 ? ` (besides ${config.commands.join(', ')})` : ''}`);
          continue;
        }
        const tailPaths = config.sections.filter((s) => s.name === 'INPUT' && sectionValue(s, 'Name')?.toLowerCase() === 'tail').map((s) => sectionValue(s, 'Path') ?? '');
        const directories = shippedDirectories(p, shipper.c, tailPaths);
        if (directories.length === 0) {
          noOutput.push(`ConfigMap ${name} ${file}: its tail input (${tailPaths.join(', ') || 'none'}) reads no directory shared with the app containers`);
          continue;
        }
        return {
          kind: 'ships',
          shipper,
          outputs,
          directories,
          evidence: [p.ev(`${shipper.path}.{image,restartPolicy}`, [shipper.c.image, shipper.c.restartPolicy ?? null]),
            `ConfigMap ${name} ${file}: tail ${directories.map((d) => `${d}/*.log`).join(', ')} -> ${outputs.map(describeOutput).join(', ')}`],
        };
      }
    }
  }
  if (unknown.length > 0) {
    return { kind: 'unverified', evidence: unknown };
  }
  return { kind: 'no-output', evidence: noOutput.length > 0 ? noOutput : [`${p.kind} ${p.name}: the log shipper mounts no configuration`] };
}

/** An app container whose stdout and stderr the library's wrapper appends to `$LOG_DIR/std{out,err}.log` in a shipped directory. */
function stdioCaptured(container: any, directories: string[]): boolean {
  const command: unknown[] = container.command ?? [];
  const logDir = (container.env ?? []).find((e: any) => e?.name === 'LOG_DIR');
  return ['/bin/sh', 'sh'].includes(String(command[0])) && command[1] === '-c' && command[2] === STDIO_CAPTURE_SCRIPT && command.length > 4
    && typeof logDir?.value === 'string' && logDir.valueFrom === undefined && directories.includes(logDir.value);
}

/**
 * LOG-1 (Kubernetes), the verdict rule:
 * "`enforced` when a log-shipping sidecar of the pod (a Fluent Bit container) mounts a ConfigMap that is among the evaluated
 * objects, whose configuration has an `[OUTPUT]` leaving the pod and tails a directory shared with the app containers, and
 * every app container's stdout/stderr are routed into that directory by the library's wrapper (`captureStdio`). A sidecar that
 * ships only files is `external` for stdout/stderr, with the action (deploy a node agent shipping to the named destination) and
 * the shipped files as evidence; no shipper, or one whose configuration ships nothing, is `external` (node agent); a container
 * named log-shipper proves nothing by itself. The shipper's ConfigMap not among the evaluated objects, or outputs only behind
 * `@INCLUDE`: `unverified`."
 */
function logShippingFinding(p: PodView, shipper: ShipperVerdict): Finding {
  const apps = p.containers.filter((x) => !x.init && (shipper.kind !== 'ships' || x.c !== shipper.shipper.c));
  if (shipper.kind === 'unverified') {
    return { id: 'LOG-1', status: ControlStatus.UNVERIFIED, evidence: shipper.evidence };
  }
  if (shipper.kind !== 'ships') {
    const why = shipper.kind === 'none' ? 'nothing in the pod ships logs' : shipper.evidence.join('; ');
    return { id: 'LOG-1', status: ControlStatus.EXTERNAL, evidence: [`${p.kind} ${p.name}: stdout/stderr are collected only by a node agent: deploy a Fluent Bit/Vector DaemonSet shipping to the cluster log backend (${why})`] };
  }
  const captured = apps.filter(({ c }) => stdioCaptured(c, shipper.directories));
  if (apps.length > 0 && captured.length === apps.length) {
    return { id: 'LOG-1', status: ControlStatus.ENFORCED, evidence: [...shipper.evidence, ...captured.map(({ c, path }) => p.ev(`${path}.command[0..2]`, (c.command as unknown[]).slice(0, 3)))] };
  }
  const destination = shipper.outputs.map(describeOutput).join(', ');
  return {
    id: 'LOG-1',
    status: ControlStatus.EXTERNAL,
    evidence: [`${p.kind} ${p.name}: stdout/stderr are collected only by a node agent: deploy a Fluent Bit/Vector DaemonSet shipping to ${destination}; the sidecar ships the files in ${shipper.directories.map((d) => `${d}/*.log`).join(', ')}`,
      ...shipper.evidence],
  };
}

/**
 * LOG-4 (Kubernetes), the verdict rule:
 * "`enforced` only for inference records the library itself produces (none on Kubernetes today). A declared sink
 * (`INFERENCE_LOG_PATH` on an app container) is `external`: the server must write its records to that path; the evidence says
 * whether the verified sidecar ships that file and to where. No sink declared: `external`."
 */
function inferenceRecordFinding(p: PodView, shipper: ShipperVerdict): Finding {
  const sink = p.containers.filter((x) => !x.init)
    .flatMap(({ c, path }) => (c.env ?? []).map((e: any) => ({ e, path })))
    .find(({ e }) => e?.name === 'INFERENCE_LOG_PATH');
  if (!sink) {
    return { id: 'LOG-4', status: ControlStatus.EXTERNAL, evidence: [`${p.kind} ${p.name}: no inference-record sink declared (INFERENCE_LOG_PATH): the server must write its inference records to a durable store with LOG-2/LOG-3 applied`] };
  }
  const file = typeof sink.e.value === 'string' ? sink.e.value : undefined;
  const dir = file?.slice(0, file.lastIndexOf('/'));
  let shipping: string;
  if (shipper.kind === 'ships' && file?.endsWith('.log') && dir !== undefined && shipper.directories.includes(dir)) {
    shipping = `the sidecar ships that file to ${shipper.outputs.map(describeOutput).join(', ')}`;
  } else if (file === '/dev/stdout' || file === '/dev/stderr') {
    shipping = 'stdout/stderr are collected only by a node agent';
  } else {
    shipping = 'nothing in the output is shown to ship that file';
  }
  return {
    id: 'LOG-4',
    status: ControlStatus.EXTERNAL,
    evidence: [`the server must write its inference records to ${file ?? '(a path set from a reference)'}; ${shipping}`, p.ev(`${sink.path}.env[INFERENCE_LOG_PATH]`, sink.e.value ?? sink.e.valueFrom ?? null)],
  };
}

/**
 * LOG-1..4, MON-1 and REG-1..3 of a pod (REG-3 by `signatureFinding`). The verdict rules of the rest:
 * - LOG-2: "`external`, always: retention is a setting of the receiver; the evidence names the receiver read from the sidecar's
 * `[OUTPUT]` (or the cluster log backend) and says that it must keep the logs at least 184 days."
 * - LOG-3: "`external`, always: encryption at rest and access control are settings of the receiver, named as for LOG-2; the
 * evidence gives the transport (TLS or plaintext) read from the `[OUTPUT]`."
 * - MON-1: "`external`, always: metrics scraping (ServiceMonitor/PodMonitor) and dashboards are cluster objects outside the
 * workload."
 * - REG-1: "`external`, always: tag immutability is a registry setting that no manifest holds."
 * - REG-2: "`enforced` when the workload's annotations record vulnerability scans, every one for an image digest of the pod and
 * within its recorded threshold (recomputed from the counts); `violated` when a recorded scan is for another digest or over its
 * threshold; no scan recorded: `external` (a CI or registry scan)."
 *
 * @internal
 */
export function loggingChecks(p: PodView, scope: ControlScope, index: K8sObjectIndex): Finding[] {
  const shipper = logShipper(p, index);
  const receiver = shipper.kind === 'ships'
    ? shipper.outputs.map(describeOutput).join(', ')
    : 'the cluster log backend';
  const out: Finding[] = [
    logShippingFinding(p, shipper),
    { id: 'LOG-2', status: ControlStatus.EXTERNAL, evidence: [`${receiver} must keep the logs at least 184 days (its retention setting is not in the manifests)`] },
    { id: 'LOG-3', status: ControlStatus.EXTERNAL, evidence: [`${receiver} must store the logs encrypted with access control (not in the manifests)`] },
    { id: 'MON-1', status: ControlStatus.EXTERNAL, evidence: ['metrics scraping (ServiceMonitor/PodMonitor) and dashboards belong to the cluster'] },
    { id: 'REG-1', status: ControlStatus.EXTERNAL, evidence: ['tag immutability is a registry setting'] },
    scanFinding(p.obj.metadata?.annotations ?? {}, imageDigests(p), (k, v) => p.ev(`metadata.annotations["${k}"]`, v))
      ?? { id: 'REG-2', status: ControlStatus.EXTERNAL, evidence: ['vulnerability scanning is a registry/CI setting'] },
    signatureFinding(p, index),
  ];
  if (scope === ControlScope.SERVICE) {
    out.push(inferenceRecordFinding(p, shipper));
  }
  return out;
}
