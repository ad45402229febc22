import { MODEL_CONTROLS } from './catalogue-model';
import { OPERATIONS_CONTROLS } from './catalogue-operations';
import { WORKLOAD_CONTROLS } from './catalogue-workload';
import { ControlDefinition, ControlFamily, ControlScope } from './control';
import { VERDICT_RULES } from './verdict-rules';

// MOD-1 follows the image controls: the model is pinned like the image.
const IMAGE_CONTROL_COUNT = WORKLOAD_CONTROLS.filter((c) => c.family === ControlFamily.IMAGE).length;
const ALL: readonly ControlDefinition[] = [
  ...WORKLOAD_CONTROLS.slice(0, IMAGE_CONTROL_COUNT), ...MODEL_CONTROLS, ...WORKLOAD_CONTROLS.slice(IMAGE_CONTROL_COUNT), ...OPERATIONS_CONTROLS,
]
  .map((c) => ({ ...c, verdictRule: VERDICT_RULES[c.id] }));
const BY_ID = new Map(ALL.map((c) => [c.id, c] as const));
const ORDER = new Map(ALL.map((c, i) => [c.id, i] as const));

/**
 * The control catalogue: every control this library enforces or reports, with its AI Act basis and how each backend meets it.
 *
 * The catalogue is data. Waivers, the compliance report and the checkers all refer to controls by their stable ID.
 */
export class ControlCatalogue {
  /**
   * Every control, in catalogue order (families as in the project's CONTROLS.md, then by number).
   */
  public static controls(): ControlDefinition[] {
    return ALL.map(copy);
  }

  /**
   * Every control ID, in catalogue order.
   */
  public static ids(): string[] {
    return ALL.map((c) => c.id);
  }

  /**
   * The control with this ID, or `undefined` when the catalogue has none.
   *
   * @param id a control ID such as `SEC-1`
   */
  public static find(id: string): ControlDefinition | undefined {
    const c = BY_ID.get(id);
    return c ? copy(c) : undefined;
  }

  /**
   * The control with this ID; throws when the catalogue has none.
   *
   * @param id a control ID such as `SEC-1`
   */
  public static get(id: string): ControlDefinition {
    const c = ControlCatalogue.find(id);
    if (!c) {
      throw new Error(`unknown control ${JSON.stringify(id)}: use one of ${ControlCatalogue.ids().join(', ')}`);
    }
    return c;
  }

  /**
   * The controls that apply to a kind of workload: a service gets the `SERVICE` and `ALL` controls, a job the `JOB` and `ALL` ones.
   *
   * @param scope `ControlScope.SERVICE` or `ControlScope.JOB` (`ALL` returns every control)
   */
  public static forScope(scope: ControlScope): ControlDefinition[] {
    return ALL.filter((c) => appliesTo(c, scope)).map(copy);
  }

  /**
   * The position of a control in catalogue order (for sorting); controls not in the catalogue sort last.
   *
   * @param id a control ID
   */
  public static orderOf(id: string): number {
    return ORDER.get(id) ?? ALL.length;
  }

  private constructor() {}
}

/** True when a control applies to a kind of workload (`ALL` as the kind: every control). */
function appliesTo(control: ControlDefinition, scope: ControlScope): boolean {
  return scope === ControlScope.ALL || control.scope === ControlScope.ALL || control.scope === scope;
}

function copy(c: ControlDefinition): ControlDefinition {
  return {
    ...c,
    articles: [...c.articles],
    externalRules: c.externalRules.map((r) => ({ ...r })),
    verdictRule: c.verdictRule ? { ...c.verdictRule } : undefined,
  };
}

/**
 * The IDs of the controls that apply to a kind of workload (what a waiver may name), in catalogue order.
 *
 * @internal
 */
export function applicableControlIds(scope: ControlScope): string[] {
  return ALL.filter((c) => appliesTo(c, scope)).map((c) => c.id);
}

/**
 * The AI Act articles of a control, without copying its definition (hot path of every evaluation); throws for unknown IDs.
 *
 * @internal
 */
export function articlesOf(id: string): string[] {
  const c = BY_ID.get(id);
  if (!c) {
    throw new Error(`unknown control ${JSON.stringify(id)}: use one of ${ALL.map((x) => x.id).join(', ')}`);
  }
  return [...c.articles];
}
