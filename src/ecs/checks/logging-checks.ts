/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnNumber, fieldText } from './cfn-values';
import { TaskView } from './task-view';
import { flatten } from './template';
import { ControlScope } from '../../compliance/control';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { WorkloadDefaults } from '../../core/defaults';
import { renderedDigest } from '../../core/patterns';
import { scanFinding } from '../../core/scan-validation';

/** Environment or secret names that declare the inference-record sink (LOG-4). */
const SINK_NAMES = ['INFERENCE_LOG_PATH', 'INFERENCE_LOG_GROUP', 'INFERENCE_LOG_STREAM', 'INFERENCE_LOG_URL'];

/** Evidence kept apart by outcome. */
interface Judged {
  readonly good: string[];
  readonly bad: string[];
  readonly unknown: string[];
}

/**
 * LOG-1: "Every container's `LogConfiguration.LogDriver` is awslogs with `Options.mode` blocking or non-blocking set
 * explicitly, or awsfirelens → enforced; otherwise violated."
 * LOG-2: "Every awslogs log group is an `AWS::Logs::LogGroup` of this template with `RetentionInDays` >= 184, or not set (never
 * expires; the evidence notes the missing upper bound) → enforced; a shorter retention → violated; a log group outside the
 * template → unverified; FireLens destinations (alone or beside a compliant router log group) → external (retention is set
 * where the logs land)."
 * LOG-3: "Every such log group has a `KmsKeyId` that targets an `AWS::KMS::Key` of this template with `EnableKeyRotation` true
 * → enforced; no key or no rotation → violated; a key or log group outside the template → unverified; FireLens destinations →
 * external."
 * LOG-4 (services): "A container declares the inference-record sink (INFERENCE_LOG_PATH, _GROUP, _STREAM or _URL in
 * `Environment` or `Secrets`) → external (the server must write one record per request there; the library does not produce the
 * records); none declared → external naming the missing sink."
 *
 * @internal
 */
export function loggingChecks(task: TaskView, scope: ControlScope): Finding[] {
  const logConfig = (container: any) => container.LogConfiguration ?? {};
  const out: Finding[] = [];
  const shipped: string[] = []; const unshipped: string[] = [];
  for (const { container, path } of task.containers) {
    const driver = logConfig(container).LogDriver;
    const mode = logConfig(container).Options?.mode;
    const text = `${task.field(`${path}.LogConfiguration.LogDriver`, driver)}, ${fieldText('Options.mode', mode)}`;
    (driver === 'awsfirelens' || (driver === 'awslogs' && ['blocking', 'non-blocking'].includes(mode)) ? shipped : unshipped).push(text);
  }
  out.push(verdict('LOG-1', shipped, unshipped));

  const groups = new Map<string, string>();
  const externalGroups: string[] = [];
  const firelens: string[] = [];
  for (const { container, path } of task.containers) {
    if (logConfig(container).LogDriver === 'awslogs') {
      const id = task.template.target(logConfig(container).Options?.['awslogs-group']);
      if (id && task.template.get(id)?.Type === 'AWS::Logs::LogGroup') {
        groups.set(id, path);
      } else {
        externalGroups.push(task.field(`${path}.LogConfiguration.Options.awslogs-group`, logConfig(container).Options?.['awslogs-group']) + ': a log group outside this template');
      }
    } else if (logConfig(container).LogDriver === 'awsfirelens') {
      firelens.push(task.field(`${path}.LogConfiguration.Options.Name`, logConfig(container).Options?.Name));
    }
  }
  const retention: Judged = { good: [], bad: [], unknown: [...externalGroups] };
  const encryption: Judged = { good: [], bad: [], unknown: [...externalGroups] };
  for (const id of [...groups.keys()].sort()) {
    const props = task.template.get(id)!.Properties ?? {};
    const days = cfnNumber(props.RetentionInDays);
    const retentionText = `LogGroup ${id} ${days === undefined ? 'RetentionInDays is not set: never expires (no upper bound: check storage limitation under GDPR)' : fieldText('RetentionInDays', props.RetentionInDays)}`;
    if (days !== undefined && Number.isNaN(days)) {
      retention.unknown.push(retentionText);
    } else {
      (days === undefined || days >= WorkloadDefaults.LOG_RETENTION_FLOOR_DAYS ? retention.good : retention.bad).push(retentionText);
    }
    const key = task.template.resolve(props.KmsKeyId);
    const keyText = `LogGroup ${id} ${props.KmsKeyId === undefined ? 'KmsKeyId is not set' : `KmsKeyId=${flatten(props.KmsKeyId)}`}`;
    if (props.KmsKeyId !== undefined && key?.resource.Type !== 'AWS::KMS::Key') {
      encryption.unknown.push(`${keyText}: a key outside this template`);
    } else if (key && key.resource.Properties?.EnableKeyRotation === true) {
      encryption.good.push(`${keyText} (Key ${key.id} EnableKeyRotation=true)`);
    } else {
      encryption.bad.push(key ? `${keyText} (Key ${key.id} ${key.resource.Properties?.EnableKeyRotation === undefined ? 'EnableKeyRotation is not set' : `EnableKeyRotation=${JSON.stringify(key.resource.Properties.EnableKeyRotation)}`})` : keyText);
    }
  }
  const groupFinding = (id: string, judged: Judged, what: string): Finding => {
    const destinations = firelens.map((f) => `${f}: FireLens destination, ${what} is set where the logs land`);
    if (judged.bad.length + judged.unknown.length > 0 || (judged.good.length > 0 && destinations.length === 0)) {
      return verdict(id, judged.good, judged.bad, judged.unknown);
    }
    if (judged.good.length > 0) {
      return { id, status: ControlStatus.EXTERNAL, evidence: [...judged.good, ...destinations] };
    }
    return {
      id,
      status: ControlStatus.EXTERNAL,
      evidence: firelens.length > 0
        ? firelens.map((f) => `${f}: FireLens destination, ${what} is set where the logs land`)
        : [task.note('no container ships logs to a log group')],
    };
  };
  out.push(groupFinding('LOG-2', retention, 'retention'), groupFinding('LOG-3', encryption, 'encryption'));

  if (scope === ControlScope.SERVICE) {
    const declared = task.containers.flatMap(({ container, path }) => [
      ...(container.Environment ?? []).filter((e: any) => SINK_NAMES.includes(e?.Name)).map((e: any) => task.field(`${path}.Environment[${e.Name}]`, e.Value)),
      ...(container.Secrets ?? []).filter((e: any) => SINK_NAMES.includes(e?.Name)).map((e: any) => task.field(`${path}.Secrets[${e.Name}].ValueFrom`, e.ValueFrom)),
    ]);
    out.push({
      id: 'LOG-4',
      status: ControlStatus.EXTERNAL,
      evidence: declared.length > 0
        ? [...declared, task.note('the inference server must write one record per request to this sink; the library does not produce the records')]
        : [task.note(`no inference-record sink declared (${SINK_NAMES.join(', ')}); the records must be written elsewhere`)],
    });
  }
  return out;
}

