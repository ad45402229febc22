/* eslint-disable @typescript-eslint/no-explicit-any */
import { TaskView } from './task-checks';
import { flatten } from './template';
import { ControlScope } from '../../compliance/control';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { WorkloadDefaults } from '../../core/defaults';
import { renderedDigest } from '../../core/patterns';
import { scanFinding } from '../../core/scan-validation';

/** Environment or secret names that declare the inference-record sink (LOG-4). */
const SINK_NAMES = ['INFERENCE_LOG_PATH', 'INFERENCE_LOG_GROUP', 'INFERENCE_LOG_STREAM', 'INFERENCE_LOG_URL'];

/** LOG-1..4: log drivers with an explicit mode, retention and encryption of the log groups, the inference sink. @internal */
export function loggingChecks(t: TaskView, scope: ControlScope): Finding[] {
  const cfg = (c: any) => c.LogConfiguration ?? {};
  const out: Finding[] = [];
  out.push(t.each('LOG-1', 'LogConfiguration.{LogDriver,Options.mode}', (c) => {
    const driver = cfg(c).LogDriver;
    return driver === 'awsfirelens' || (driver === 'awslogs' && ['blocking', 'non-blocking'].includes(cfg(c).Options?.mode));
  }, (c) => [cfg(c).LogDriver ?? null, cfg(c).Options?.mode ?? null]));

  const groups = new Map<string, string>();
  const externalGroups: string[] = [];
  const firelens: string[] = [];
  for (const { c, path } of t.containers) {
    if (cfg(c).LogDriver === 'awslogs') {
      const id = t.template.target(cfg(c).Options?.['awslogs-group']);
      if (id && t.template.get(id)?.Type === 'AWS::Logs::LogGroup') {
        groups.set(id, path);
      } else {
        externalGroups.push(t.ev(`${path}.LogConfiguration.Options.awslogs-group`, flatten(cfg(c).Options?.['awslogs-group'])));
      }
    } else if (cfg(c).LogDriver === 'awsfirelens') {
      firelens.push(t.ev(`${path}.LogConfiguration.Options.Name`, cfg(c).Options?.Name));
    }
  }
  const ret: { good: string[]; bad: string[] } = { good: [], bad: [] };
  const enc: { good: string[]; bad: string[] } = { good: [], bad: [] };
  for (const id of [...groups.keys()].sort()) {
    const p = t.template.get(id)!.Properties ?? {};
    const days = p.RetentionInDays;
    (days === undefined || days >= WorkloadDefaults.LOG_RETENTION_FLOOR_DAYS ? ret.good : ret.bad)
      .push(`LogGroup ${id} RetentionInDays=${days === undefined ? 'never expires (no upper bound: check storage limitation under GDPR)' : days}`);
    const key = t.template.resolve(p.KmsKeyId);
    const rotated = key?.resource.Type === 'AWS::KMS::Key' && key.resource.Properties?.EnableKeyRotation === true;
    (rotated ? enc.good : enc.bad).push(`LogGroup ${id} KmsKeyId=${flatten(p.KmsKeyId) || null}${key ? ` (Key ${key.id} EnableKeyRotation=${key.resource.Properties?.EnableKeyRotation ?? false})` : ''}`);
  }
  const elsewhere = [...externalGroups, ...firelens.map((f) => `${f}: FireLens destination`)];
  const groupFinding = (id: string, v: { good: string[]; bad: string[] }, what: string): Finding => {
    if (v.bad.length > 0 || (v.good.length > 0 && elsewhere.length === 0)) {
      return verdict(id, v.good, v.bad);
    }
    return { id, status: ControlStatus.EXTERNAL, evidence: [...v.good, ...elsewhere.map((e) => `${e}: ${what} is set where the logs land`)] };
  };
  out.push(groupFinding('LOG-2', ret, 'retention'), groupFinding('LOG-3', enc, 'encryption'));

  if (scope === ControlScope.SERVICE) {
    const declared = t.containers.flatMap(({ c, path }) => [...(c.Environment ?? []), ...(c.Secrets ?? [])]
      .filter((e: any) => SINK_NAMES.includes(e.Name)).map((e: any) => t.ev(`${path}.Environment[${e.Name}]`, flatten(e.Value ?? e.ValueFrom))));
    out.push(declared.length > 0
      ? { id: 'LOG-4', status: ControlStatus.ENFORCED, evidence: declared }
      : { id: 'LOG-4', status: ControlStatus.EXTERNAL, evidence: [`TaskDefinition ${t.id}: no inference-record sink declared (${SINK_NAMES[0]})`] });
  }
  return out;
}

/**
 * REG-2 from what the template shows: the scan evidence recorded in the containers' docker labels (a report over its threshold
 * makes REG-2 violated), an ENHANCED registry scanning configuration, or basic scan-on-push on the image's repository.
 */
function scanningFinding(t: TaskView, repos: string[], scanning: Array<Record<string, any>>): Finding {
  const evidence: string[] = [];
  for (const { c, path } of t.containers) {
    const image = flatten(c.Image);
    const digest = renderedDigest(image);
    const digests = digest === undefined ? [] : [digest];
    const recorded = scanFinding(c.DockerLabels ?? {}, digests, (k, v) => t.ev(`${path}.DockerLabels["${k}"]`, v));
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
    if (t.template.get(id)!.Properties?.ImageScanningConfiguration?.ScanOnPush === true) {
      evidence.push(`Repository ${id} ImageScanningConfiguration.ScanOnPush=true (basic scanning on push only; AWS recommends `
        + 'the registry-level scanning configuration, ENHANCED with continuous scanning)');
    }
  }
  return evidence.length > 0
    ? { id: 'REG-2', status: ControlStatus.ENFORCED, evidence }
    : { id: 'REG-2', status: ControlStatus.EXTERNAL, evidence: ['vulnerability scanning is a registry/CI setting not in this template'] };
}

/** REG-1, REG-2: settings of ECR repositories in the same template that the images come from. @internal */
export function registryChecks(t: TaskView): Finding[] {
  const repos = new Set<string>();
  for (const { c } of t.containers) {
    const parts = c.Image?.['Fn::Join']?.[1] ?? [];
    for (const part of [c.Image, ...parts].flat(3)) {
      JSON.stringify(part ?? null).replace(/"(?:Ref|Fn::GetAtt)":\s*\[?"([^"]+)"/g, (_m, id: string) => {
        if (t.template.get(id)?.Type === 'AWS::ECR::Repository') {
          repos.add(id);
        }
        return '';
      });
    }
  }
  const scanning = t.template.idsOfType('AWS::ECR::RegistryScanningConfiguration').map((id) => t.template.get(id)!.Properties ?? {});
  const out: Finding[] = [];
  if (repos.size === 0) {
    out.push({ id: 'REG-1', status: ControlStatus.EXTERNAL, evidence: ['tag immutability is a setting of the image registry, which is not in this template'] });
  } else {
    const ids = [...repos].sort();
    const mut = (id: string) => t.template.get(id)!.Properties?.ImageTagMutability ?? 'MUTABLE';
    out.push(verdict('REG-1', ids.map((id) => `Repository ${id} ImageTagMutability=${mut(id)}`),
      ids.filter((id) => !String(mut(id)).startsWith('IMMUTABLE')).map((id) => `Repository ${id} ImageTagMutability=${mut(id)}`)));
  }
  out.push(scanningFinding(t, [...repos].sort(), scanning));
  out.push({ id: 'REG-3', status: ControlStatus.EXTERNAL, evidence: ['ECS has no native signature verification; a pipeline gate or lifecycle hook must verify images'] });
  return out;
}
