import { isIPv4 } from 'net';
import { NetworkPeer } from './network';
import type { SecretKeyReference } from './pod-template';
import { propError, requireInteger } from '../core/errors';

/** Where the sidecar mounts the CA bundle of `tlsCaConfigMap` (key `ca.crt`). @internal */
export const LOG_TLS_CA_DIR = '/fluent-bit/tls';
/** The environment variable of the sidecar that holds the Fluent Forward shared key (from a Secret). @internal */
export const FORWARD_SHARED_KEY_ENV = 'FLUENT_FORWARD_SHARED_KEY';

/** `<service>.<namespace>.svc` or `<service>.<namespace>.svc.cluster.local`. */
const IN_CLUSTER_SERVICE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?$/;
/** A single DNS label: a Service of the workload's own namespace. */
const SAME_NAMESPACE_SERVICE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

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
   * Whether to connect with TLS (`tls On`; the certificate and its host name are verified unless `tlsVerify` is false).
   *
   * @default - true for a host outside the cluster; false for an in-cluster Service name (`<svc>`, `<svc>.<ns>.svc`,
   * `<svc>.<ns>.svc.cluster.local`), whose receivers rarely present a certificate the image's CA bundle trusts (give
   * `tlsCaConfigMap` and `tls: true` for those)
   */
  readonly tls?: boolean;

  /**
   * Whether to verify the receiver's certificate and host name (`tls.verify`, `tls.verify_hostname`). Only with `tls`.
   *
   * @default true
   */
  readonly tlsVerify?: boolean;

  /**
   * A ConfigMap of the workload's namespace whose key `ca.crt` holds the CA bundle that signed the receiver's certificate; the
   * sidecar mounts it and sets `tls.ca_file`. Only with `tls`.
   *
   * @default - the CA bundle of the Fluent Bit image
   */
  readonly tlsCaConfigMap?: string;

  /**
   * The NetworkPolicy peer of the receiver: the workload's egress to the log port is allowed to this peer only (NET-1).
   *
   * @default - derived from `host`: every pod of namespace `<ns>` for `<svc>.<ns>.svc[.cluster.local]`, the pods of the
   * workload's namespace for a single-label name, `<ip>/32` for an IPv4 address; any other host name must be given a peer
   * (for example `NetworkPeer.cidr(...)` with the receiver's address range), since a NetworkPolicy cannot name a DNS host
   */
  readonly peer?: NetworkPeer;
}

/**
 * Options of a Fluent Forward destination.
 */
export interface FluentForwardDestinationOptions extends LogDestinationOptions {
  /**
   * The Secret key holding the Forward protocol's shared key (`Shared_Key`, the Secure Forward handshake). It reaches the
   * sidecar as an environment variable from the Secret, never as plaintext in the ConfigMap (SEC-9).
   *
   * @default - no shared-key authentication
   */
  readonly sharedKey?: SecretKeyReference;
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
 * Where a log-shipping sidecar sends the model server's records (control LOG-1). Retention (LOG-2) and encryption at rest
 * (LOG-3) are properties of the destination and are reported as `external`, naming the destination.
 */
export class LogDestination {
  /**
   * Fluent Forward protocol, to a Fluentd or Fluent Bit aggregator.
   */
  public static fluentForward(options: FluentForwardDestinationOptions): LogDestination {
    const extra: Array<[string, string]> = options.sharedKey ? [['Shared_Key', `\${${FORWARD_SHARED_KEY_ENV}}`]] : [];
    return new LogDestination('forward', options, 24224, extra, 'Fluent Forward', options.sharedKey);
  }

  /**
   * OpenTelemetry OTLP over HTTP, to an OpenTelemetry Collector or any OTLP endpoint.
   */
  public static otlpHttp(options: OtlpHttpDestinationOptions): LogDestination {
    const logsPath = options.logsPath ?? '/v1/logs';
    if (typeof logsPath !== 'string' || !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(logsPath)) {
      throw propError(undefined, 'logsPath', logsPath, 'must be a URL path starting with "/" (no spaces, "?" or "#")', 'e.g. /v1/logs');
    }
    return new LogDestination('opentelemetry', options, 4318, [['Logs_uri', logsPath]], 'OpenTelemetry OTLP/HTTP');
  }

