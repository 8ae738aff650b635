import { IConstruct } from 'constructs';
import { assertInt32, assertPort, checkProps, configError } from '../core';

/** Timing of a probe. Unset fields take the defaults of the probe's role (readiness, liveness, startup). */
export interface ProbeOptions {
  /** @default - 5 for readiness and startup, 10 for liveness */
  readonly periodSeconds?: number;
  /** @default 2 */
  readonly timeoutSeconds?: number;
  /** @default - 3; 30 for startup (2.5 minutes to start) */
  readonly failureThreshold?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
}

export interface HttpProbeOptions extends ProbeOptions {
  /**
   * Port to probe.
   * @default - the workload's main port
   */
  readonly port?: number;
  /**
   * Scheme.
   * @default 'HTTP'
   */
  readonly scheme?: 'HTTP' | 'HTTPS';
}

export interface TcpProbeOptions extends ProbeOptions {
  /** @default - the workload's main port */
  readonly port?: number;
}

export interface GrpcProbeOptions extends ProbeOptions {
  /** @default - the workload's main port */
  readonly port?: number;
  /**
   * gRPC health service name.
   * @default - the server's overall health
   */
  readonly service?: string;
}

/** @internal timing defaults of a probe role */
export interface ProbeTiming {
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

type Action =
  | { readonly kind: 'http'; readonly path: string; readonly port?: number; readonly scheme?: string }
  | { readonly kind: 'tcp'; readonly port?: number }
  | { readonly kind: 'grpc'; readonly port?: number; readonly service?: string }
  | { readonly kind: 'exec'; readonly command: readonly string[] };

/** How the kubelet checks a container: HTTP GET (the default), TCP connect, gRPC health, or a command. */
export class Probe {
  /** HTTP GET `path`; healthy on a 2xx/3xx answer. */
  public static http(path: string, options: HttpProbeOptions = {}): Probe {
    checkProps('Probe.http', 'HttpProbeOptions', options);
    return new Probe({ kind: 'http', path, port: options.port, scheme: options.scheme }, options);
  }

  /** Healthy when a TCP connection opens. */
  public static tcp(options: TcpProbeOptions = {}): Probe {
    checkProps('Probe.tcp', 'TcpProbeOptions', options);
    return new Probe({ kind: 'tcp', port: options.port }, options);
  }

  /** gRPC Health Checking Protocol. */
  public static grpc(options: GrpcProbeOptions = {}): Probe {
    checkProps('Probe.grpc', 'GrpcProbeOptions', options);
    return new Probe({ kind: 'grpc', port: options.port, service: options.service }, options);
  }

  /** Healthy when `command` exits 0 (it must exist in the image). */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    checkProps('Probe.exec', 'ProbeOptions', options);
    return new Probe({ kind: 'exec', command: [...command] }, options);
  }

  private constructor(private readonly action: Action, private readonly options: ProbeOptions) {}

  /**
   * @internal Validates and renders the probe for a container whose main port is `port`.
   * @param prop the prop name, for errors (`readiness`)
   */
  public _render(scope: IConstruct, prop: string, port: number | undefined, timing: ProbeTiming): Record<string, unknown> {
    const o = this.options;
    for (const key of ['periodSeconds', 'timeoutSeconds', 'failureThreshold', 'initialDelaySeconds'] as const) {
      const v = o[key];
      const min = key === 'initialDelaySeconds' ? 0 : 1;
      if (v !== undefined) assertInt32(scope, `${prop}.${key}`, v, min, key === 'failureThreshold' ? 3 : 5);
    }
    const base = {
      periodSeconds: o.periodSeconds ?? timing.periodSeconds,
      timeoutSeconds: o.timeoutSeconds ?? timing.timeoutSeconds,
      failureThreshold: o.failureThreshold ?? timing.failureThreshold,
      successThreshold: timing.successThreshold,
      initialDelaySeconds: o.initialDelaySeconds,
    };
    const a = this.action;
    if (a.kind === 'exec') {
      if (a.command.length === 0) throw configError(scope, `${prop}`, 'exec probe needs a command', a.command, "pass e.g. Probe.exec(['/bin/healthcheck'])");
      return { ...base, exec: { command: [...a.command] } };
    }
    const target = a.port ?? port;
    if (target === undefined) {
      throw configError(scope, `${prop}.port`, 'is required because the workload has no port', target, `pass { port: 8080 } or use Probe.exec([...])`);
    }
    assertPort(scope, `${prop}.port`, target);
    switch (a.kind) {
      case 'http':
        if (typeof a.path !== 'string' || !a.path.startsWith('/')) {
          throw configError(scope, `${prop}.path`, "must start with '/'", a.path, `use e.g. '/${String(a.path ?? 'healthz').replace(/^\/*/, '')}'`);
        }
        return { ...base, httpGet: { path: a.path, port: target, scheme: a.scheme } };
      case 'tcp':
        return { ...base, tcpSocket: { port: target } };
      case 'grpc':
        return { ...base, grpc: { port: target, service: a.service } };
    }
  }
}

/** Throws unless `port` is an integer in 1-65535. */
// the port validator is shared: it lives in lib/core
export { assertPort };
