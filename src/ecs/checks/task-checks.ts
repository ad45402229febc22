/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnList, cfnNumber, containsIntrinsic, isIntrinsic } from './cfn-values';
import { ServiceRef, TaskView } from './task-view';
import { flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { DIGEST_PATTERN, hasAcceptableTag, isPinnedReference, renderedDigest } from '../../core/patterns';

/** The four OCI keys IMG-4 names. */
const OCI_KEYS = ['source', 'revision', 'version', 'created'].map((suffix) => `org.opencontainers.image.${suffix}`);
const OCI_VALUE_RULES: Record<string, RegExp> = {
  'org.opencontainers.image.source': /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/,
  'org.opencontainers.image.revision': /^[0-9a-f]{7,64}$/,
  'org.opencontainers.image.created': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
};
/** The recommended keys META-1 requires as tags (`part-of` is reported when present). */
const RECOMMENDED_TAGS = ['name', 'instance', 'version', 'component', 'managed-by'].map((k) => `app.kubernetes.io/${k}`);

/** Whether the text of a flattened image still hides a part (`${...}`) after the last `@` or where a tag would be. */
function imageOutcome(image: string, decide: (text: string) => boolean): 'ok' | 'bad' | 'unknown' {
  if (decide(image)) {
    return 'ok';
  }
  const digest = renderedDigest(image);
  // no `@`: only a placeholder at the very end could still hold a digest; with `@`: the digest itself must be literal
  const hidden = digest === undefined ? image.endsWith('}') : digest.includes('${');
  return hidden ? 'unknown' : 'bad';
}

/** True when the tag of a flattened image (the text after the last `:` of the name, after its last `/`) holds a placeholder. */
function hiddenTag(image: string): boolean {
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') && name.slice(colon + 1).includes('${');
}

/**
 * IMG-1: "Every container's `Image`, intrinsics flattened, ends in `@sha256:<64 hex>` or `@sha512:<128 hex>` → enforced; a
 * digest part that is an intrinsic, or an image ending in an intrinsic without a literal `@`, → unverified; otherwise
 * violated."
 * IMG-2: "A literal tag `latest`, or neither tag nor digest, on any container → violated; a tag or digest hidden in an
 * intrinsic → unverified; otherwise enforced."
 * IMG-3: "The tasks run on Fargate (the launch rule of SEC-2) → runtime-managed (Fargate pulls on every task start); otherwise
 * → external (the agent setting ECS_IMAGE_PULL_BEHAVIOR of the container instances)."
 *
 * @internal
 */
export function imageChecks(task: TaskView): Finding[] {
  // placeholders lose their colons (`${AWS::Region}` → `${AWSRegion}`), so that only a literal `:` can start a tag
  const image = (container: any) => flatten(container.Image).replace(/\$\{[^}]*\}/g, (placeholder) => placeholder.replace(/:/g, ''));
  return [
    task.eachContainer('IMG-1', 'Image', (c) => c.Image, (_v, c) => imageOutcome(image(c), isPinnedReference)),
    task.eachContainer('IMG-2', 'Image', (c) => c.Image, (_v, c) => (hiddenTag(image(c)) ? 'unknown' : imageOutcome(image(c), hasAcceptableTag))),
    task.launch === 'fargate'
      ? { id: 'IMG-3', status: ControlStatus.RUNTIME_MANAGED, evidence: [task.note(`${task.launchReason}; Fargate pulls the image on every task start`)] }
      : { id: 'IMG-3', status: ControlStatus.EXTERNAL, evidence: [task.note('off Fargate the pull behaviour is the agent setting ECS_IMAGE_PULL_BEHAVIOR of the container instances')] },
  ];
}

/**
 * IMG-4: "Every app container's `DockerLabels` hold the four OCI keys org.opencontainers.image.source, revision, version and
 * created with literal, well-formed values (source a URL, revision 7–64 hex, created RFC 3339) → enforced; a malformed value →
 * violated; an intrinsic value → unverified; a missing key → external (the image's own labels are not visible at synth time),
 * naming each missing key."
 *
 * @internal
 */
export function ociLabelCheck(task: TaskView): Finding {
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = []; const missing: string[] = [];
  for (const { container, path } of task.appContainers) {
    const labels = container.DockerLabels ?? {};
    for (const key of OCI_KEYS) {
      const value = labels[key];
      const text = task.field(`${path}.DockerLabels["${key}"]`, value);
      if (value === undefined) {
        missing.push(text);
      } else if (containsIntrinsic(value)) {
        unknown.push(text);
      } else if (OCI_VALUE_RULES[key] && !OCI_VALUE_RULES[key].test(String(value))) {
        bad.push(`${text} is malformed`);
      } else {
        good.push(text);
      }
    }
  }
  if (bad.length === 0 && unknown.length === 0 && missing.length > 0) {
    return { id: 'IMG-4', status: ControlStatus.EXTERNAL, evidence: [...good, ...missing.map((m) => `${m}: the image's own labels are not visible at synth time`)] };
  }
  return verdict('IMG-4', good, bad, unknown);
}

/**
 * META-1: "The task definition's `Tags` hold app.kubernetes.io/name, instance, version, component and managed-by with non-empty
 * values (part-of is listed when present), and a service sets `PropagateTags` TASK_DEFINITION or SERVICE → enforced; a missing
 * key or no propagation → violated; a tag list or value that is an intrinsic → unverified."
 * META-2: "Applies to tasks that declare themselves a model server or training job (the kind our constructs record in the template
 * metadata, the tag or docker label `app.kubernetes.io/component` `model-server`/`training-job`, or `model.*` docker labels); any
 * other task is not-applicable with that reason. The main container's `DockerLabels` name the model (`model.<prefix>/name` and `model.<prefix>/version`, the version
 * not `latest`, a `model.<prefix>/digest` if present a registered digest) → enforced; otherwise violated; an intrinsic value →
 * unverified."
 *
 * @internal
 */
export function metadataChecks(task: TaskView, service?: ServiceRef): Finding[] {
  return [ociLabelCheck(task), recommendedTags(task, service), modelProvenance(task)];
}

function tagMap(tags: unknown): Record<string, unknown> | undefined {
  const list = cfnList(tags);
  return list === undefined ? undefined : Object.fromEntries(list.map((t: any) => [t?.Key, t?.Value]));
}

function recommendedTags(task: TaskView, service?: ServiceRef): Finding {
  const tags = tagMap(task.props.Tags);
  if (tags === undefined) {
    return verdict('META-1', [], [], [task.field('Tags', task.props.Tags)]);
  }
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  for (const key of [...RECOMMENDED_TAGS, 'app.kubernetes.io/part-of']) {
    const value = tags[key];
    const text = task.field(`Tags["${key}"]`, value);
    if (value === undefined || value === '') {
      if (key !== 'app.kubernetes.io/part-of') {
        bad.push(text);
      }
    } else {
      (isIntrinsic(value) ? unknown : good).push(text);
    }
  }
  if (service) {
    const propagate = service.props.PropagateTags;
    const text = `Service ${service.id} ${propagate === undefined ? 'PropagateTags is not set' : `PropagateTags=${JSON.stringify(propagate)}`}`;
    (propagate === 'TASK_DEFINITION' || propagate === 'SERVICE' ? good : bad).push(text);
  }
  return verdict('META-1', good, bad, unknown);
}

function modelProvenance(task: TaskView): Finding {
  const declared = task.mlDeclaration;
  if (declared === undefined) {
    return {
      id: 'META-2',
      status: ControlStatus.NOT_APPLICABLE,
      evidence: [task.note('declares no model server or training job (no cdk-compliant-ml kind, no app.kubernetes.io/component '
        + 'model-server/training-job, no model.* docker label): model provenance does not apply')],
    };
  }
  const main = task.appContainers[0];
  const labels: Record<string, unknown> = main?.container.DockerLabels ?? {};
  const modelKeys = Object.keys(labels).filter((k) => k.startsWith('model.')).sort();
  const path = main?.path ?? 'ContainerDefinitions[0]';
  const text = (key: string) => task.field(`${path}.DockerLabels["${key}"]`, labels[key]);
  const nameKey = modelKeys.find((k) => k.endsWith('/name'));
  const versionKey = modelKeys.find((k) => k.endsWith('/version'));
  const digestKey = modelKeys.find((k) => k.endsWith('/digest'));
  const bad: string[] = []; const unknown = modelKeys.filter((k) => containsIntrinsic(labels[k])).map(text);
  if (!nameKey || !versionKey) {
    bad.push(task.field(`${path}.DockerLabels["model.*/${nameKey ? 'version' : 'name'}"]`, undefined));
  } else if (String(labels[versionKey]).toLowerCase() === 'latest') {
    bad.push(`${text(versionKey)}: a moving version names no model`);
  }
  if (digestKey && !containsIntrinsic(labels[digestKey]) && !DIGEST_PATTERN.test(String(labels[digestKey]))) {
    bad.push(`${text(digestKey)} is not a registered digest`);
  }
  return verdict('META-2', modelKeys.map(text), bad, unknown);
}

/**
 * RES-1: "Task-level `Cpu` and `Memory` both positive → enforced (GPU `ResourceRequirements` listed); without them every
 * container needs a positive `Cpu` and `Memory` or `MemoryReservation` → enforced, else violated; an intrinsic → unverified."
 *
 * @internal
 */
export function resourceCheck(task: TaskView): Finding {
  const judge = (value: unknown) => {
    const n = cfnNumber(value);
    return n === undefined ? 'bad' : Number.isNaN(n) ? 'unknown' : n > 0 ? 'ok' : 'bad';
  };
  const cpu = judge(task.props.Cpu);
  const memory = judge(task.props.Memory);
  const gpus = task.containers.flatMap(({ container, path }) => (cfnList(container.ResourceRequirements) ?? [])
    .map((r: any) => task.field(`${path}.ResourceRequirements[${r?.Type}]`, r?.Value)));
  if (cpu !== 'bad' && memory !== 'bad') {
    const fields = [task.field('Cpu', task.props.Cpu), task.field('Memory', task.props.Memory)];
    return verdict('RES-1', [...fields, ...gpus], [], cpu === 'unknown' || memory === 'unknown' ? fields : []);
  }
  const good: string[] = [...gpus]; const bad: string[] = []; const unknown: string[] = [];
  for (const { container, path } of task.containers) {
    const memoryField = container.Memory !== undefined ? 'Memory' : 'MemoryReservation';
    for (const [field, value] of [['Cpu', container.Cpu], [memoryField, container[memoryField]]] as Array<[string, unknown]>) {
      const outcome = judge(value);
      (outcome === 'ok' ? good : outcome === 'bad' ? bad : unknown).push(task.field(`${path}.${field}`, value));
    }
  }
  if (task.containers.length === 0) {
    bad.push(task.field('Cpu', task.props.Cpu), task.field('Memory', task.props.Memory));
  }
  return verdict('RES-1', good, bad, unknown);
}
