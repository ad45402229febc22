/* eslint-disable @typescript-eslint/no-explicit-any */
import * as path from 'path';
import { ExitCode, parseArgs, UsageError } from './args';
import { evaluateDockerfiles } from './dockerfile-checks';
import { inputLocator } from './input-locator';
import { expandPaths, InputDocument, InputProblem, readInputs } from './inputs';
import { CliIo, Progress } from './io';
import { ControlCatalogue } from '../compliance/catalogue';
import { ComplianceReport } from '../compliance/compliance-report';
import { REPORT_FORMAT_REGISTRY } from '../compliance/formats/registry';
import { ControlStatus, NotEvaluatedObject, WorkloadReport } from '../compliance/report-model';
import { REPORT_JSON_FILE, REPORT_MARKDOWN_FILE, violationMessages, writeReportFiles } from '../compliance/report-output';
import { SEVERITY_ORDER, severityRank } from '../compliance/report-people';
import { templateWorkloads, WORKLOAD_METADATA_KEY } from '../ecs/checks/evaluate';
import { TemplateView } from '../ecs/checks/template';
import { isPodTemplateKind } from '../k8s/checks/foreign';
import { Manifest, podSpecPath } from '../k8s/checks/manifest';
import { K8sObjectIndex } from '../k8s/checks/object-index';
import { apiGroup } from '../k8s/checks/profile';
import { WAIVERS_ANNOTATION } from '../k8s/metadata';
import { manifestObjectWorkloads } from '../k8s/validation-plugin';

