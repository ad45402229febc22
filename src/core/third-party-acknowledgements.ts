import { compareCodeUnits } from './ordering';

/**
 * Acknowledgements of rules of the independent checkers that CI runs on the output (scripts/third-party-checks.sh): checkov
 * (Kubernetes, CloudFormation, Dockerfile) and cfn-lint. Each is written where the checker itself reads it, and read back
 * from there into the report's `acknowledgedRules`, so an auditor sees the same reason as the checker:
 *
 * - checkov on Kubernetes: an annotation `checkov.io/skip<N>: <check id>=<reason>` on the object (checkov 3.3
 *   `kubernetes/kubernetes_utils.py`: any annotation key containing `checkov.io/skip`, `bridgecrew.io/skip` or
 *   `cortex.io/skip`; the value is split at `=`, so a reason that holds `=` makes checkov fail on the file);
 * - checkov on CloudFormation: `Metadata.checkov.skip: [{id, comment}]` of the resource (`cloudformation/context_parser.py`);
 * - cfn-lint: `Metadata.cfn-lint.config.ignore_checks: [<rule>]` of the resource, which has no place for a reason: the
 *   reason goes beside it into `Metadata.cdk-compliant-ml/acknowledged: [{tool: 'cfn-lint', rule, reason}]`.
 *
 * Rules appear in the report as `checkov:<check id>` and `cfn-lint:<rule>`. Not part of the library's API.
 */

/** The annotation key prefixes that checkov reads as a suppression (the first is the one we write). @internal */
export const CHECKOV_SKIP_ANNOTATION_PREFIXES = ['checkov.io/skip', 'bridgecrew.io/skip', 'cortex.io/skip'] as const;

/** The resource metadata key holding the reasons of the cfn-lint rules a resource ignores. @internal */
export const CFN_LINT_REASONS_METADATA_KEY = 'cdk-compliant-ml/acknowledged';

/** A third-party rule acknowledged on an object of the output, as read from the output. @internal */
export interface ThirdPartyAcknowledgement {
  /** `checkov:<check id>` or `cfn-lint:<rule>`. */
  readonly rule: string;
  readonly reason: string;
}

/** What reading one object's acknowledgements gives: the valid ones, and one message per entry that acknowledges nothing. @internal */
export interface ReadAcknowledgements {
  readonly acknowledged: ThirdPartyAcknowledgement[];
  readonly problems: string[];
}

/** A checkov check ID (`CKV_K8S_35`, `CKV2_AWS_5`, `CKV_DOCKER_2`) or a cfn-lint rule (`W3005`, `E3012`, `I3042`). */
const CHECKOV_ID = /^CKV2?_[A-Z0-9]+_\d+$/;
const CFN_LINT_ID = /^[EWI]\d{4}$/;

/**
 * Why a reason cannot be written as an acknowledgement (undefined when it can): empty, one line only, and no `=` (checkov splits
 * a Kubernetes annotation's value at every `=`).
 *
 * @internal
 */
export function thirdPartyReasonProblem(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    return 'has no reason';
  }
  if (/[\r\n]/.test(reason)) {
    return 'has a reason of more than one line';
  }
  if (reason.includes('=')) {
    return 'has a reason containing "=", which checkov cannot read from an annotation';
  }
  return undefined;
}

/**
 * Throws unless `rule` is a checkov check ID (`tool` checkov) or a cfn-lint rule ID and the reason can be written; for the
 * constructs' own acknowledgements, which are code, so a bad one is a bug.
 *
 * @internal
 */
export function requireThirdPartyAcknowledgement(tool: 'checkov' | 'cfn-lint', rule: string, reason: string): void {
  if (!(tool === 'checkov' ? CHECKOV_ID : CFN_LINT_ID).test(rule)) {
    throw new Error(`${rule} is not a ${tool} rule ID`);
  }
  const problem = thirdPartyReasonProblem(reason);
  if (problem) {
    throw new Error(`the acknowledgement of ${tool} ${rule} ${problem}`);
  }
}

/**
 * The checkov suppressions in the annotations of a Kubernetes object, read as checkov reads them: every key that contains a
 * suppression prefix, its value `<check id>=<reason>`. A value without a reason, with more than one `=` or naming no check ID
 * is a problem (checkov records it as "No comment provided", or cannot read the file).
 *
 * @internal
 */
