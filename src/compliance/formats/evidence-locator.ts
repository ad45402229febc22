/* eslint-disable @typescript-eslint/no-explicit-any */
import * as path from 'path';
import type { SourceLocation } from './format-input';
import type { WorkloadReport } from '../report-model';

/**
 * Finding the file and line that an evidence string names. Evidence names the object first and then the field:
 * `Deployment fraud-scorer spec.template.spec.containers[0].securityContext.runAsNonRoot=true`,
 * `TaskDefinition ScorerTask ContainerDefinitions[0].DockerLabels["x"] is not set`, `LogGroup Logs: ...`, or, for a Dockerfile,
 * `Dockerfile:7 USER root`. The locator indexes every object of the written or read files once (by kind and name), so each
 * look-up costs the depth of the field path, and the whole report is located in time linear in its size.
 */

/**
 * One object of a located file: a Kubernetes object (kind, `metadata.name`) or a CloudFormation resource (the last part of its
 * type, e.g. `TaskDefinition`, and its logical ID).
 *
 * @internal
 */
export interface LocatedObject {
  /** The file, as a location names it. */
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  /** The line of the field at `fieldPath` below the object (of the closest existing parent; `[]`: of the object itself). */
  lineOf(fieldPath: Array<string | number>): number | undefined;
}

/** A field path segment of evidence: `.name`, `[0]`, `["key"]` or `[KEY]`. */
const FIELD_PATH = /^[A-Za-z_$][\w$-]*(?:\[(?:\d+|"(?:[^"\\]|\\.)*"|[^\]"]*)\]|\.[A-Za-z_$][\w$-]*)*/;
const OBJECT_EVIDENCE = /^([A-Z][A-Za-z0-9]*) ([^\s:,=]+):? ?(.*)$/s;
const FILE_LINE_EVIDENCE = /^(\S+?):(\d+)(?:\s|$)/;

/**
 * The segments of a field path written in evidence: `a.b[0]["c.d"][E]` → `['a', 'b', 0, 'c.d', 'E']`.
 *
 * @internal
 */
