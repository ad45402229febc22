import { k8s } from 'cdk8s-plus-27';
import { ImageScan } from '../core/scan-report';

/**
 * Scheduling and identity options shared by the pods of every Kubernetes construct of this library.
 */
export interface WorkloadPodOptions {
  /**
   * GPUs per pod, rendered as requests and limits of `gpuResourceName`.
   *
   * @default 0
   */
  readonly gpuCount?: number;

  /**
   * The extended resource name of the GPUs.
   *
   * @default 'nvidia.com/gpu'
   */
  readonly gpuResourceName?: string;

  /**
   * Node selector, e.g. for GPU node pools.
   *
   * @default - none
   */
  readonly nodeSelector?: Record<string, string>;

  /**
   * Tolerations, e.g. for tainted GPU nodes.
   *
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];

  /**
   * The PriorityClass of the pods.
   *
   * @default - the cluster default priority
   */
  readonly priorityClassName?: string;

  /**
   * The UID the containers run as; at least 10000.
   *
   * @default 10001
   */
  readonly runAsUser?: number;

  /**
   * The GID the containers run as (also the fsGroup); at least 10000.
   *
   * @default 10001
   */
  readonly runAsGroup?: number;

  /**
   * The vulnerability scan of the image (REG-2): Trivy and/or Grype JSON reports read at synth time. Each report must be for the
   * image's digest; scanner, version, date and counts by severity are recorded as annotations `scan.compliance.cdk-compliant-ml.io/*`
   * on the workload and its pod template, and findings above the threshold (default: any CRITICAL) fail synthesis unless REG-2 is
   * waived.
   *
   * @default - no scan evidence; REG-2 is reported as external (a registry or CI setting)
   */
  readonly imageScan?: ImageScan;
}
