/**
 * Which kinds of workload a control applies to.
 */
export enum ControlScope {
  /** Long-running model services (Deployments, ECS services). */
  SERVICE = 'service',
  /** Run-to-completion training or batch jobs (Jobs, CronJobs, ECS run-task). */
  JOB = 'job',
  /** Every workload. */
  ALL = 'all',
}

/**
 * The family a control belongs to; the prefix of its ID.
 */
export enum ControlFamily {
  /** IMG-*: image references and their provenance. */
  IMAGE = 'image',
  /** MOD-*: the model weights as a pinned, verified input. */
  MODEL = 'model',
  /** META-*: labels, tags and provenance metadata. */
  METADATA = 'metadata',
  /** SEC-*: process and pod isolation. */
  SECURITY = 'security',
  /** NET-*: network isolation. */
  NETWORK = 'network',
  /** RES-*: resource requests and limits. */
  RESOURCES = 'resources',
  /** AVL-*: redundancy and safe rollout of services. */
  AVAILABILITY = 'availability',
  /** PRB-*: health probes. */
  PROBES = 'probes',
  /** JOB-*: bounded, retried, evidence-preserving jobs. */
  JOBS = 'jobs',
  /** LOG-*: record keeping. */
  LOGGING = 'logging',
  /** MON-*: operational monitoring. */
  MONITORING = 'monitoring',
  /** REG-*: the image registry and supply chain. */
  REGISTRY = 'registry',
}

/**
 * How much harm a failure of a control allows, used to sort reports and by `check --fail-on`.
 */
export enum ControlSeverity {
  /** Privileged or host access: a failure hands the node (and every workload on it) to whoever controls the container. */
  CRITICAL = 'critical',
  /** Isolation, credentials and supply-chain identity: a failure makes a compromise of the workload much easier or invisible. */
  HIGH = 'high',
  /** Robustness and record keeping: a failure degrades availability, limits or the evidence an auditor relies on. */
  MEDIUM = 'medium',
  /** Metadata and hygiene: a failure makes the workload harder to trace but opens no attack path by itself. */
  LOW = 'low',
}

/**
 * The concrete step a person takes for a control the output cannot prove (`external`, `unverified`), per backend.
 */
export interface ControlAction {
  /**
   * The step for Kubernetes workloads.
   */
  readonly kubernetes: string;

  /**
   * The step for ECS workloads.
   */
  readonly ecs: string;
}

/**
 * A reference to a rule of an external standard or tool that asks for the same as a control.
 */
export interface ExternalRule {
  /**
   * The standard or tool, e.g. `PSS-restricted`, `CIS-K8s`, `Polaris`, `kube-score`, `Kubescape`, `cdk-nag`, `SecurityHub`,
   * `ControlTower`, `CIS-Docker`, `OCI`.
   */
  readonly standard: string;

  /**
   * The rule ID within that standard, e.g. `5.2.7`, `runAsRootAllowed`, `AwsSolutions-ECS7`.
   */
  readonly id: string;
}

/**
 * When a control's checker reports each status, per kind of input: the rule the checker implements, word for word.
 */
export interface ControlVerdictRule {
  /**
   * The rule for Kubernetes manifests (our constructs, foreign objects in an app, and `check` inputs).
   */
  readonly kubernetes: string;

  /**
   * The rule for CloudFormation templates of ECS workloads.
   */
  readonly ecs: string;

  /**
   * The rule for Dockerfiles read by `cdk-compliant-ml check`.
   *
   * @default - the control is not evaluated on Dockerfiles
   */
  readonly dockerfile?: string;
}

/**
 * One control of the catalogue: a requirement, its legal basis and how each backend meets it.
 */
export interface ControlDefinition {
  /**
   * Stable control ID such as `SEC-1`. IDs never change meaning; code, tests and reports use them.
   */
  readonly id: string;

  /**
   * The family (the ID's prefix).
   */
  readonly family: ControlFamily;

  /**
   * One-line requirement.
   */
  readonly title: string;

  /**
   * Why the control exists, in terms of the AI Act and the attack or failure it addresses.
   */
  readonly rationale: string;

  /**
   * The AI Act articles the control supports, each written like `Art. 15(5)`.
   */
  readonly articles: string[];

  /**
   * The practice of the practical-ai-act engineering guide the control comes from, e.g. `containerization`, `inference-log`.
   */
  readonly practice: string;

  /**
   * Which kinds of workload the control applies to.
   */
  readonly scope: ControlScope;

  /**
   * How much harm a failure of the control allows; reports sort by it and `check --fail-on` filters on it.
   */
  readonly severity: ControlSeverity;

  /**
   * Why the control has its severity, in one line.
   */
  readonly severityRationale: string;

  /**
   * What to do when the control is `external` or `unverified`, per backend (listed in the report's Actions).
   */
  readonly action: ControlAction;

  /**
   * How the Kubernetes backend meets the control (the fields it renders, or why it is an environment concern).
   */
  readonly kubernetes: string;

  /**
   * How the ECS backend meets the control (the CloudFormation properties it renders, or why it is an environment concern).
   */
  readonly ecs: string;

  /**
   * Rules of external standards and tools that ask for the same.
   */
  readonly externalRules: ExternalRule[];

  /**
   * When the checkers report each status for this control.
   *
   * @default - no written rule (never the case for a control of `ControlCatalogue`)
   */
  readonly verdictRule?: ControlVerdictRule;
}
