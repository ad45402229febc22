// The verdict rule of every control, per backend: exactly when the checker reports each status. The checkers implement this
// text and their doc comments quote it; docs/CONTROLS.md is generated from it. Statuses: enforced (the output proves the
// rule), equivalent, runtime-managed, external, not-applicable, unverified (the output cannot prove it either way: an
// intrinsic, a token, an object or peer the checker cannot see; enforcement fails on it), violated.
import { ControlVerdictRule } from './control';

/** @internal */
export const VERDICT_RULES: Record<string, ControlVerdictRule> = {
  'IMG-1': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'IMG-2': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'IMG-3': {
    kubernetes: '',
    ecs: '',
  },
  'IMG-4': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'META-1': {
    kubernetes: '',
    ecs: '',
  },
  'META-2': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-1': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'SEC-2': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-3': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-4': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-5': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-6': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-7': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-8': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-9': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'NET-1': {
    kubernetes: '',
    ecs: '',
  },
  'RES-1': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-1': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-2': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-3': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-4': {
    kubernetes: '',
    ecs: '',
  },
  'PRB-1': {
    kubernetes: '',
    ecs: '',
  },
  'JOB-1': {
    kubernetes: '',
    ecs: '',
  },
  'JOB-2': {
    kubernetes: '',
    ecs: '',
  },
  'JOB-3': {
    kubernetes: '',
    ecs: '',
  },
  'LOG-1': {
    kubernetes: '`enforced` when a log-shipping sidecar of the pod (a Fluent Bit container) mounts a ConfigMap that is among the evaluated objects, whose configuration has an `[OUTPUT]` leaving the pod and tails a directory shared with the app containers, and every app container\'s stdout/stderr are routed into that directory by the library\'s wrapper (`captureStdio`). A sidecar that ships only files is `external` for stdout/stderr, with the action (deploy a node agent shipping to the named destination) and the shipped files as evidence; no shipper, or one whose configuration ships nothing, is `external` (node agent); a container named log-shipper proves nothing by itself. The shipper\'s ConfigMap not among the evaluated objects, or outputs only behind `@INCLUDE`: `unverified`.',
    ecs: '',
  },
  'LOG-2': {
    kubernetes: '`external`, always: retention is a setting of the receiver; the evidence names the receiver read from the sidecar\'s `[OUTPUT]` (or the cluster log backend) and says that it must keep the logs at least 184 days.',
    ecs: '',
  },
  'LOG-3': {
    kubernetes: '`external`, always: encryption at rest and access control are settings of the receiver, named as for LOG-2; the evidence gives the transport (TLS or plaintext) read from the `[OUTPUT]`.',
    ecs: '',
  },
  'LOG-4': {
    kubernetes: '`enforced` only for inference records the library itself produces (none on Kubernetes today). A declared sink (`INFERENCE_LOG_PATH` on an app container) is `external`: the server must write its records to that path; the evidence says whether the verified sidecar ships that file and to where. No sink declared: `external`.',
    ecs: '',
  },
  'MON-1': {
    kubernetes: '`external`, always: metrics scraping (ServiceMonitor/PodMonitor) and dashboards are cluster objects outside the workload.',
    ecs: '',
  },
  'REG-1': {
    kubernetes: '`external`, always: tag immutability is a registry setting that no manifest holds.',
    ecs: '',
  },
  'REG-2': {
    kubernetes: '`enforced` when the workload\'s annotations record vulnerability scans, every one for an image digest of the pod and within its recorded threshold (recomputed from the counts); `violated` when a recorded scan is for another digest or over its threshold; no scan recorded: `external` (a CI or registry scan).',
    ecs: '',
  },
  'REG-3': {
    kubernetes: '',
    ecs: '',
  },
};