/** `check --help`. @internal */
export const CHECK_USAGE = `Usage: cdk-compliant-ml check [options] PATH...

Evaluates every workload in Kubernetes manifests and CloudFormation templates, and every Dockerfile, against the control catalogue.

PATH is a file, a directory (searched recursively for .yaml, .yml and .json files and Dockerfiles) or - for standard input.
Kubernetes: multi-document YAML or JSON (kubectl List objects too, also nested); Pod, Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController, PodTemplate, Job and CronJob are evaluated, and the pod specs inside custom resources
(KServe InferenceService and ServingRuntime, KubeRay RayCluster/RayJob/RayService, LeaderWorkerSet, JobSet, Kubeflow
TrainingRuntime and PyTorchJob/TFJob/MPIJob/XGBoostJob, Katib Experiment, Argo Workflow/CronWorkflow/WorkflowTemplate and
Rollout, Seldon, Knative Service; other kinds: any pod spec under spec), each with every NetworkPolicy, PodDisruptionBudget,
autoscaler, Namespace and signature policy of all inputs. Objects that may hold a workload but cannot be evaluated (a pod the
KServe controller builds from a storageUri, a TrainJob, an Argo resource template) are listed on stderr as
FILE#KIND/NAME: not evaluated: REASON and in the report's notEvaluated. Waivers are read from the annotation
compliance.cdk-compliant-ml.io/waivers.
CloudFormation: JSON or YAML templates (short-form intrinsics such as !Ref, !GetAtt, !Sub, !Join); every
AWS::ECS::TaskDefinition is evaluated with the AWS::ECS::Service that runs it. Waivers are read from the resource metadata
key cdk-compliant-ml.
Dockerfiles: files named Dockerfile, Containerfile, Dockerfile.*, *.Dockerfile (and standard input or a named file whose
first instruction is FROM or ARG); one report entry per file (kind Dockerfile, backend image) with IMG-1 (every external
FROM, COPY --from and RUN --mount from= pinned by digest after ARG substitution; ADD of URLs with --checksum), IMG-2 (no
latest or untagged image), IMG-4 (LABELs org.opencontainers.image.source/revision/version/created in the final stage,
literal or from ARGs), SEC-1 (the final stage's USER is a numeric UID:GID, both >= 10000; a name is unverified) and SEC-9
(no ENV value or ARG default holds a secret). Waivers are comments anywhere in the file, one per control:
  # cdk-compliant-ml waive=SEC-1 reason="vendor image runs as root" expires=2027-03-31 approved-by="ML platform"
(waive and reason required; a malformed, unknown, repeated or expired waiver, or one of another control, is an input error).
Not evaluated, but listed in the report's notEvaluated and named on stderr: Helm templates (files with {{ ), values.yaml,
Chart.yaml and Kustomizations; render them first (helm template REL CHART | cdk-compliant-ml check -, or
kustomize build DIR | cdk-compliant-ml check -). A cloud assembly (cdk.out) is read through its manifest.json: only the
stack templates are inputs. Symbolic links are followed, each file once.

Options:
  --format FORMAT   what to print on stdout: table (default), json, markdown, or a report format: sarif
                    (SARIF 2.1.0, the file and line of each field), openreports, policyreport, oscal or cyclonedx
                    (docs/REPORT.md); the exit code does not depend on the format
  -o, --outdir DIR  where to write ${REPORT_JSON_FILE} and ${REPORT_MARKDOWN_FILE} (default: the current directory)
  --no-report       do not write the report files
  --enforce         exit with code 1 when a control is violated or unverified, or an object was not evaluated
  --fail-on SEVERITY
                    critical, high, medium or low: exit with code 1 only when a violated or unverified control has at
                    least this severity (docs/CONTROLS.md gives each control's); works alone or with --enforce, which
                    then still fails on objects that were not evaluated
  --allow-unevaluated
                    with --enforce: objects that were not evaluated (still listed) do not fail the check
  --build-arg NAME=VALUE
                    a Dockerfile build argument, as for docker build (repeatable; NAME alone takes the value from
                    the environment): resolves the ARGs used in FROM, COPY --from, LABEL and USER
  -q, --quiet       no progress or summary on stderr (problems are still printed)
  -h, --help        show this help

Malformed inputs (broken YAML or JSON, unknown kinds, missing fields; Dockerfiles with an unknown instruction, a FROM
without an image, no instructions, a line continuation at the end of the file or binary data) are reported as
FILE:LINE: error: MESSAGE on stderr; the other files and documents are still checked.

Exit codes:
  0  no input problems, and no violations (or violations without --enforce)
  1  --enforce and at least one violated or unverified control, or a not-evaluated object without --allow-unevaluated;
     with --fail-on: a violated or unverified control of at least that severity
  2  usage error
  3  some inputs could not be read or were malformed (wins over 1)
`;

const FORMATS = ['table', 'json', 'markdown', ...REPORT_FORMAT_REGISTRY.map((f) => f.format as string)];

/**
 * The `check` command.
 *
 * @internal
 */