export function readCheckovAnnotations(annotations: unknown): ReadAcknowledgements {
  const acknowledged: ThirdPartyAcknowledgement[] = [];
  const problems: string[] = [];
  if (!annotations || typeof annotations !== 'object' || Array.isArray(annotations)) {
    return { acknowledged, problems };
  }
  for (const [key, raw] of Object.entries(annotations as Record<string, unknown>).sort(([a], [b]) => compareCodeUnits(a, b))) {
    if (!CHECKOV_SKIP_ANNOTATION_PREFIXES.some((prefix) => key.includes(prefix))) {
      continue;
    }
    const value = String(raw);
    const parts = value.split('=');
    const id = parts[0].trim();
    if (!CHECKOV_ID.test(id)) {
      problems.push(`annotation ${key}: ${JSON.stringify(value)} names no checkov check ID (write <check id>=<reason>)`);
    } else if (parts.length > 2) {
      problems.push(`annotation ${key}: the reason of ${id} contains "=", which checkov cannot read`);
    } else if (parts.length < 2 || parts[1].trim().length === 0) {
      problems.push(`annotation ${key}: ${id} is skipped without a reason (write ${id}=<reason>)`);
    } else {
      acknowledged.push({ rule: `checkov:${id}`, reason: parts[1].trim() });
    }
  }
  return { acknowledged, problems };
}

/**
 * The checkov suppressions (`Metadata.checkov.skip`, and `Metadata.bridgecrew.skip`, which checkov reads too) and the reasoned
 * cfn-lint ignores (`Metadata.cfn-lint.config.ignore_checks` with the reason in `Metadata.cdk-compliant-ml/acknowledged`) of
 * one CloudFormation resource. An entry without a reason is a problem.
 *
 * @internal
 */
export function readTemplateAcknowledgements(metadata: unknown): ReadAcknowledgements {
  const acknowledged: ThirdPartyAcknowledgement[] = [];
  const problems: string[] = [];
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return { acknowledged, problems };
  }
  const meta = metadata as Record<string, any>;
  for (const source of ['checkov', 'bridgecrew']) {
    const skips: unknown = meta[source]?.skip;
    for (const skip of Array.isArray(skips) ? skips : []) {
      const id = typeof skip?.id === 'string' ? skip.id : undefined;
      const reason = typeof skip?.comment === 'string' ? skip.comment.trim() : '';
      if (!id) {
        problems.push(`Metadata.${source}.skip: ${JSON.stringify(skip)} has no id`);
      } else if (reason.length === 0) {
        problems.push(`Metadata.${source}.skip: ${id} has no comment (the reason)`);
      } else {
        acknowledged.push({ rule: `checkov:${id}`, reason });
      }
    }
  }
  const ignored: unknown = meta['cfn-lint']?.config?.ignore_checks;
  const recorded: unknown = meta[CFN_LINT_REASONS_METADATA_KEY];
  for (const rule of Array.isArray(ignored) ? ignored.map(String) : []) {
    const entry = Array.isArray(recorded) ? recorded.find((r: any) => r?.tool === 'cfn-lint' && r?.rule === rule) : undefined;
    if (typeof entry?.reason === 'string' && entry.reason.trim().length > 0) {
      acknowledged.push({ rule: `cfn-lint:${rule}`, reason: entry.reason.trim() });
    } else {
      problems.push(`Metadata.cfn-lint.config.ignore_checks: ${rule} has no reason in Metadata.${CFN_LINT_REASONS_METADATA_KEY}`);
    }
  }
  return { acknowledged, problems };
}

/** checkov's inline suppression comment (checkov 3.3 `common/comment/enum.py` COMMENT_REGEX): `checkov:skip=<ids>:<reason>`. */
const CHECKOV_COMMENT = /(?:checkov|bridgecrew|cortex):skip= *([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)?(:[^\n]*)?/;

/**
 * The checkov suppressions in the comments of a Dockerfile (`# checkov:skip=CKV_DOCKER_2: <reason>`; one comment may name
 * several checks, comma-separated). A comment without a reason is a problem.
 *
 * @internal
 */
export function readCheckovComments(text: string): ReadAcknowledgements {
  const acknowledged: ThirdPartyAcknowledgement[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const comment = /^\s*#(.*)$/.exec(line);
    const match = comment ? CHECKOV_COMMENT.exec(comment[1]) : null;
    if (!match) {
      return;
    }
    const reason = (match[2] ?? '').slice(1).trim();
    const ids = (match[1] ?? '').split(',').filter((id) => id.length > 0);
    if (ids.length === 0) {
      problems.push(`line ${i + 1}: a checkov skip comment names no check ID`);
    } else if (reason.length === 0) {
      problems.push(`line ${i + 1}: ${ids.join(', ')} skipped without a reason (write # checkov:skip=${ids[0]}: <reason>)`);
    } else {
      acknowledged.push(...ids.map((id) => ({ rule: `checkov:${id}`, reason })));
    }
  });
  return { acknowledged, problems };
}
