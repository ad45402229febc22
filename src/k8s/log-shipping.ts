import { propError, requireInteger } from '../core/errors';
import { ImageReference } from '../core/image-reference';

/**
 * Connection options shared by every log destination.
 */
export interface LogDestinationOptions {
  /**
   * Host name of the receiver, usually a cluster-internal service such as `otel-collector.observability.svc`.
   */
  readonly host: string;

  /**
   * TCP port of the receiver.
   *
   * @default - the protocol's standard port: 24224 (forward), 4318 (OTLP/HTTP), 3100 (Loki), 9200 (Elasticsearch/OpenSearch)
   */
  readonly port?: number;

  /**
   * Whether to connect with TLS (certificates verified against the image's CA bundle).
   *
   * @default false
   */
  readonly tls?: boolean;
}

/**
 * Options of an OpenTelemetry OTLP/HTTP destination.
 */
export interface OtlpHttpDestinationOptions extends LogDestinationOptions {
  /**
   * The logs path of the collector.
   *
   * @default '/v1/logs'
   */
  readonly logsPath?: string;
}

/**
 * Options of an Elasticsearch or OpenSearch destination.
 */
export interface SearchDestinationOptions extends LogDestinationOptions {
  /**
   * The index the records are written to.
   */
  readonly index: string;
}

/**
 * Options of a Grafana Loki destination.
 */
export interface LokiDestinationOptions extends LogDestinationOptions {
  /**
   * The Loki tenant (`X-Scope-OrgID`).
   *
   * @default - no tenant header
   */
  readonly tenantId?: string;
}

/**
 * Where a log-shipping sidecar sends the model server's records (control LOG-1). Retention (LOG-2) and encryption (LOG-3)
 * are properties of the destination and are reported as `external`.
 */
export class LogDestination {
  /**
   * Fluent Forward protocol, to a Fluentd or Fluent Bit aggregator.
   */
  public static fluentForward(options: LogDestinationOptions): LogDestination {
    return new LogDestination('forward', options, 24224, [], 'Fluent Forward');
  }

  /**
   * OpenTelemetry OTLP over HTTP, to an OpenTelemetry Collector or any OTLP endpoint.
   */
  public static otlpHttp(options: OtlpHttpDestinationOptions): LogDestination {
    const logsPath = options.logsPath ?? '/v1/logs';
    if (!logsPath.startsWith('/')) {
      throw propError(undefined, 'logsPath', logsPath, 'must start with "/"', 'e.g. /v1/logs');
    }
    return new LogDestination('opentelemetry', options, 4318, [['Logs_uri', logsPath]], 'OpenTelemetry OTLP/HTTP');
  }

  /**
   * Grafana Loki push API.
   */
  public static loki(options: LokiDestinationOptions): LogDestination {
    const extra: Array<[string, string]> = [['Labels', 'job=model-server'], ['Line_format', 'json']];
    if (options.tenantId) {
      extra.push(['Tenant_id', options.tenantId]);
    }
    return new LogDestination('loki', options, 3100, extra, 'Grafana Loki');
  }

  /**
   * Elasticsearch.
   */
  public static elasticsearch(options: SearchDestinationOptions): LogDestination {
    return new LogDestination('es', options, 9200, [['Index', requireIndex(options.index)], ['Suppress_Type_Name', 'On']], 'Elasticsearch');
  }

  /**
   * OpenSearch.
   */
  public static openSearch(options: SearchDestinationOptions): LogDestination {
    return new LogDestination('opensearch', options, 9200, [['Index', requireIndex(options.index)], ['Suppress_Type_Name', 'On']], 'OpenSearch');
  }

  /** The Fluent Bit output plugin. */
  public readonly plugin: string;
  /** Receiver host. */
  public readonly host: string;
  /** Receiver port. */
  public readonly port: number;
  /** Whether TLS is used. */
  public readonly tls: boolean;
  /** A human description of the protocol, used in the report. */
  public readonly description: string;
  private readonly extra: Array<[string, string]>;

  private constructor(plugin: string, options: LogDestinationOptions, defaultPort: number, extra: Array<[string, string]>, description: string) {
    if (typeof options.host !== 'string' || !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(options.host)) {
      throw propError(undefined, 'host', options.host, 'is not a host name', 'e.g. otel-collector.observability.svc');
    }
    this.plugin = plugin;
    this.host = options.host;
    this.port = requireInteger(undefined, 'port', options.port ?? defaultPort, 1, 65535);
    this.tls = options.tls ?? false;
    this.extra = extra;
    this.description = description;
  }

  /**
   * The Fluent Bit `[OUTPUT]` settings for this destination.
   *
   * @internal
   */
  public _outputSettings(): Array<[string, string]> {
    return [['Name', this.plugin], ['Match', '*'], ['Host', this.host], ['Port', String(this.port)],
      ...(this.tls ? [['tls', 'On'], ['tls.verify', 'On']] as Array<[string, string]> : []), ...this.extra, ['Retry_Limit', 'no_limits']];
  }
}

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
    return new LogShipping(LogShippingMode.SIDECAR, destination, options.image, dir);
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

  private constructor(mode: LogShippingMode, destination?: LogDestination, image?: ImageReference, logDirectory?: string) {
    this.mode = mode;
    this.destination = destination;
    this.image = image;
    this.logDirectory = logDirectory;
  }
}

function requireIndex(index: string): string {
  if (typeof index !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,254}$/.test(index)) {
    throw propError(undefined, 'index', index, 'is not a valid index name', 'use lowercase letters, digits, ".", "_" or "-"');
  }
  return index;
}
