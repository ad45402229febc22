/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A synthesized CloudFormation template (the parsed JSON of a stack).
 *
 * @internal
 */
export type CfnTemplate = { Resources?: Record<string, CfnResourceJson>; [key: string]: any };

/**
 * One resource of a template.
 *
 * @internal
 */
export type CfnResourceJson = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any>; [key: string]: any };

/**
 * Read access to one template: resources by logical ID and type, and intrinsic-function flattening.
 *
 * @internal
 */
export class TemplateView {
  public readonly resources: Record<string, CfnResourceJson>;
  private readonly byType = new Map<string, string[]>();
  private refIndex?: Map<string, string[]>;

  constructor(template: CfnTemplate) {
    this.resources = template.Resources ?? {};
    for (const [id, r] of Object.entries(this.resources)) {
      const list = this.byType.get(r.Type) ?? [];
      list.push(id);
      this.byType.set(r.Type, list);
    }
  }

  /** Logical IDs of every resource of a type, in template order. */
  public idsOfType(type: string): string[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource with a logical ID, if the template has it. */
  public get(id: string | undefined): CfnResourceJson | undefined {
    return id === undefined ? undefined : this.resources[id];
  }

  /**
   * The logical ID a `Ref` or `Fn::GetAtt` points to, when the value is one; also the `${Id}`/`${Id.Attr}` placeholder that
   * `flatten` writes (Step Functions definitions are read from their flattened `DefinitionString`).
   */
  public target(value: any): string | undefined {
    if (typeof value === 'string') {
      const placeholder = /^\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}$/.exec(value);
      return placeholder && this.resources[placeholder[1]] ? placeholder[1] : undefined;
    }
    if (value && typeof value === 'object') {
      if (typeof value.Ref === 'string') {
        return value.Ref;
      }
      const att = value['Fn::GetAtt'];
      if (Array.isArray(att) && typeof att[0] === 'string') {
        return att[0];
      }
    }
    return undefined;
  }

  /** The resource a `Ref`/`Fn::GetAtt` value points to, when it is in this template. */
  public resolve(value: any): { id: string; resource: CfnResourceJson } | undefined {
    const id = this.target(value);
    const resource = this.get(id);
    return id && resource ? { id, resource } : undefined;
  }

  /**
   * Logical IDs of every resource whose properties reference `id` (by `Ref` or `Fn::GetAtt`), in template order. The
   * reference index is built once per template, so look-ups stay linear in the number of workloads.
   */
  public referrers(id: string, type?: string): string[] {
    if (!this.refIndex) {
      this.refIndex = new Map();
      for (const [rid, r] of Object.entries(this.resources)) {
        for (const target of referencedIds(r.Properties, new Set())) {
          const list = this.refIndex.get(target) ?? [];
          list.push(rid);
          this.refIndex.set(target, list);
        }
      }
    }
    const ids = this.refIndex.get(id) ?? [];
    return type ? ids.filter((rid) => this.resources[rid].Type === type) : [...ids];
  }
}

/** Every logical ID a JSON value references by `Ref` or `Fn::GetAtt`. */
function referencedIds(value: any, out: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => referencedIds(v, out));
  } else if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') {
      out.add(value.Ref);
    }
    const att = value['Fn::GetAtt'];
    if (Array.isArray(att) && typeof att[0] === 'string') {
      out.add(att[0]);
    }
    Object.values(value).forEach((v) => referencedIds(v, out));
  }
  return out;
}

/**
 * Flattens a CloudFormation value to text: literal parts as written, `Fn::Join` joined, and every other intrinsic shown as
 * `${Ref}`/`${Logical.Attr}`/`${Fn}`. An image whose digest is literal stays checkable even when its name is a token.
 *
 * @internal
 */
export function flatten(value: any): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value !== 'object') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.map(flatten).join(',');
  }
  if (Array.isArray(value['Fn::Join'])) {
    const [sep, parts] = value['Fn::Join'];
    return Array.isArray(parts) ? parts.map(flatten).join(String(sep)) : '${Fn::Join}';
  }
  if (typeof value.Ref === 'string') {
    return `\${${value.Ref}}`;
  }
  if (Array.isArray(value['Fn::GetAtt'])) {
    return `\${${value['Fn::GetAtt'].join('.')}}`;
  }
  if (typeof value['Fn::Sub'] === 'string') {
    return value['Fn::Sub'];
  }
  const key = Object.keys(value)[0];
  return `\${${key ?? 'value'}}`;
}
