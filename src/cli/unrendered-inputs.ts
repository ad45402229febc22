import * as fs from 'fs';
import * as path from 'path';

/**
 * Inputs that hold workloads only after rendering: Helm chart templates, chart values and metadata, and Kustomizations.
 * `check` cannot evaluate them, and must not skip them silently either (a chart directory would otherwise pass `--enforce`
 * with nothing checked): they are named with the command that renders them and listed in the report's `notEvaluated`.
 * Not part of the library's API.
 */

/** An input file that `check` does not evaluate, with what it is and how to render it. @internal */
export interface UnrenderedInput {
  /** The file as given on the command line (or found below a directory given there); `<stdin>` for `-`. */
  readonly file: string;
  /** `HelmTemplate`, `HelmValues`, `HelmChart` or `Kustomization`. */
  readonly kind: string;
  /** Why it is not evaluated, with the one-line command that renders it for `check`. */
  readonly reason: string;
}

/** Go template actions, except CloudFormation's dynamic references (`{{resolve:ssm:...}}`), which templates may hold. */
const TEMPLATE_ACTION = /\{\{(?!\s*resolve:)/;
/**
 * A Go template action that only Helm writes: whitespace trimming (`{{-`, `-}}`), Helm's built-in objects (`.Values`,
 * `.Release`, `.Chart`, `.Capabilities`, `.Files`, `.Template`) or a control or Sprig/Helm function. Other `{{ }}` text is
 * data of the object: Argo Workflows' `{{inputs.parameters.x}}`, KServe runtimes' `{{.Name}}`, Knative's tag templates.
 */
const HELM_ACTION = new RegExp('\\{\\{-|-\\}\\}|\\{\\{\\s*(?:[$\\w.]*\\.(?:Values|Release|Chart|Capabilities|Files|Template)\\b'
  + '|(?:include|template|define|if|else|range|with|end|block|toYaml|tpl|required|default|quote|nindent|indent|printf|lookup)\\b)');
const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'kustomization']);
const KUSTOMIZE_API = /^kustomize\.config\.k8s\.io\//;

/** The directory of the Helm chart that holds `file` (the nearest parent with a Chart.yaml), or `<chart>`. */
function chartDirOf(file: string): string {
  let dir = path.dirname(file);
  for (let depth = 0; depth < 8; depth++) {
    if (fs.existsSync(path.join(dir, 'Chart.yaml')) || fs.existsSync(path.join(dir, 'Chart.yml'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      break;
    }
    dir = parent;
  }
  return '<chart>';
}

function helmHint(file: string): string {
  return `render the chart first: helm template <release> ${file === '<stdin>' ? '<chart>' : chartDirOf(file)} | cdk-compliant-ml check -`;
}

function kustomizeHint(file: string): string {
  return `render it first: kustomize build ${file === '<stdin>' ? '<dir>' : path.dirname(file)} | cdk-compliant-ml check -`;
}

/**
 * What a YAML input is when it is not a manifest but the source of one (by name: `Chart.yaml`, `values.yaml`,
 * `kustomization.yaml`; by content: a Go template action that Helm writes, or any action in a chart's `templates/`), or
 * undefined for a manifest or template to parse.
 *
 * @param file the file name as reported (`<stdin>` for standard input)
 * @internal
 */
export function unrenderedInput(file: string, text: string): UnrenderedInput | undefined {
  const name = path.basename(file).toLowerCase();
  if (name === 'chart.yaml' || name === 'chart.yml') {
    return { file, kind: 'HelmChart', reason: `the metadata of a Helm chart, not a manifest; ${helmHint(file)}` };
  }
  if (name === 'values.yaml' || name === 'values.yml') {
    return { file, kind: 'HelmValues', reason: `the values of a Helm chart, not a manifest; ${helmHint(file)}` };
  }
  if (KUSTOMIZATION_FILES.has(name)) {
    return { file, kind: 'Kustomization', reason: `a Kustomization, not a manifest; ${kustomizeHint(file)}` };
  }
  // inside a chart's templates/ directory any action is Helm's; elsewhere only the actions that Helm alone writes
  const inChartTemplates = file !== '<stdin>' && path.basename(path.dirname(file)) === 'templates' && chartDirOf(file) !== '<chart>';
  const action = (inChartTemplates ? TEMPLATE_ACTION : HELM_ACTION).exec(text);
  if (action) {
    const line = text.slice(0, action.index).split('\n').length;
    return { file, kind: 'HelmTemplate', reason: `a Helm template (a {{ action on line ${line}), not a manifest; ${helmHint(file)}` };
  }
  return undefined;
}

/**
 * Whether a parsed document is a Kustomization (or a kustomize Component) of any file name.
 *
 * @internal
 */
export function isKustomization(value: unknown): boolean {
  const object = value as { apiVersion?: unknown; kind?: unknown } | null;
  return !!object && typeof object === 'object' && typeof object.apiVersion === 'string' && KUSTOMIZE_API.test(object.apiVersion)
    && (object.kind === 'Kustomization' || object.kind === 'Component');
}

/**
 * The entry of a document that is a Kustomization.
 *
 * @internal
 */
export function kustomizationInput(file: string): UnrenderedInput {
  return { file, kind: 'Kustomization', reason: `a Kustomization, not a manifest; ${kustomizeHint(file)}` };
}
