// The verdict rule of every control, per backend: exactly when the checker reports each status. The checkers implement this
// text and their doc comments quote it; docs/CONTROLS.md is generated from it. Statuses: enforced (the output proves the
// rule), equivalent, runtime-managed, external, not-applicable, unverified (the output cannot prove it either way: an
// intrinsic, a token, an object or peer the checker cannot see; enforcement fails on it), violated.
import { ControlVerdictRule } from './control';

/** @internal */
export const VERDICT_RULES: Record<string, ControlVerdictRule> = {
  'IMG-1': {
    kubernetes: 'Every container image (init, regular and ephemeral containers) is `name[:tag]@sha256:<64 hex>` or '
      + '`@sha512:<128 hex>`: enforced. An image that is empty, missing or has no registered digest: violated. An image '
      + 'that still holds a token or a template placeholder (`${...}`, `{{ ... }}`) is unverified: the output does not '
      + 'say what will run.',
    ecs: '',
    dockerfile: '',
  },
  'IMG-2': {
    kubernetes: 'Every container image (init, regular and ephemeral) has a tag other than `latest`, or is pinned by digest '
      + 'without a tag: enforced. `:latest`, an untagged and undigested reference, or an empty or missing image: '
      + 'violated. A token or template placeholder in the image: unverified.',
    ecs: '',
    dockerfile: '',
  },
  'IMG-3': {
    kubernetes: 'Every container (init, regular and ephemeral) sets `imagePullPolicy: Always`: enforced. Any other value, or '
      + 'the field left unset (the API server then defaults a tagged or digest reference to IfNotPresent): violated, '
      + 'with the value or `not set`. A placeholder in the field: unverified.',
    ecs: '',
  },
  'IMG-4': {
    kubernetes: 'The workload\'s `metadata.annotations` mirror all four OCI image keys the control names, as '
      + '`oci.compliance.cdk-compliant-ml.io/{source,revision,version,created}`, with source a URL, revision a 7–64 '
      + 'character hex commit and created RFC 3339: enforced. A mirrored value of the wrong form: violated. Any key '
      + 'missing: external (the image\'s own labels are not visible at synth time), naming the missing keys. The '
      + 'evidence lists all four keys.',
    ecs: '',
    dockerfile: '',
  },
  'META-1': {
    kubernetes: 'Applies to every workload. Its `metadata.labels` and its pod template\'s labels both carry the six recommended '
      + 'labels `app.kubernetes.io/{name,instance,version,component,part-of,managed-by}`, each a non-empty valid label '
      + 'value (at most 63 characters, so never a digest or URL), and `instance` equals the object\'s name (Polaris '
      + 'metadataAndInstanceMismatched): enforced. A missing or invalid label, or another instance: violated.',
    ecs: '',
  },
  'META-2': {
    kubernetes: 'Applies to model servers and training jobs only (our constructs, a workload labelled '
      + '`app.kubernetes.io/component: model-server` or `training-job`, or a known ML serving or training kind); any '
      + 'other workload is not-applicable with that reason. The workload\'s annotations '
      + '`model.compliance.cdk-compliant-ml.io/name` and `/version` are non-empty, the version is not `latest`, and '
      + '`/digest`, when set, is a sha256/sha512 digest: enforced. A training job without a registered model yet is '
      + 'identified by `run.compliance.cdk-compliant-ml.io/id`: enforced. Otherwise violated.',
    ecs: '',
  },
  'SEC-1': {
    kubernetes: 'Every container (init, regular and ephemeral) runs with `runAsNonRoot: true` and a `runAsUser` and '
      + '`runAsGroup` of at least 10000, each read from the container\'s securityContext, else from the pod\'s: enforced. '
      + 'A missing field, a lower ID or `runAsNonRoot` not true: violated. A pod-level `runAsUser: 0`, `runAsGroup: 0` '
      + 'or `fsGroup: 0` is a violation even where every container overrides it (a container added later, or an '
      + 'ephemeral debug container, inherits it).',
    ecs: '',
    dockerfile: '',
  },
  'SEC-2': {
    kubernetes: 'Every container (init, regular and ephemeral) sets `securityContext.allowPrivilegeEscalation: false`: '
      + 'enforced. `true` or the field left unset (the runtime then allows escalation): violated, as PSS restricted.',
    ecs: '',
  },
  'SEC-3': {
    kubernetes: 'Every container (init, regular and ephemeral) has `capabilities.drop` containing `ALL` (exactly: the runtime '
      + 'is case-sensitive, `all` drops nothing) and `capabilities.add` empty or only `NET_BIND_SERVICE` (as PSS '
      + 'restricted spells it: `CAP_NET_BIND_SERVICE` is refused like any other name): enforced. Anything else: '
      + 'violated.',
    ecs: '',
  },
  'SEC-4': {
    kubernetes: 'Every container (init, regular and ephemeral) runs under a seccomp profile of type `RuntimeDefault` or '
      + '`Localhost`, read from the container\'s securityContext, else from the pod\'s: enforced. `Unconfined` at either '
      + 'level (a container\'s own type overrides the pod\'s) or no type at all: violated.',
    ecs: '',
  },
  'SEC-5': {
    kubernetes: 'Every container (init, regular and ephemeral) sets `securityContext.readOnlyRootFilesystem: true`: enforced. '
      + '`false` or unset: violated.',
    ecs: '',
  },
  'SEC-6': {
    kubernetes: 'No container (init, regular or ephemeral) sets `securityContext.privileged` to anything but false: enforced, '
      + 'with each container\'s value or `not set`. `privileged: true`: violated.',
    ecs: '',
  },
  'SEC-7': {
    kubernetes: 'The pod sets none of `hostNetwork`, `hostPID`, `hostIPC` to true; every volume is of a type PSS restricted '
      + 'allows (configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret; so no '
      + 'hostPath); no container (init, regular or ephemeral) sets a non-zero `ports[*].hostPort`; no probe or '
      + 'lifecycle handler sets `host`: enforced. Any of them: violated, naming the field and value.',
    ecs: '',
  },
  'SEC-8': {
    kubernetes: 'The pod names a dedicated ServiceAccount (`serviceAccountName` set and not `default`) and does not mount its '
      + 'API token: `automountServiceAccountToken: false` on the pod is enforced; left unset on the pod, it is enforced '
      + 'when that ServiceAccount is among the evaluated objects with `automountServiceAccountToken: false` (the API '
      + 'server honours it), and violated when the ServiceAccount is not in the output or does not set it to false (the '
      + 'default mounts the token). `automountServiceAccountToken: true` on the pod, or a missing or `default` '
      + 'ServiceAccount: violated.',
    ecs: '',
  },
  'SEC-9': {
    kubernetes: 'No literal `env[*].value` of any container (init, regular or ephemeral) carries a plaintext secret: its name '
      + 'does not denote a secret value (PASSWORD, SECRET, TOKEN as a word, API_KEY, PRIVATE_KEY, CREDENTIALS; not '
      + '`*_NAME`, `*_PATH`, `*_FILE`, `*_ARN`, `MAX_*_TOKENS`, `TOKENIZER_*`) and its value does not look like a '
      + 'credential (a URL with user:password@, `password=`, an AWS access key id, a PEM block, a known token format): '
      + 'enforced. `valueFrom.secretKeyRef` and empty values carry none. Otherwise violated, naming the variable (never '
      + 'printing its value).',
    ecs: '',
    dockerfile: '',
  },
  'NET-1': {
    kubernetes: '',
    ecs: '',
  },
  'RES-1': {
    kubernetes: 'Every init container (native sidecars included: plain init containers count toward the pod\'s effective request '
      + 'too) and every regular container sets `resources.requests` and `resources.limits` for `cpu`, `memory` and '
      + '`ephemeral-storage`, each a Kubernetes quantity greater than zero with the request not above the limit, and a '
      + 'limit for every GPU resource it requests (`nvidia.com/gpu`, ...): enforced. A missing value, zero (`0`, `0Mi`, '
      + '`0.0`, `0m`), a negative or unparsable quantity, or a request above its limit: violated, with the value. '
      + 'Ephemeral containers may not set resources and are not judged.',
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
    kubernetes: 'Every regular container has a liveness and a readiness probe whose handlers differ (a not-ready server is '
      + 'drained, not restarted); each probe is printed as what it is (httpGet, exec, tcpSocket, grpc). For model '
      + 'servers (our CompliantModelService, a workload labelled `app.kubernetes.io/component: model-server`, or a '
      + 'known ML serving kind) also: a startup probe whose budget (initialDelaySeconds + failureThreshold × '
      + 'periodSeconds) is at least the worst-case model load declared in the annotation '
      + '`compliance.cdk-compliant-ml.io/model-load-timeout-seconds` (our constructs write it from `modelLoadTimeout`; '
      + 'without it the budget cannot be compared: unverified), and httpGet liveness/readiness on the Open Inference '
      + 'Protocol paths `/v2/health/live` and `/v2/health/ready` (or `/v2/models/<name>/ready`). For other services a '
      + 'startup probe is not required and the OIP paths do not apply (not-applicable, said in the evidence). A missing '
      + 'probe, identical handlers, a short budget or another path: violated. Jobs: not applicable. `host` fields are '
      + 'judged by SEC-7.',
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