export function checkCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, {
    'format': { type: 'value' },
    'outdir': { type: 'value', short: 'o' },
    'no-report': { type: 'flag' },
    'enforce': { type: 'flag' },
    'fail-on': { type: 'value' },
    'allow-unevaluated': { type: 'flag' },
    'build-arg': { type: 'list' },
    'quiet': { type: 'flag', short: 'q' },
    'help': { type: 'flag', short: 'h' },
  });
  if (args.flags.has('help')) {
    io.stdout(CHECK_USAGE);
    return ExitCode.OK;
  }
  const format = args.values.get('format') ?? 'table';
  if (!FORMATS.includes(format)) {
    throw new UsageError(`unknown --format ${JSON.stringify(format)}: use ${FORMATS.join(', ')}`);
  }
  const failOnValue = args.values.get('fail-on');
  const failOn = failOnValue === undefined ? undefined : SEVERITY_ORDER.find((s) => s === failOnValue);
  if (failOnValue !== undefined && failOn === undefined) {
    throw new UsageError(`unknown --fail-on ${JSON.stringify(failOnValue)}: use ${SEVERITY_ORDER.join(', ')}`);
  }
  if (args.positionals.length === 0) {
    throw new UsageError('check needs at least one PATH (a file, a directory or - for stdin)');
  }
  if (args.flags.has('allow-unevaluated') && !args.flags.has('enforce')) {
    throw new UsageError('--allow-unevaluated only applies with --enforce');
  }
  if (args.flags.has('no-report') && args.values.has('outdir')) {
    throw new UsageError('--outdir and --no-report exclude each other');
  }
  const buildArgs = new Map<string, string>();
  for (const arg of args.lists.get('build-arg') ?? []) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UsageError(`--build-arg ${JSON.stringify(arg)}: write NAME=VALUE (or NAME to take the value from the environment)`);
    }
    const value = eq < 0 ? io.env[name] : arg.slice(eq + 1);
    if (value !== undefined) {
      buildArgs.set(name, value);
    }
  }
  const quiet = args.flags.has('quiet');
  const progress = new Progress(io, quiet);

  const expanded = expandPaths(args.positionals);
  progress.info(`cdk-compliant-ml check: reading ${expanded.files.length} file${expanded.files.length === 1 ? '' : 's'}`);
  const read = readInputs(expanded.files, io.readStdin, (i, file) => progress.tick(`[${i + 1}/${expanded.files.length}] ${file}`));
  const evaluated = evaluateDocuments(read.documents);
  const dockerfiles = evaluateDockerfiles(read.dockerfiles, buildArgs);
  evaluated.entries.push(...dockerfiles.entries);
  const problems = [...expanded.problems, ...read.problems, ...evaluated.problems, ...dockerfiles.problems]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  for (const p of problems) {
    io.stderr(`${p.file}${p.line !== undefined ? `:${p.line}` : ''}: error: ${p.message}\n`);
  }

  // objects that may hold workloads but were not evaluated (custom resources whose pods a controller builds; Helm templates,
  // chart values and Kustomizations that must be rendered first): listed in the report and named on stderr, never skipped silently
  const notEvaluated = [
    ...evaluated.notEvaluated,
    ...read.notEvaluated.map((u) => ({ path: u.file, kind: u.kind, reason: u.reason })),
  ];
  for (const n of notEvaluated) {
    io.stderr(`${n.path}: not evaluated: ${n.kind}: ${n.reason}\n`);
  }
  const report = ComplianceReport.fromWorkloads(evaluated.entries, notEvaluated);
  const outdir = args.values.get('outdir') ?? '.';
  if (!args.flags.has('no-report')) {
    writeReportFiles(outdir, report);
  }
  const reportFormat = REPORT_FORMAT_REGISTRY.find((f) => f.format === format);
  if (reportFormat) {
    const locator = inputLocator(read.documents, read.dockerfiles);
    io.stdout(report._render(reportFormat.format, (w, e) => locator.locate(w, e), 'check'));
  } else {
    io.stdout(format === 'json' ? report.toJsonString() : format === 'markdown' ? report.toMarkdown() : renderTable(report));
  }

  const violations = report.failures();
  const violatedWorkloads = new Set(violations.map((v) => v.path)).size;
  progress.info(`cdk-compliant-ml check: ${evaluated.entries.length} workloads in ${expanded.files.length} files`
    + ` (${evaluated.skipped} other objects skipped): ${violations.length} failing (violated or unverified) control results`
    + ` in ${violatedWorkloads} workloads (${ControlCatalogue.controls().length} controls in the catalogue),`
    + ` ${problems.length} input problems, ${notEvaluated.length} objects not evaluated`
    + (args.flags.has('no-report') ? '' : `; wrote ${path.join(outdir, REPORT_JSON_FILE)} and ${path.join(outdir, REPORT_MARKDOWN_FILE)}`));
  if (problems.length > 0) {
    return ExitCode.INPUT;
  }
  const unevaluatedFail = notEvaluated.length > 0 && !args.flags.has('allow-unevaluated');
  if (failOn !== undefined) {
    const limit = SEVERITY_ORDER.indexOf(failOn);
    const severe = violations.some((v) => severityRank(v.control) <= limit);
    return severe || (args.flags.has('enforce') && unevaluatedFail) ? ExitCode.VIOLATIONS : ExitCode.OK;
  }
  return args.flags.has('enforce') && (violations.length > 0 || unevaluatedFail) ? ExitCode.VIOLATIONS : ExitCode.OK;
}