  /**
   * Grafana Loki push API.
   */
  public static loki(options: LokiDestinationOptions): LogDestination {
    const extra: Array<[string, string]> = [['Labels', 'job=model-server'], ['Line_format', 'json']];
    if (options.tenantId !== undefined) {
      if (typeof options.tenantId !== 'string' || !/^[A-Za-z0-9!._*'()-]{1,150}$/.test(options.tenantId)) {
        throw propError(undefined, 'tenantId', options.tenantId, 'is not a Loki tenant ID', 'use up to 150 letters, digits and !-_.*\'()');
      }
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
  /** Whether the receiver's certificate and host name are verified (with TLS). */
  public readonly tlsVerify: boolean;
  /** The ConfigMap holding the CA bundle (`ca.crt`), when given. */
  public readonly tlsCaConfigMap?: string;
  /** The NetworkPolicy peer of the receiver. */
  public readonly peer: NetworkPeer;
  /** The Secret key of the Forward shared key, when given. */
  public readonly sharedKey?: SecretKeyReference;
  /** A human description of the protocol, used in the report. */
  public readonly description: string;
  private readonly extra: Array<[string, string]>;

  private constructor(plugin: string, options: LogDestinationOptions, defaultPort: number, extra: Array<[string, string]>, description: string,
    sharedKey?: SecretKeyReference) {
    if (typeof options.host !== 'string' || !HOST_NAME.test(options.host)) {
      throw propError(undefined, 'host', options.host, 'is not a host name', 'e.g. otel-collector.observability.svc');
    }
    const inCluster = IN_CLUSTER_SERVICE.test(options.host) || SAME_NAMESPACE_SERVICE.test(options.host);
    this.plugin = plugin;
    this.host = options.host;
    this.port = requireInteger(undefined, 'port', options.port ?? defaultPort, 1, 65535);
    this.tls = options.tls ?? !inCluster;
    this.tlsVerify = options.tlsVerify ?? true;
    if (!this.tls && (options.tlsVerify !== undefined || options.tlsCaConfigMap !== undefined)) {
      throw propError(undefined, options.tlsVerify !== undefined ? 'tlsVerify' : 'tlsCaConfigMap', options.tlsVerify ?? options.tlsCaConfigMap,
        'has no effect without TLS', 'set tls: true, or remove it');
    }
    if (options.tlsCaConfigMap !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(options.tlsCaConfigMap)) {
      throw propError(undefined, 'tlsCaConfigMap', options.tlsCaConfigMap, 'is not a ConfigMap name (DNS-1123 subdomain)', 'e.g. log-receiver-ca');
    }
    if (sharedKey && (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(sharedKey.secretName) || !/^[-._a-zA-Z0-9]{1,253}$/.test(sharedKey.key))) {
      throw propError(undefined, 'sharedKey', sharedKey, 'is not a Secret name and key', 'e.g. { secretName: \'log-forward\', key: \'shared-key\' }');
    }
    this.tlsCaConfigMap = options.tlsCaConfigMap;
    this.sharedKey = sharedKey;
    this.peer = options.peer ?? destinationPeer(options.host);
    const service = IN_CLUSTER_SERVICE.exec(options.host);
    const peerNamespace = this.peer._toPeer().namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
    if (service && peerNamespace !== undefined && peerNamespace !== service[3]) {
      throw propError(undefined, 'peer', this.peer.description, `selects namespace ${peerNamespace}, but the host ${options.host} is in namespace ${service[3]}`,
        `use NetworkPeer.podsInNamespace('${service[3]}', { ...labels })`);
    }
    this.extra = extra;
    this.description = description;
  }

  /**
   * What must exist at the destination, for the report: e.g. `a Fluent Forward receiver at log-aggregator.logging.svc:24224
   * (plaintext)`.
   */
  public get receiver(): string {
    const transport = this.tls ? (this.tlsVerify ? 'TLS, certificate verified' : 'TLS, certificate NOT verified') : 'plaintext';
    return `${this.description} receiver at ${this.host}:${this.port} (${transport})`;
  }

  /**
   * The Fluent Bit `[OUTPUT]` settings for this destination. Every value here is a constant or was validated by a factory;
   * the renderer checks them again before writing.
   *
   * @internal
   */
  public _outputSettings(): Array<[string, string]> {
    const tls: Array<[string, string]> = !this.tls ? [] : [
      ['tls', 'On'],
      ['tls.verify', this.tlsVerify ? 'On' : 'Off'],
      ...(this.tlsVerify ? [['tls.verify_hostname', 'On']] as Array<[string, string]> : []),
      ['tls.vhost', this.host],
      ...(this.tlsCaConfigMap ? [['tls.ca_file', `${LOG_TLS_CA_DIR}/ca.crt`]] as Array<[string, string]> : []),
    ];
    return [['Name', this.plugin], ['Match', '*'], ['Host', this.host], ['Port', String(this.port)], ...tls, ...this.extra, ['Retry_Limit', 'no_limits']];
  }
}

/** The NetworkPolicy peer a host name denotes, or an error when a NetworkPolicy cannot express it. */
function destinationPeer(host: string): NetworkPeer {
  const service = IN_CLUSTER_SERVICE.exec(host);
  if (service) {
    return NetworkPeer.allPodsInNamespace(service[3]);
  }
  if (SAME_NAMESPACE_SERVICE.test(host)) {
    return NetworkPeer.sameNamespace();
  }
  if (isIPv4(host)) {
    return NetworkPeer.cidr(`${host}/32`);
  }
  throw propError(undefined, 'peer', host, `the host "${host}" is outside the cluster and a NetworkPolicy cannot allow egress to a DNS name`,
    'give peer: NetworkPeer.cidr(\'<the receiver\'s address range>\') (or NetworkPeer.podsInNamespace(...) for an in-cluster receiver)');
}

function requireIndex(index: string): string {
  if (typeof index !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,254}$/.test(index)) {
    throw propError(undefined, 'index', index, 'is not a valid index name', 'use lowercase letters, digits, ".", "_" or "-"');
  }
  return index;
}
