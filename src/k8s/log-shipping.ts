import { LogDestination } from './log-destination';
import { propError } from '../core/errors';
import { ImageReference } from '../core/image-reference';

/**
 * How the mode of log shipping is implemented.
 */
export enum LogShippingMode {
  /** A Fluent Bit native sidecar in the pod tails the shared log directory and ships it. */
  SIDECAR = 'sidecar',
  /** The cluster's node agent (a Fluent Bit/Vector DaemonSet) collects stdout/stderr; nothing is added to the pod. */
  CLUSTER_AGENT = 'cluster-agent',
}

/**
 * Options of sidecar log shipping.
 */
export interface SidecarLogShippingOptions {
  /**
   * The Fluent Bit image, pinned by digest.
   *
   * @default - Fluent Bit 3.2.10 pinned by its multi-arch index digest (see `FLUENT_BIT_IMAGE`)
   */
  readonly image?: ImageReference;

  /**
   * The directory, shared with the model server through an `emptyDir`, where the server writes JSON-lines log files
   * (`*.log`). The server is told the directory through the `LOG_DIR` environment variable.
   *
   * @default '/var/log/model'
   */
  readonly logDirectory?: string;

  /**
   * Whether the library routes the main container's stdout and stderr into the shipped directory, so that the sidecar ships
   * them too (LOG-1 `enforced` for every stream). The construct's `command` is then required and is wrapped as
   * `/bin/sh -c 'exec "$@" >>"$LOG_DIR/stdout.log" 2>>"$LOG_DIR/stderr.log"' sh <command...>`, so the image needs `/bin/sh`.
   * `kubectl logs` shows nothing for the main container then. Nothing rotates the two files: Fluent Bit's tail input
   * follows them as they grow, and when the log directory's `emptyDir` reaches its 1 GiB size limit the kubelet evicts the
   * pod (what was shipped is kept at the destination; lines still in the pod are lost with it).
   *
   * @default false - stdout/stderr are collected only by a node agent (LOG-1 `external` for them, with the action)
   */
  readonly captureStdio?: boolean;
}

/**
 * How a workload's logs leave the pod (control LOG-1).
 *
 * A sidecar cannot read another container's stdout, so in sidecar mode the model server writes JSON-lines files into a shared
 * `emptyDir` announced through `LOG_DIR`, and a Fluent Bit native sidecar (an init container with `restartPolicy: Always`,
 * Kubernetes 1.29+) tails and ships them. Clusters that already collect stdout with a node agent use `clusterAgent()`.
 */
export class LogShipping {
  /**
   * Ship logs with a Fluent Bit native sidecar to the given destination.
   */
  public static sidecar(destination: LogDestination, options: SidecarLogShippingOptions = {}): LogShipping {
    const dir = options.logDirectory ?? '/var/log/model';
    if (!/^\/[A-Za-z0-9._/-]+$/.test(dir) || dir.split('/').includes('..')) {
      throw propError(undefined, 'logDirectory', dir, 'must be an absolute path without ".."', 'e.g. /var/log/model');
    }
    if (options.image && !options.image.isPinned) {
      throw propError(undefined, 'image', options.image.toString(), 'the log shipper must be pinned by digest', 'use ImageReference.fromString(...@sha256:...)');
    }
    if (!(destination instanceof LogDestination)) {
      throw propError(undefined, 'destination', destination, 'is not a LogDestination', 'use LogDestination.fluentForward({ host: ... }) or another factory');
    }
    return new LogShipping(LogShippingMode.SIDECAR, destination, options.image, dir, options.captureStdio ?? false);
  }

  /**
   * Rely on the cluster's node agent to collect stdout and stderr; the report records LOG-1 as `external`.
   */
  public static clusterAgent(): LogShipping {
    return new LogShipping(LogShippingMode.CLUSTER_AGENT);
  }

  /** The mode. */
  public readonly mode: LogShippingMode;
  /** The destination (sidecar mode). */
  public readonly destination?: LogDestination;
  /** The sidecar image (sidecar mode, when overridden). */
  public readonly image?: ImageReference;
  /** The shared log directory (sidecar mode). */
  public readonly logDirectory?: string;
  /** Whether the main container's stdout and stderr are routed into the shipped directory (sidecar mode). */
  public readonly captureStdio: boolean;

  private constructor(mode: LogShippingMode, destination?: LogDestination, image?: ImageReference, logDirectory?: string, captureStdio = false) {
    this.mode = mode;
    this.captureStdio = captureStdio;
    this.destination = destination;
    this.image = image;
    this.logDirectory = logDirectory;
  }
}
