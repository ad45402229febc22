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

  /** The logical ID a `Ref` or `Fn::GetAtt` points to, when the value is one. */
  public target(value: any): string | undefined {
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

  /** Logical IDs of every resource whose properties reference `id` (by `Ref` or `Fn::GetAtt`). */
  public referrers(id: string, type?: string): string[] {
    const ids = type ? this.idsOfType(type) : Object.keys(this.resources);
    return ids.filter((rid) => references(this.resources[rid].Properties, id));
  }
}

/** True when a JSON value contains a `Ref` or `Fn::GetAtt` to the logical ID. */
function references(value: any, id: string): boolean {
  if (Array.isArray(value)) {
    return value.some((v) => references(v, id));
  }
  if (value && typeof value === 'object') {
    if (value.Ref === id) {
      return true;
    }
    const att = value['Fn::GetAtt'];
    if (Array.isArray(att) && att[0] === id) {
      return true;
    }
    return Object.values(value).some((v) => references(v, id));
  }
  return false;
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
