// The inventory half of the ML-BOM: a component per image, model and dataset the report records, one per workload, and the
// dependencies between them. Only what the report holds is written; nothing is guessed.
import { digestHash, imagePurl, isLinkableUri, parseRenderedImage } from './cyclonedx-purl';
import { BomRefs } from './cyclonedx-refs';
import { compareCodeUnits } from '../../core/ordering';
import { DatasetMetadata, ModelMetadata } from '../../core/provenance';
import { ControlCatalogue } from '../catalogue';
import { ControlScope } from '../control';
import { ArtifactReport, WorkloadReport } from '../report-model';

/** A JSON object of the BOM. @internal */
export type BomObject = Record<string, unknown>;

/** The property namespace of this library in CycloneDX `properties`. @internal */
export const PROPERTY_PREFIX = 'cdk-compliant-ml';

/** A CycloneDX property. @internal */
export function property(name: string, value: string): { name: string; value: string } {
  return { name: `${PROPERTY_PREFIX}:${name}`, value };
}

/**
 * The components and dependencies of the workloads of a report, and the bom-ref of each workload.
 *
 * @internal
 */
export interface BomInventory {
  /** Images, models, datasets and workloads, sorted by bom-ref. */
  readonly components: BomObject[];
  /** One entry per workload (and per trained model), sorted by ref. */
  readonly dependencies: BomObject[];
  /** The bom-ref of each workload, in the order given. */
  readonly workloadRefs: string[];
}

/** A dataset of a workload: its recorded identity, its pinned artifact, or both when they name the same data. */
interface DatasetEntry {
  readonly metadata?: DatasetMetadata;
  readonly artifact?: ArtifactReport;
}

/** The model-related components of one workload. */
interface WorkloadModels {
  /** The model a service serves (with its weights) or a job trains. */
  readonly model?: {
    readonly key: string; readonly base: string; readonly metadata?: ModelMetadata; readonly artifact?: ArtifactReport; readonly trained: boolean;
  };
  /** A job's pinned input weights (e.g. the model it fine-tunes). */
  readonly input?: { readonly key: string; readonly base: string; readonly artifact: ArtifactReport };
}

/**
 * True when the workload runs to completion: controls of the catalogue's JOB scope apply to it.
 *
 * @internal
 */
export function isJobWorkload(w: WorkloadReport): boolean {
  JOB_CONTROLS ??= new Set(ControlCatalogue.controls().filter((c) => c.scope === ControlScope.JOB).map((c) => c.id));
  return w.controls.some((c) => JOB_CONTROLS!.has(c.id));
}

let JOB_CONTROLS: Set<string> | undefined;

/**
 * Builds the inventory. A service's model component joins `model` and `modelArtifact` (the weights it serves); a job's `model`
 * is the model it trains, a component that depends on the job's datasets (also listed in its model card), and the job's
 * `modelArtifact` is a separate component, the input weights. Workloads depend on their images, datasets and input or served
 * model. Identical images, models and datasets of several workloads are one component.
 *
 * @param workloads the report's workloads, in canonical order
 * @internal
 */
