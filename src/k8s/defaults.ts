/**
 * Kubernetes facts the constructs of this submodule rely on.
 */
export class KubernetesDefaults {
  /**
   * The oldest Kubernetes minor version the manifests target: native sidecars (init containers with `restartPolicy: Always`)
   * are on by default from 1.29.
   */
  public static readonly MIN_KUBERNETES_VERSION = '1.29';
  /** The label key that spreads pods over zones (AVL-3). */
  public static readonly ZONE_TOPOLOGY_KEY = 'topology.kubernetes.io/zone';
  /** The label key that spreads pods over nodes (AVL-3). */
  public static readonly HOSTNAME_TOPOLOGY_KEY = 'kubernetes.io/hostname';
  /** The extended resource name of NVIDIA GPUs. */
  public static readonly GPU_RESOURCE_NAME = 'nvidia.com/gpu';
  /** The value of `app.kubernetes.io/managed-by` on every object. */
  public static readonly MANAGED_BY = 'cdk-compliant-ml';

  private constructor() {}
}