/**
 * REG-2 from what the template shows: the scan evidence recorded in the containers' docker labels (a report over its threshold
 * makes REG-2 violated), an ENHANCED registry scanning configuration, or basic scan-on-push on the image's repository.
 */
function scanningFinding(task: TaskView, repos: string[], scanning: Array<Record<string, any>>): Finding {
  const evidence: string[] = [];
  for (const { container, path } of task.containers) {
    const image = flatten(container.Image);
    const digest = renderedDigest(image);
    const digests = digest === undefined ? [] : [digest];
    const recorded = scanFinding(container.DockerLabels ?? {}, digests, (k, v) => task.field(`${path}.DockerLabels["${k}"]`, v));
    if (recorded?.status === ControlStatus.VIOLATED) {
      return recorded;
    }
    evidence.push(...recorded?.evidence ?? []);
  }
  const enhanced = scanning.find((s) => s.ScanType === 'ENHANCED');
  if (enhanced) {
    evidence.push(`RegistryScanningConfiguration ScanType=ENHANCED Rules=${JSON.stringify(enhanced.Rules ?? [])}`);
  }
  for (const id of repos) {
    if (task.template.get(id)!.Properties?.ImageScanningConfiguration?.ScanOnPush === true) {
      evidence.push(`Repository ${id} ImageScanningConfiguration.ScanOnPush=true (basic scanning on push only; AWS recommends `
        + 'the registry-level scanning configuration, ENHANCED with continuous scanning)');
    }
  }
  return evidence.length > 0
    ? { id: 'REG-2', status: ControlStatus.ENFORCED, evidence }
    : { id: 'REG-2', status: ControlStatus.EXTERNAL, evidence: ['vulnerability scanning is a registry/CI setting not in this template'] };
}

/**
 * REG-1: "Every ECR repository of this template that an image references has `ImageTagMutability` IMMUTABLE (or
 * IMMUTABLE_WITH_EXCLUSION) → enforced; MUTABLE or not set → violated; images from registries outside the template → external
 * (a registry setting)."
 * REG-2: "Scan evidence recorded in the containers' docker labels over its threshold → violated; scan evidence, an ENHANCED
 * `AWS::ECR::RegistryScanningConfiguration`, or scan-on-push on the image's repository → enforced; none → external (a registry
 * or CI setting)."
 * REG-3: "Always external: ECS has no native signature verification; a pipeline gate or a service lifecycle hook must verify
 * the images."
 *
 * @internal
 */
export function registryChecks(task: TaskView): Finding[] {
  const repos = new Set<string>();
  for (const { container } of task.containers) {
    const parts = container.Image?.['Fn::Join']?.[1] ?? [];
    for (const part of [container.Image, ...parts].flat(3)) {
      JSON.stringify(part ?? null).replace(/"(?:Ref|Fn::GetAtt)":\s*\[?"([^"]+)"/g, (_m, id: string) => {
        if (task.template.get(id)?.Type === 'AWS::ECR::Repository') {
          repos.add(id);
        }
        return '';
      });
    }
  }
  const scanning = task.template.idsOfType('AWS::ECR::RegistryScanningConfiguration').map((id) => task.template.get(id)!.Properties ?? {});
  const out: Finding[] = [];
  if (repos.size === 0) {
    out.push({ id: 'REG-1', status: ControlStatus.EXTERNAL, evidence: ['tag immutability is a setting of the image registry, which is not in this template'] });
  } else {
    const ids = [...repos].sort();
    const mutability = (id: string) => task.template.get(id)!.Properties?.ImageTagMutability;
    const text = (id: string) => `Repository ${id} ${mutability(id) === undefined ? 'ImageTagMutability is not set (MUTABLE)' : fieldText('ImageTagMutability', mutability(id))}`;
    out.push(verdict('REG-1', ids.map(text), ids.filter((id) => !String(mutability(id) ?? '').startsWith('IMMUTABLE')).map(text)));
  }
  out.push(scanningFinding(task, [...repos].sort(), scanning));
  out.push({ id: 'REG-3', status: ControlStatus.EXTERNAL, evidence: ['ECS has no native signature verification; a pipeline gate or lifecycle hook must verify images'] });
  return out;
}