export function bomInventory(workloads: WorkloadReport[], refs: BomRefs): BomInventory {
  const images = [...new Set(workloads.flatMap((w) => w.images))].sort(compareCodeUnits);
  const imageRefs = refs.forContents(images.map((i) => ({ base: `image:${i}`, key: i })));
  const models = workloads.map(modelsOf);
  const datasets = workloads.map(datasetsOf);
  const modelRefs = refs.forContents(models.flatMap((m) => [m.model, m.input]).filter(isDefined).map(({ base, key }) => ({ base, key })));
  const datasetRefs = refs.forContents(datasets.flat().map((d) => ({ base: datasetBase(d), key: JSON.stringify(d) })));
  const workloadRefs = refs.forContents(workloads.map((w) => ({ base: `workload:${w.path}`, key: JSON.stringify(w) })));

  const components = new Map<string, BomObject>();
  for (const image of images) {
    components.set(imageRefs.get(image)!, imageComponent(imageRefs.get(image)!, image));
  }
  // each model once, with every role it has (served by a service, trained by a job, input weights of a job)
  const modelsByRef = new Map<string, { metadata?: ModelMetadata; artifact?: ArtifactReport; roles: Set<string> }>();
  const addModel = (modelRef: string, metadata: ModelMetadata | undefined, artifact: ArtifactReport | undefined, role: string) => {
    const entry = modelsByRef.get(modelRef) ?? { metadata, artifact, roles: new Set<string>() };
    entry.roles.add(role);
    modelsByRef.set(modelRef, entry);
  };
  // a trained model: the datasets and input weights it is trained from, and the jobs that train it
  const trainedFrom = new Map<string, { datasets: Set<string>; inputs: Set<string>; jobs: Set<string> }>();
  const dependencies: BomObject[] = [];
  workloads.forEach((w, i) => {
    const ref = workloadRefs.get(JSON.stringify(w))!;
    const { model, input } = models[i];
    const datasetList = datasets[i].map((d) => {
      const datasetRef = datasetRefs.get(JSON.stringify(d))!;
      components.set(datasetRef, datasetComponent(datasetRef, d));
      return datasetRef;
    });
    const dependsOn = [...w.images.map((image) => imageRefs.get(image)!), ...datasetList];
    const properties = [property('workload:kind', w.kind), property('workload:backend', w.backend), property('workload:path', w.path)];
    if (input) {
      const inputRef = modelRefs.get(input.key)!;
      addModel(inputRef, undefined, input.artifact, 'input');
      dependsOn.push(inputRef);
    }
    if (model) {
      const modelRef = modelRefs.get(model.key)!;
      if (model.trained) {
        properties.push(property('workload:trains', modelRef));
        const from = trainedFrom.get(modelRef) ?? { datasets: new Set<string>(), inputs: new Set<string>(), jobs: new Set<string>() };
        datasetList.forEach((r) => from.datasets.add(r));
        if (input) {
          from.inputs.add(modelRefs.get(input.key)!);
        }
        from.jobs.add(ref);
        trainedFrom.set(modelRef, from);
      } else {
        dependsOn.push(modelRef);
      }
      addModel(modelRef, model.metadata, model.artifact, model.trained ? 'trained' : 'served');
    }
    for (const c of w.controls) {
      properties.push(property(`control:${c.id}`, c.status));
    }
    for (const rule of w.acknowledgedRules ?? []) {
      properties.push(property('acknowledged-rule', `${rule.rule} on ${rule.path}: ${rule.reason}`));
    }
    components.set(ref, { 'type': 'application', 'bom-ref': ref, 'name': w.path, 'description': `${w.kind} (${w.backend})`, properties });
    if (!dependencies.some((d) => d.ref === ref)) { // two identical entries (the same input read twice) are one component
      dependencies.push({ ref, dependsOn: [...new Set(dependsOn)].sort(compareCodeUnits) });
    }
  });
  for (const [modelRef, { metadata, artifact, roles }] of modelsByRef) {
    components.set(modelRef, modelComponent(modelRef, metadata, artifact, [...roles].sort(compareCodeUnits)));
  }
  for (const [modelRef, from] of trainedFrom) {
    const component = components.get(modelRef)!;
    const card = component.modelCard as BomObject;
    const datasetRefsOfModel = [...from.datasets].sort(compareCodeUnits);
    component.modelCard = prune({
      modelParameters: datasetRefsOfModel.length > 0 ? { datasets: datasetRefsOfModel.map((r) => ({ ref: r })) } : undefined,
      properties: [...(card.properties as BomObject[]), ...[...from.jobs].sort(compareCodeUnits).map((r) => property('model:trained-by', r))],
    });
    const sources = [...from.datasets, ...from.inputs].sort(compareCodeUnits);
    if (sources.length > 0) {
      dependencies.push({ ref: modelRef, dependsOn: sources });
    }
  }
  return {
    components: [...components.keys()].sort(compareCodeUnits).map((r) => components.get(r)!),
    dependencies: dependencies.sort((a, b) => compareCodeUnits(String(a.ref), String(b.ref))),
    workloadRefs: workloads.map((w) => workloadRefs.get(JSON.stringify(w))!),
  };
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** The served or trained model of a workload, and a job's input weights. */
function modelsOf(w: WorkloadReport): WorkloadModels {
  const trained = isJobWorkload(w);
  const servedArtifact = trained ? undefined : w.modelArtifact;
  const model = w.model || servedArtifact
    ? {
      key: JSON.stringify({ model: w.model, artifact: servedArtifact }),
      base: w.model ? `model:${w.model.name}@${w.model.version}` : `model:${servedArtifact!.reference}`,
      metadata: w.model,
      artifact: servedArtifact,
      trained,
    }
    : undefined;
  const input = trained && w.modelArtifact
    ? { key: JSON.stringify({ model: undefined, artifact: w.modelArtifact }), base: `model:${w.modelArtifact.reference}`, artifact: w.modelArtifact }
    : undefined;
  return { model, input };
}

/**
 * The datasets of a workload: each recorded dataset, joined with the pinned artifact of the same data (same digest, or the
 * artifact's reference equal to the dataset's URI), and every artifact that matches no recorded dataset on its own.
 */
function datasetsOf(w: WorkloadReport): DatasetEntry[] {
  const artifacts = [...(w.datasetArtifacts ?? [])];
  const out: DatasetEntry[] = [];
  for (const metadata of w.datasets ?? []) {
    const match = artifacts.findIndex((a) => (metadata.digest !== undefined && a.digest === metadata.digest)
      || (metadata.uri !== undefined && a.reference === metadata.uri));
    out.push(match >= 0 ? { metadata, artifact: artifacts.splice(match, 1)[0] } : { metadata });
  }
  return [...out, ...artifacts.map((artifact) => ({ artifact }))];
}

function datasetBase(d: DatasetEntry): string {
  return d.metadata ? `dataset:${d.metadata.name}@${d.metadata.version}` : `dataset:${d.artifact!.reference}`;
}

function imageComponent(ref: string, reference: string): BomObject {
  const image = parseRenderedImage(reference);
  const hash = digestHash(image.digest);
  const properties = [property('image:reference', reference)];
  if (!image.digest) {
    properties.push(property('image:pinned', 'false'));
  }
  return prune({
    'type': 'container',
    'bom-ref': ref,
    'name': image.name,
    'version': image.tag ?? image.digest,
    'hashes': hash ? [hash] : undefined,
    'purl': imagePurl(image),
    properties,
  });
}

/** A machine-learning-model component: a served or trained model (metadata, weights) or a job's input weights. */
function modelComponent(ref: string, metadata: ModelMetadata | undefined, artifact: ArtifactReport | undefined, roles: string[]): BomObject {
  const digest = artifact?.digest ?? metadata?.digest;
  const hash = digestHash(digest);
  const card: Array<{ name: string; value: string }> = roles.map((role) => property('model:role', role));
  const add = (name: string, value: string | undefined) => value !== undefined && card.push(property(name, value));
  add('model:framework', metadata?.framework);
  add('model:registry', metadata?.registry);
  add('model:training-run-id', metadata?.trainingRunId);
  if (artifact && metadata?.digest !== undefined && metadata.digest !== artifact.digest) {
    add('model:declared-digest', metadata.digest);
  }
  const references: BomObject[] = [];
  const link = (url: string | undefined, comment: string) => {
    if (url === undefined) {
      return;
    }
    if (isLinkableUri(url) && !references.some((r) => r.url === url)) {
      references.push({ type: 'distribution', url, comment });
    } else if (!isLinkableUri(url)) {
      add('model:location', url);
    }
  };
  link(metadata?.uri, 'model URI recorded in the workload\'s provenance');
  artifactProperties(artifact).forEach((p) => card.push(p));
  if (artifact?.source === 'uri') {
    link(artifact.reference, 'pinned model artifact (modelArtifact)');
  }
  const oci = artifact?.source === 'oci' ? parseRenderedImage(artifact.reference) : undefined;
  return prune({
    'type': 'machine-learning-model',
    'bom-ref': ref,
    'name': metadata?.name ?? artifact!.reference,
    'version': metadata?.version,
    'hashes': hash ? [hash] : undefined,
    'purl': oci ? imagePurl(oci) : undefined,
    'externalReferences': references.length > 0 ? references : undefined,
    'modelCard': { properties: card },
  });
}

function datasetComponent(ref: string, d: DatasetEntry): BomObject {
  const { metadata, artifact } = d;
  const hash = digestHash(artifact?.digest ?? metadata?.digest);
  const properties = artifactProperties(artifact);
  if (artifact && metadata?.digest !== undefined && metadata.digest !== artifact.digest) {
    properties.push(property('dataset:declared-digest', metadata.digest));
  }
  const uri = metadata?.uri ?? (artifact?.source === 'uri' ? artifact.reference : undefined);
  if (uri !== undefined && !isLinkableUri(uri)) {
    properties.push(property('dataset:location', uri));
  }
  const url = uri !== undefined && isLinkableUri(uri) ? uri : undefined;
  const name = metadata?.name ?? artifact!.reference;
  return prune({
    'type': 'data',
    'bom-ref': ref,
    name,
    'version': metadata?.version,
    'hashes': hash ? [hash] : undefined,
    'externalReferences': url ? [{ type: 'distribution', url }] : undefined,
    'data': [prune({ type: 'dataset', name, contents: url ? { url } : undefined })],
    'properties': properties.length > 0 ? properties : undefined,
  });
}

/** The properties of a pinned artifact: its source, reference and verifying container. */
function artifactProperties(artifact: ArtifactReport | undefined): Array<{ name: string; value: string }> {
  if (!artifact) {
    return [];
  }
  return [
    property('artifact:source', artifact.source),
    property('artifact:reference', artifact.reference),
    property('artifact:digest', artifact.digest),
    ...(artifact.verifier !== undefined ? [property('artifact:verifier', artifact.verifier)] : []),
  ];
}

/** The object without undefined fields (the order of the others kept). @internal */
export function prune<T extends BomObject>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