export function parseFieldPath(text: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const re = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[([^\]"]*)\]/gy;
  for (let m = re.exec(text); m !== null && m[0] !== ''; m = re.exec(text)) {
    if (m[1] !== undefined) {
      segments.push(m[1]);
    } else if (m[2] !== undefined) {
      segments.push(Number(m[2]));
    } else if (m[3] !== undefined) {
      segments.push(JSON.parse(`"${m[3]}"`) as string);
    } else {
      segments.push(m[4]);
    }
  }
  return segments;
}

/**
 * What an evidence string names: an object (kind, name) and the field path after it, or a file name and line.
 *
 * @internal
 */
export type EvidenceTarget =
  | { readonly kind: string; readonly name: string; readonly field: Array<string | number> }
  | { readonly fileName: string; readonly line: number };

/** @internal */
export function parseEvidence(evidence: string): EvidenceTarget | undefined {
  const fileLine = FILE_LINE_EVIDENCE.exec(evidence);
  if (fileLine && !/^[A-Z][A-Za-z0-9]*$/.test(fileLine[1])) {
    return { fileName: fileLine[1], line: Number(fileLine[2]) };
  }
  if (fileLine && /^(Dockerfile|Containerfile)$/.test(fileLine[1])) {
    return { fileName: fileLine[1], line: Number(fileLine[2]) };
  }
  const object = OBJECT_EVIDENCE.exec(evidence);
  if (!object) {
    return undefined;
  }
  const field = FIELD_PATH.exec(object[3]);
  return { kind: object[1], name: object[2], field: field ? parseFieldPath(field[0]) : [] };
}

/**
 * Locates evidence in a set of indexed objects and files.
 *
 * For each evidence string: the line of the named field of the named object (the closest existing parent when the field is
 * absent, which is the common violation); else the line of the workload's own object; else line 1 of the workload's file;
 * else nothing. The workload's own object is the one its path names (`FILE#Kind/name`, `FILE#LogicalId` of `check`) or,
 * for a synthesized workload (a construct path), the first object any of its evidence names.
 *
 * @internal
 */
export class EvidenceLocator {
  private readonly byKindName = new Map<string, LocatedObject[]>();
  private readonly byName = new Map<string, LocatedObject[]>();
  private readonly files: Set<string>;
  private readonly ownObjects = new Map<string, LocatedObject | undefined>();

  /**
   * @param objects every object of the files
   * @param files every file that may be named by a workload path (Dockerfiles, manifests), as locations name them
   */
  constructor(objects: Iterable<LocatedObject>, files: Iterable<string> = []) {
    const fileSet = new Set(files);
    for (const o of objects) {
      push(this.byKindName, `${o.kind}\0${o.name}`, o);
      push(this.byName, o.name, o);
      fileSet.add(o.file);
    }
    this.files = fileSet;
  }

  /** Where the evidence of a workload points, or `undefined` when no file of the locator holds it. */
  public locate(workload: WorkloadReport, evidence: string): SourceLocation | undefined {
    const workloadFile = this.fileOfPath(workload.path);
    const target = parseEvidence(evidence);
    if (target && 'fileName' in target) {
      const file = workloadFile !== undefined && path.basename(workloadFile) === target.fileName ? workloadFile : undefined;
      if (file !== undefined) {
        return { file, line: target.line };
      }
    } else if (target) {
      const object = this.find(target.kind, target.name, workloadFile, workload.path);
      const line = object?.lineOf(target.field);
      if (object && line !== undefined) {
        return { file: object.file, line };
      }
    }
    const own = this.ownObject(workload);
    const ownLine = own?.lineOf([]);
    if (own && ownLine !== undefined) {
      return { file: own.file, line: ownLine };
    }
    return workloadFile !== undefined ? { file: workloadFile, line: 1 } : undefined;
  }

  /**
   * The object of that kind and name (CloudFormation evidence names resources by logical ID alone), preferring one in `file`,
   * else one in a file named after the workload's chart or stack (`fraud.k8s.yaml`, `0000-fraud.k8s.yaml`,
   * `FraudServing.template.json` for the path `fraud/...` or `FraudServing/...`), else the first.
   */
  private find(kind: string, name: string, file: string | undefined, workloadPath?: string): LocatedObject | undefined {
    const candidates = this.byKindName.get(`${kind}\0${name}`) ?? this.byName.get(name) ?? [];
    if (candidates.length <= 1) {
      return candidates[0];
    }
    const inFile = candidates.find((o) => o.file === file);
    if (inFile || workloadPath === undefined) {
      return inFile ?? candidates[0];
    }
    const top = workloadPath.split('/')[0];
    const named = (o: LocatedObject) => {
      const base = path.basename(o.file);
      const stem = base.slice(0, base.indexOf('.') < 0 ? base.length : base.indexOf('.'));
      return stem === top || stem.replace(/^\d+-/, '') === top;
    };
    return candidates.find(named) ?? candidates[0];
  }

  /** The file a workload path names (`FILE#...` of `check`, or a Dockerfile's path), when it is one of the locator's. */
  private fileOfPath(workloadPath: string): string | undefined {
    const hash = workloadPath.lastIndexOf('#');
    const file = hash >= 0 ? workloadPath.slice(0, hash) : workloadPath;
    return this.files.has(file) ? file : undefined;
  }

  private ownObject(workload: WorkloadReport): LocatedObject | undefined {
    if (this.ownObjects.has(workload.path)) {
      return this.ownObjects.get(workload.path);
    }
    let own: LocatedObject | undefined;
    const hash = workload.path.lastIndexOf('#');
    if (hash >= 0) {
      const file = workload.path.slice(0, hash);
      const ref = workload.path.slice(hash + 1);
      const slash = ref.indexOf('/');
      own = slash >= 0 ? this.find(ref.slice(0, slash), ref.slice(slash + 1), file) : this.byName.get(ref)?.find((o) => o.file === file);
    }
    for (const control of own ? [] : workload.controls) {
      for (const evidence of control.evidence) {
        const target = parseEvidence(evidence);
        own = target && 'kind' in target ? this.find(target.kind, target.name, undefined, workload.path) : undefined;
        if (own) {
          break;
        }
      }
      if (own) {
        break;
      }
    }
    this.ownObjects.set(workload.path, own);
    return own;
  }
}

/**
 * The objects of one parsed document: the resources of a CloudFormation template (field paths below `Properties`), the items
 * of a kubectl List (also nested) or of a JSON array, or the Kubernetes object itself.
 *
 * @param lineOf the line of a field path from the document's root
 * @internal
 */
export function documentObjects(file: string, value: unknown, lineOf: (fieldPath: Array<string | number>) => number | undefined): LocatedObject[] {
  const out: LocatedObject[] = [];
  const add = (obj: any, at: Array<string | number>, depth: number): void => {
    if (!obj || typeof obj !== 'object' || depth > 16) {
      return;
    }
    if (Array.isArray(obj)) {
      obj.forEach((item, i) => add(item, [...at, i], depth + 1));
    } else if (depth === 0 && (isRecord(obj.Resources) || 'AWSTemplateFormatVersion' in obj)) {
      for (const [id, resource] of Object.entries<any>(isRecord(obj.Resources) ? obj.Resources : {})) {
        const type = typeof resource?.Type === 'string' ? resource.Type as string : '';
        const base = ['Resources', id];
        out.push({
          file,
          kind: type.slice(type.lastIndexOf(':') + 1),
          name: id,
          lineOf: (field) => (field.length === 0 ? lineOf(base) : lineOf([...base, 'Properties', ...field])),
        });
      }
    } else if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach((item: unknown, i: number) => add(item, [...at, 'items', i], depth + 1));
    } else if (typeof obj.kind === 'string' && typeof obj.metadata?.name === 'string') {
      out.push({ file, kind: obj.kind, name: obj.metadata.name, lineOf: (field) => lineOf([...at, ...field]) });
    }
  };
  add(value, [], 0);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}