/** The documents, split into Kubernetes objects and CloudFormation templates, evaluated. @internal */
export function evaluateDocuments(documents: InputDocument[]):
{ entries: WorkloadReport[]; notEvaluated: NotEvaluatedObject[]; problems: InputProblem[]; skipped: number } {
  const problems: InputProblem[] = [];
  const objects: Array<{ doc: InputDocument; obj: Manifest; at: Array<string | number> }> = [];
  const templates: InputDocument[] = [];
  const problem = (doc: InputDocument, at: Array<string | number>, message: string) =>
    problems.push({ file: doc.file, line: doc.lineOf(at), message });
  // a List (kubectl's kind: List, or any *List with items) is flattened, also a List inside a List
  const addObject = (doc: InputDocument, obj: any, at: Array<string | number>, depth = 0): void => {
    if (depth < 16 && obj && typeof obj === 'object' && typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach((item: unknown, i: number) => addObject(doc, item, [...at, 'items', i], depth + 1));
    } else {
      objects.push({ doc, obj, at });
    }
  };

  for (const doc of documents) {
    const v = doc.value;
    if (Array.isArray(v)) {
      v.forEach((item, i) => addObject(doc, item, [i]));
    } else if (v && typeof v === 'object' && ('Resources' in v || 'AWSTemplateFormatVersion' in v)) {
      templates.push(doc);
    } else {
      addObject(doc, v, []);
    }
  }

  // Kubernetes: validate every object, then evaluate the workloads with every valid object of every input.
  const valid: typeof objects = [];
  for (const o of objects) {
    const bad = manifestProblem(o.obj);
    if (bad) {
      problem(o.doc, [...o.at, ...bad.field], bad.message);
    } else {
      valid.push(o);
    }
  }
  const index = K8sObjectIndex.of(valid.map((o) => o.obj));
  const entries: WorkloadReport[] = [];
  const notEvaluated: NotEvaluatedObject[] = [];
  let skipped = 0;
  for (const { doc, obj, at } of valid) {
    try {
      const annotationPath = [...at, 'metadata', 'annotations', WAIVERS_ANNOTATION];
      const found = manifestObjectWorkloads(doc.file, obj, index, doc.lineOf(annotationPath));
      found.problems.forEach((message) => problem(doc, annotationPath, `${obj.kind} ${obj.metadata?.name}: ${message}`));
      entries.push(...found.workloads);
      notEvaluated.push(...found.notEvaluated);
      if (found.workloads.length === 0 && found.notEvaluated.length === 0) {
        skipped++;
      }
    } catch (e) {
      problem(doc, at, `cannot evaluate ${obj.kind} ${obj.metadata?.name}: ${(e as Error).message}`);
    }
  }

  // CloudFormation: every task definition with its service; broken ones are skipped and reported.
  for (const doc of templates) {
    const t = doc.value;
    if (!t.Resources || typeof t.Resources !== 'object' || Array.isArray(t.Resources)) {
      problem(doc, ['Resources'], 'missing field Resources: a CloudFormation template needs a Resources mapping');
      continue;
    }
    const skip = new Set<string>();
    let others = 0;
    for (const [id, r] of Object.entries<any>(t.Resources)) {
      const bad = resourceProblem(r);
      if (bad) {
        problem(doc, ['Resources', id, ...bad.field], `resource ${id}: ${bad.message}`);
        skip.add(id);
        if (!r || typeof r !== 'object' || typeof r.Type !== 'string') {
          delete t.Resources[id]; // a resource without a type cannot be indexed by type
        }
      } else if (r.Type !== 'AWS::ECS::TaskDefinition') {
        others++;
      }
    }
    try {
      entries.push(...templateWorkloads(new TemplateView(t), skip, (logicalId) => `${doc.file}#${logicalId}`,
        (logicalId, message) => problem(doc, ['Resources', logicalId, 'Metadata', WORKLOAD_METADATA_KEY], `resource ${logicalId}: ${message}`)));
      skipped += others;
    } catch (e) {
      problem(doc, ['Resources'], `cannot evaluate the template: ${(e as Error).message}`);
    }
  }
  return { entries, notEvaluated, problems, skipped };
}

