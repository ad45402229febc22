/* eslint-disable @typescript-eslint/no-explicit-any */
// PRB-1: the probes that let Kubernetes restart a hung server and drain one that is not ready, and give a model the time it
// needs to load.
import { PodContainer, PodView } from './manifest';
import { WorkloadProfile } from './profile';
import { Finding, verdict } from '../../compliance/finding';
import { WorkloadDefaults } from '../../core/defaults';
import { MODEL_LOAD_TIMEOUT_ANNOTATION } from '../metadata';

const HANDLERS = ['httpGet', 'exec', 'tcpSocket', 'grpc'];
const OIP_LIVENESS = [WorkloadDefaults.LIVENESS_PATH];
const OIP_READINESS = /^\/v2\/(health\/ready|models\/[^/]+(\/versions\/[^/]+)?\/ready)$/;

/**
 * What a probe is, as the output shows it: `httpGet /v2/health/live port http`, `exec ["cat","/tmp/ready"]`,
 * `tcpSocket port 8080`, `grpc port 9000`, or `not set`.
 *
 * @internal
 */
export function describeProbe(probe: any): string {
  if (probe === undefined || probe === null) {
    return 'not set';
  }
  if (probe.httpGet) {
    return `httpGet ${probe.httpGet.path ?? '/'} port ${JSON.stringify(probe.httpGet.port ?? null)}`;
  }
  if (probe.exec) {
    return `exec ${JSON.stringify(probe.exec.command ?? [])}`;
  }
  if (probe.tcpSocket) {
    return `tcpSocket port ${JSON.stringify(probe.tcpSocket.port ?? null)}`;
  }
  if (probe.grpc) {
    return `grpc port ${JSON.stringify(probe.grpc.port ?? null)}${probe.grpc.service ? ` service ${probe.grpc.service}` : ''}`;
  }
  return 'no handler';
}

/** `Kind name path=<what the probe is>`. */
function showProbe(p: PodView, path: string, probe: any): string {
  return [p.kind, ' ', p.name, ' ', path, '=', describeProbe(probe)].join('');
}

/** The handler part of a probe (what is called), without its timing, to tell whether liveness and readiness ask the same. */
function handlerOf(probe: any): string {
  return JSON.stringify(HANDLERS.map((kind) => probe?.[kind] ?? null));
}

/** The startup budget in seconds: initialDelaySeconds + failureThreshold × periodSeconds, with the API server's defaults. */
function startupBudget(probe: any): { seconds: number; formula: string } {
  const delay = probe.initialDelaySeconds ?? 0; const failures = probe.failureThreshold ?? 3; const period = probe.periodSeconds ?? 10;
  return { seconds: Number(delay) + Number(failures) * Number(period), formula: `${delay} + ${failures} × ${period}` };
}

/** The worst-case model load the workload declares in its annotations, in seconds, or undefined. */
function declaredModelLoad(p: PodView): number | undefined {
  const raw = p.obj.metadata?.annotations?.[MODEL_LOAD_TIMEOUT_ANNOTATION];
  const seconds = Number(raw);
  return raw !== undefined && /^\d+(\.\d+)?$/.test(String(raw)) && seconds > 0 ? seconds : undefined;
}

interface ProbeJudgement { readonly good: string[]; readonly bad: string[]; readonly unknown: string[] }

function judgeStartupBudget(p: PodView, { c, path }: PodContainer, out: ProbeJudgement): void {
  if (!c.startupProbe) {
    out.bad.push(`${p.field(`${path}.startupProbe`, undefined)} (a model server needs a startup probe that covers the model load)`);
    return;
  }
  const budget = startupBudget(c.startupProbe);
  const load = declaredModelLoad(p);
  const shown = `${showProbe(p, `${path}.startupProbe`, c.startupProbe)} budget=${budget.seconds}s (${budget.formula})`;
  if (load === undefined) {
    out.unknown.push(`${shown}; no metadata.annotations["${MODEL_LOAD_TIMEOUT_ANNOTATION}"] declares the worst-case model load, `
      + 'so the output cannot show that the budget covers it');
  } else if (budget.seconds >= load) {
    out.good.push(`${shown} covers metadata.annotations["${MODEL_LOAD_TIMEOUT_ANNOTATION}"]=${load}s`);
  } else {
    out.bad.push(`${shown} is below metadata.annotations["${MODEL_LOAD_TIMEOUT_ANNOTATION}"]=${load}s`);
  }
}

function judgeOipPaths(p: PodView, { c, path }: PodContainer, out: ProbeJudgement): void {
  const checks: Array<[string, (value: string) => boolean, string]> = [
    ['livenessProbe', (value) => OIP_LIVENESS.includes(value), WorkloadDefaults.LIVENESS_PATH],
    ['readinessProbe', (value) => OIP_READINESS.test(value), `${WorkloadDefaults.READINESS_PATH} or /v2/models/<name>/ready`],
  ];
  for (const [probe, ok, expected] of checks) {
    const httpGet = c[probe]?.httpGet;
    if (httpGet && !ok(String(httpGet.path ?? '/'))) {
      out.bad.push(`${p.ev(`${path}.${probe}.httpGet.path`, httpGet.path ?? null)} (the Open Inference Protocol path is ${expected})`);
    }
  }
}

/**
 * PRB-1 (services). Rule: "Every regular container has a liveness and a readiness probe whose handlers differ (a not-ready
 * server is drained, not restarted); each probe is printed as what it is (httpGet, exec, tcpSocket, grpc). For model servers
 * (our CompliantModelService, a workload labelled `app.kubernetes.io/component: model-server`, or a known ML serving kind)
 * also: a startup probe whose budget (initialDelaySeconds + failureThreshold × periodSeconds) is at least the worst-case model
 * load declared in the annotation `compliance.cdk-compliant-ml.io/model-load-timeout-seconds` (our constructs write it from
 * `modelLoadTimeout`; without it the budget cannot be compared: unverified), and httpGet liveness/readiness on the Open
 * Inference Protocol paths `/v2/health/live` and `/v2/health/ready` (or `/v2/models/<name>/ready`). For other services a
 * startup probe is not required and the OIP paths do not apply (not-applicable, said in the evidence). A missing probe,
 * identical handlers, a short budget or another path: violated. Jobs: not applicable. `host` fields are judged by SEC-7."
 *
 * @internal
 */
export function probesGuardServing(p: PodView): Finding {
  const out: ProbeJudgement = { good: [], bad: [], unknown: [] };
  const modelServer = p.profile === WorkloadProfile.MODEL_SERVER;
  for (const container of p.containers.filter((x) => !x.init && !x.ephemeral)) {
    const { c, path } = container;
    const shown = ['livenessProbe', 'readinessProbe'].map((probe) => showProbe(p, `${path}.${probe}`, c[probe]));
    if (!c.livenessProbe || !c.readinessProbe) {
      out.bad.push(...shown.filter((text) => text.endsWith('=not set')));
    } else if (handlerOf(c.livenessProbe) === handlerOf(c.readinessProbe)) {
      out.bad.push(`${shown.join(', ')} (liveness and readiness call the same handler, so a not-ready server is restarted instead of drained)`);
    } else {
      out.good.push(...shown);
    }
    if (modelServer) {
      judgeStartupBudget(p, container, out);
      judgeOipPaths(p, container, out);
    }
  }
  if (!modelServer) {
    out.good.push(`${p.kind} ${p.name}: not a model server (profile ${p.profile}), so the startup budget and the Open Inference Protocol paths are not applicable`);
  }
  return verdict('PRB-1', out.good, out.bad, out.unknown);
}
