// The control catalogue as an OSCAL component-definition: one component per backend (Kubernetes manifests, ECS CloudFormation,
// Dockerfiles), each with one control implementation whose source is the catalogue (docs/CONTROLS.md) and one implemented
// requirement per control it evaluates, carrying the backend's implementation text and its verdict rule.
import { articleProps, CATALOGUE_SOURCE, oscalDateTime, OSCAL_VERSION, prop, uuidV5 } from './oscal-common';
import { ControlCatalogue } from '../catalogue';
import { ControlDefinition } from '../control';
import { Backend } from '../report-model';
import { REPORT_GENERATOR, reportGeneratorVersion } from '../report-render';

/** One backend as an OSCAL component: what it evaluates and how each control reads. */
interface BackendComponent {
  readonly backend: Backend;
  readonly title: string;
  readonly description: string;
  /** The implementation text of a control on this backend; `undefined` when the backend does not evaluate the control. */
  readonly implementation: (c: ControlDefinition) => { readonly text: string; readonly rule: string } | undefined;
}

const COMPONENTS: readonly BackendComponent[] = [
  {
    backend: Backend.KUBERNETES,
    title: `${REPORT_GENERATOR} Kubernetes backend`,
    description: 'The cdk8s constructs (k8s.CompliantModelService, k8s.CompliantTrainingJob) and the checker that judges every '
      + 'Kubernetes workload of an app or of `cdk-compliant-ml check` against the catalogue.',
    implementation: (c) => ({ text: c.kubernetes, rule: c.verdictRule?.kubernetes ?? '' }),
  },
  {
    backend: Backend.ECS,
    title: `${REPORT_GENERATOR} Amazon ECS backend`,
    description: 'The aws-cdk constructs (ecs.CompliantModelService, ecs.CompliantTrainingJob) and the checker that judges every '
      + 'ECS task definition of an app or of a CloudFormation template given to `cdk-compliant-ml check`.',
    implementation: (c) => ({ text: c.ecs, rule: c.verdictRule?.ecs ?? '' }),
  },
  {
    backend: Backend.IMAGE,
    title: `${REPORT_GENERATOR} Dockerfile checker`,
    description: 'The checker of `cdk-compliant-ml check` for Dockerfiles: the controls a container image build can show.',
    implementation: (c) => (c.verdictRule?.dockerfile ? { text: c.verdictRule.dockerfile, rule: c.verdictRule.dockerfile } : undefined),
  },
];

/**
 * The UUID of the implemented requirement of a control on a backend (findings of the assessment results point at it).
 *
 * @internal
 */
export function implementedRequirementUuid(backend: string, controlId: string): string {
  return uuidV5(`implemented-requirement\n${backend}\n${controlId}`);
}

/**
 * The UUID of the component of a backend in the component-definition.
 *
 * @internal
 */
export function componentUuid(backend: string): string {
  return uuidV5(`component\n${backend}`);
}

/**
 * The control catalogue as an OSCAL component-definition (JSON text ending with a newline).
 *
 * @param epochSeconds `metadata.last-modified`, in seconds since 1970 (default 0: the document depends on the catalogue only;
 *   docs/oscal/component-definition.json is written with 0)
 * @internal
 */
export function renderOscalComponentDefinition(epochSeconds: number = 0): string {
  const controls = ControlCatalogue.controls();
  const version = reportGeneratorVersion();
  const document = {
    'component-definition': {
      uuid: uuidV5(`component-definition\n${version}`),
      metadata: {
        'title': `${REPORT_GENERATOR} control catalogue`,
        'last-modified': oscalDateTime(epochSeconds),
        'version': version,
        'oscal-version': OSCAL_VERSION,
        'remarks': 'Each control of the catalogue, with the EU AI Act articles it supports, as implemented and judged by each '
          + `backend of ${REPORT_GENERATOR}. Generated from the catalogue; see docs/CONTROLS.md for the rationale of each control.`,
      },
      components: COMPONENTS.map((component) => {
        const requirements = controls.flatMap((c) => {
          const implementation = component.implementation(c);
          return implementation ? [implementedRequirement(component.backend, c, implementation)] : [];
        });
        return {
          'uuid': componentUuid(component.backend),
          'type': 'software',
          'title': component.title,
          'description': component.description,
          'props': [prop('backend', component.backend)],
          'control-implementations': [{
            'uuid': uuidV5(`control-implementation\n${component.backend}`),
            'source': CATALOGUE_SOURCE,
            'description': `The controls of the ${REPORT_GENERATOR} catalogue (${CATALOGUE_SOURCE}) that the ${component.backend} `
              + 'checker evaluates, each with how the backend meets it and the rule that decides its status.',
            'implemented-requirements': requirements,
          }],
        };
      }),
    },
  };
  return `${JSON.stringify(document, undefined, 2)}\n`;
}

function implementedRequirement(backend: string, c: ControlDefinition, implementation: { text: string; rule: string }): Record<string, unknown> {
  const description = implementation.rule && implementation.rule !== implementation.text
    ? `${implementation.text}\n\nVerdict rule: ${implementation.rule}`
    : implementation.text;
  return {
    'uuid': implementedRequirementUuid(backend, c.id),
    'control-id': c.id,
    'description': description,
    'props': [
      prop('control-title', c.title),
      prop('severity', c.severity),
      prop('scope', c.scope),
      ...articleProps(c.articles),
    ],
    'remarks': c.rationale,
  };
}