// The built-in API groups and their kinds: an object of one of these groups with another kind is a typo (or a kind the
// cluster will reject), so it is reported instead of being silently skipped. Kinds of other groups (CRDs) are skipped.
const BUILT_IN_KINDS: Record<string, string[]> = {
  '': ['Binding', 'ComponentStatus', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'List', 'Namespace', 'Node', 'PersistentVolume',
    'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'],
  'apps': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'batch': ['CronJob', 'Job'],
  'autoscaling': ['HorizontalPodAutoscaler', 'Scale'],
  'policy': ['Eviction', 'PodDisruptionBudget', 'PodSecurityPolicy'],
  'extensions': ['DaemonSet', 'Deployment', 'Ingress', 'NetworkPolicy', 'PodSecurityPolicy', 'ReplicaSet'],
  'networking.k8s.io': ['IPAddress', 'Ingress', 'IngressClass', 'NetworkPolicy', 'ServiceCIDR'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'storage.k8s.io': ['CSIDriver', 'CSINode', 'CSIStorageCapacity', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'admissionregistration.k8s.io': ['MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration'],
  'scheduling.k8s.io': ['PriorityClass'],
  'coordination.k8s.io': ['Lease', 'LeaseCandidate'],
  'discovery.k8s.io': ['EndpointSlice'],
  'node.k8s.io': ['RuntimeClass'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'events.k8s.io': ['Event'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'resource.k8s.io': ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'],
};

/** What is wrong with a Kubernetes object (a missing field, an unknown kind), with the field to point at. */
function manifestProblem(obj: any): { field: Array<string | number>; message: string } | undefined {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
    return { field: [], message: 'the document is not a Kubernetes object (a mapping with apiVersion and kind) or a CloudFormation template' };
  }
  for (const field of ['apiVersion', 'kind']) {
    if (typeof obj[field] !== 'string' || obj[field] === '') {
      return { field: obj[field] === undefined ? [] : [field], message: `missing field ${field}: every Kubernetes object needs apiVersion and kind` };
    }
  }
  const group = apiGroup(obj.apiVersion);
  const known = BUILT_IN_KINDS[group];
  if (known && !known.includes(obj.kind)) {
    const where = group === '' ? 'the core API group (apiVersion v1)' : `the API group ${group}`;
    const groups = Object.entries(BUILT_IN_KINDS).filter(([g, kinds]) => g !== 'extensions' && kinds.includes(obj.kind))
      .map(([g]) => (g === '' ? 'the core group (v1)' : g));
    return {
      field: ['kind'],
      message: `unknown kind ${obj.kind} in ${where}${groups.length > 0 ? ` (${obj.kind} is in the API group ${groups.join(' or ')})` : ''}`,
    };
  }
  if (!isPodTemplateKind(obj.apiVersion, obj.kind)) {
    return undefined;
  }
  const given = [obj.metadata?.name, obj.metadata?.generateName].find((n) => typeof n === 'string' && n !== '');
  const name = `${obj.kind} ${given ?? '(unnamed)'}`;
  if (given === undefined) {
    return { field: ['metadata', 'name'], message: `missing field metadata.name (or metadata.generateName) of a ${obj.kind}` };
  }
  const specPath = podSpecPath(obj.kind)!;
  let at: any = obj;
  for (let i = 0; i < specPath.length; i++) {
    at = at?.[specPath[i]];
    if (!at || typeof at !== 'object') {
      return { field: specPath.slice(0, i), message: `${name}: missing field ${specPath.slice(0, i + 1).join('.')}` };
    }
  }
  const containers = at.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    return { field: specPath, message: `${name}: missing field ${specPath.join('.')}.containers (a non-empty list)` };
  }
  for (const list of ['initContainers', 'containers']) {
    const items = at[list] ?? [];
    if (!Array.isArray(items)) {
      return { field: [...specPath, list], message: `${name}: ${specPath.join('.')}.${list} is not a list` };
    }
    for (let i = 0; i < items.length; i++) {
      const c = items[i];
      const field = [...specPath, list, i];
      for (const required of ['name', 'image']) {
        if (!c || typeof c !== 'object' || typeof c[required] !== 'string' || c[required] === '') {
          return { field, message: `${name}: missing field ${specPath.join('.')}.${list}[${i}].${required}` };
        }
      }
    }
  }
  return undefined;
}

/** What is wrong with a CloudFormation resource that the ECS checks read. */
function resourceProblem(r: any): { field: Array<string | number>; message: string } | undefined {
  if (!r || typeof r !== 'object' || Array.isArray(r)) {
    return { field: [], message: 'a resource must be a mapping with a Type' };
  }
  if (typeof r.Type !== 'string' || r.Type === '') {
    return { field: [], message: 'missing field Type' };
  }
  if (r.Type !== 'AWS::ECS::TaskDefinition') {
    return undefined;
  }
  const defs = r.Properties?.ContainerDefinitions;
  if (!Array.isArray(defs) || defs.length === 0) {
    return { field: ['Properties'], message: 'missing field Properties.ContainerDefinitions (a non-empty list) of an AWS::ECS::TaskDefinition' };
  }
  for (let i = 0; i < defs.length; i++) {
    if (!defs[i] || typeof defs[i] !== 'object' || defs[i].Image === undefined) {
      return { field: ['Properties', 'ContainerDefinitions', i], message: `missing field Properties.ContainerDefinitions[${i}].Image` };
    }
  }
  return undefined;
}

/**
 * The report as a plain-text table (one row per workload) followed by one
 * line per violated or unverified control, most severe first. @internal
 */
export function renderTable(report: ComplianceReport): string {
  const json = report.toJson() as { workloads: WorkloadReport[] };
  const count = (w: WorkloadReport, ...statuses: ControlStatus[]) => String(w.controls.filter((c) => statuses.includes(c.status)).length);
  const rows = [['WORKLOAD', 'KIND', 'BACKEND', 'VIOLATED', 'WAIVED', 'MET', 'EXTERNAL']];
  for (const w of json.workloads) {
    rows.push([w.path, w.kind, w.backend, count(w, ControlStatus.VIOLATED), count(w, ControlStatus.WAIVED),
      count(w, ControlStatus.ENFORCED, ControlStatus.EQUIVALENT, ControlStatus.RUNTIME_MANAGED), count(w, ControlStatus.EXTERNAL)]);
  }
  if (json.workloads.length === 0) {
    const unevaluated = report.notEvaluated.length;
    return unevaluated > 0 ? `No workloads evaluated: ${unevaluated} object${unevaluated === 1 ? '' : 's'} that may hold workloads could not be evaluated (listed on stderr).\n`
      : 'No workloads found.\n';
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
  const messages = violationMessages(report);
  if (messages.length > 0) {
    lines.push('', `Violated or unverified controls, most severe first (${messages.length} control results across `
      + `${json.workloads.length} workloads):`, ...messages.map((m) => `  ${m}`));
  } else {
    lines.push('', 'No violated or unverified controls.');
  }
  return `${lines.join('\n')}\n`;
}
