import { Construct, IConstruct } from 'constructs';
import { assertCron, assertDnsSubdomain, assertInt, checkProps, configError } from '../core';
import { targetOf } from '../environments/environment';
import { SCALING_DEFAULTS as D } from './defaults';
import { KedaTriggerAuthentication, TriggerSecret } from './keda-trigger-authentication';

export interface PrometheusTriggerOptions {
  /** PromQL returning one number (the backlog, a rate). */
  readonly query: string;
  /** Value per pod: KEDA runs ceil(result / threshold) pods. */
  readonly threshold: number;
  /** At or below this the workload is idle (scales to its floor, or zero). @default 0 */
  readonly activationThreshold?: number;
  /** @default - the environment's prometheusAddress */
  readonly serverAddress?: string;
}

export interface KafkaTriggerOptions {
  readonly bootstrapServers: string[];
  readonly consumerGroup: string;
  readonly topic: string;
  /** Lag per pod. @default 10 (KEDA's default) */
  readonly lagThreshold?: number;
  /** @default - no credentials */
  readonly authentication?: TriggerSecret;
}

export interface RabbitMqTriggerOptions {
  readonly queueName: string;
  /** Messages (QueueLength) or messages per second (MessageRate) per pod. */
  readonly value: number;
  /** @default 'QueueLength' */
  readonly mode?: 'QueueLength' | 'MessageRate';
  /** @default 'amqp' ('http' for the management API; MessageRate needs it) */
  readonly protocol?: 'amqp' | 'http';
  /** The connection string, under parameter `host`. */
  readonly authentication: TriggerSecret;
}

export interface CronTriggerOptions {
  /** Cron expression when the window opens (`0 8 * * 1-5`). */
  readonly start: string;
  /** Cron expression when it closes (`0 20 * * 1-5`). */
  readonly end: string;
  readonly desiredReplicas: number;
  /** IANA time zone. @default 'Etc/UTC' */
  readonly timeZone?: string;
}

type Metadata = (scope: IConstruct, prop: string) => Record<string, string>;

/** What a KEDA ScaledObject or ScaledJob reacts to: Prometheus, Kafka, RabbitMQ, cron. */
export class KedaTrigger {
  public static prometheus(o: PrometheusTriggerOptions): KedaTrigger {
    checkProps('KedaTrigger.prometheus', 'PrometheusTriggerOptions', o);
    return new KedaTrigger('prometheus', (scope, prop) => {
      const serverAddress = o.serverAddress ?? targetOf(scope)?.env.prometheusAddress;
      if (typeof serverAddress !== 'string' || !/^https?:\/\/\S+$/.test(serverAddress)) {
        throw configError(scope, `${prop}.serverAddress`, 'must be the Prometheus URL (none given and no environment default)', serverAddress, "use e.g. 'http://prometheus-operated.monitoring.svc:9090'");
      }
      if (typeof o.query !== 'string' || o.query.trim() === '') throw configError(scope, `${prop}.query`, 'must be a PromQL expression', o.query, "use e.g. 'sum(rabbitmq_queue_messages{queue=\"orders\"})'");
      return {
        serverAddress,
        query: o.query,
        threshold: positive(scope, `${prop}.threshold`, o.threshold),
        activationThreshold: nonNegative(scope, `${prop}.activationThreshold`, o.activationThreshold ?? D.keda.activationThreshold),
      };
    });
  }

  public static kafka(o: KafkaTriggerOptions): KedaTrigger {
    checkProps('KedaTrigger.kafka', 'KafkaTriggerOptions', o);
    return new KedaTrigger('kafka', (scope, prop) => {
      if (!Array.isArray(o.bootstrapServers) || o.bootstrapServers.length === 0 || o.bootstrapServers.some((s) => !/^[^\s,:]+:[0-9]+$/.test(s))) {
        throw configError(scope, `${prop}.bootstrapServers`, 'must list host:port addresses', o.bootstrapServers, "use e.g. ['kafka.data.svc:9092']");
      }
      for (const k of ['consumerGroup', 'topic'] as const) {
        if (typeof o[k] !== 'string' || !/^[a-zA-Z0-9._-]+$/.test(o[k])) throw configError(scope, `${prop}.${k}`, 'must be a Kafka name', o[k], "use e.g. 'orders'");
      }
      return {
        bootstrapServers: o.bootstrapServers.join(','),
        consumerGroup: o.consumerGroup,
        topic: o.topic,
        lagThreshold: positive(scope, `${prop}.lagThreshold`, o.lagThreshold ?? D.keda.kafkaLagThreshold),
      };
    }, o.authentication);
  }

  public static rabbitMq(o: RabbitMqTriggerOptions): KedaTrigger {
    checkProps('KedaTrigger.rabbitMq', 'RabbitMqTriggerOptions', o);
    return new KedaTrigger('rabbitmq', (scope, prop) => {
      if (typeof o.queueName !== 'string' || o.queueName === '') throw configError(scope, `${prop}.queueName`, 'must name the queue', o.queueName, "use e.g. 'orders'");
      const mode = o.mode ?? D.keda.rabbitMqMode;
      const protocol = o.protocol ?? D.keda.rabbitMqProtocol;
      if (mode === 'MessageRate' && protocol !== 'http') {
        throw configError(scope, `${prop}.protocol`, 'must be http for mode MessageRate (rates come from the management API)', protocol, "set protocol: 'http'");
      }
      if (!o.authentication || !('host' in (o.authentication.keys ?? {}))) {
        throw configError(scope, `${prop}.authentication`, 'must map parameter host to the Secret key holding the connection string', o.authentication, "use { secret: 'rabbitmq', keys: { host: 'url' } }");
      }
      return { protocol, queueName: o.queueName, mode, value: positive(scope, `${prop}.value`, o.value) };
    }, o.authentication);
  }

  public static cron(o: CronTriggerOptions): KedaTrigger {
    checkProps('KedaTrigger.cron', 'CronTriggerOptions', o);
    return new KedaTrigger('cron', (scope, prop) => {
      assertCron(scope, `${prop}.start`, o.start);
      assertCron(scope, `${prop}.end`, o.end);
      const timezone = o.timeZone ?? D.keda.timeZone;
      if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(timezone)) throw configError(scope, `${prop}.timeZone`, 'must be an IANA time zone', timezone, "use e.g. 'Europe/Berlin'");
      return { timezone, start: o.start, end: o.end, desiredReplicas: String(assertInt(scope, `${prop}.desiredReplicas`, o.desiredReplicas, 1, 2147483647, 2)) };
    });
  }

  private constructor(
    /** The KEDA scaler type: `prometheus`, `kafka`, `rabbitmq`, `cron`. */
    public readonly type: string,
    private readonly metadata: Metadata,
    public readonly authentication?: TriggerSecret,
  ) {}

  /** @internal The trigger's metadata (strings, as KEDA takes them); throws config errors naming `prop`. */
  public _metadata(scope: IConstruct, prop: string): Record<string, string> {
    return this.metadata(scope, prop);
  }
}

/** Secret keys a workload declares (what its pod reads), for the authentication check. */
export interface DeclaredSecretKeys {
  readonly secret: string;
  /** undefined: every key of the Secret (a mounted Secret volume). */
  readonly key?: string;
}

/**
 * @internal Renders `triggers` of a ScaledObject or ScaledJob named `name`, creating one TriggerAuthentication per
 * authenticated trigger. Every Secret key a trigger authenticates with must be one the workload declares.
 */
export function renderTriggers(owner: Construct, errorScope: IConstruct, prop: string, name: string, namespace: string, labels: Record<string, string>,
  triggers: readonly KedaTrigger[], declared: readonly DeclaredSecretKeys[]): Record<string, any>[] {
  const base = prop ? `${prop}.` : '';
  if (!Array.isArray(triggers) || triggers.length === 0) {
    throw configError(errorScope, `${base}triggers`, 'is empty', triggers, 'give at least one trigger, e.g. KedaTrigger.rabbitMq({...})');
  }
  const counts = new Map<string, number>();
  for (const t of triggers) counts.set(t.type, (counts.get(t.type) ?? 0) + 1);
  const seen = new Map<string, number>();
  return triggers.map((t, i) => {
    const p = `${base}triggers[${i}]`;
    const metadata = t._metadata(errorScope, p);
    const n = (seen.get(t.type) ?? 0) + 1;
    seen.set(t.type, n);
    const triggerName = counts.get(t.type)! > 1 ? `${t.type}-${n}` : t.type;
    let authenticationRef: { name: string } | undefined;
    if (t.authentication) {
      const a = t.authentication;
      assertDnsSubdomain(errorScope, `${p}.authentication.secret`, a.secret);
      const entries = Object.entries(a.keys ?? {});
      if (entries.length === 0) throw configError(errorScope, `${p}.authentication.keys`, 'is empty', a.keys, 'map the scaler parameters to Secret keys');
      for (const [, key] of entries) {
        if (!declared.some((d) => d.secret === a.secret && (d.key === undefined || d.key === key))) {
          throw configError(errorScope, `${p}.authentication`, `names Secret key ${a.secret}/${key}, which the workload does not declare`, a,
            `read it in the workload (secretEnv: { X: { secret: '${a.secret}', key: '${key}' } }) or a secret source it uses`);
        }
      }
      const authName = `${name}-${triggerName}`;
      new KedaTriggerAuthentication(owner, `TriggerAuthentication-${triggerName}`, { name: authName, namespace, labels, secret: a });
      authenticationRef = { name: authName };
    }
    return { type: t.type, name: triggerName, metadata, ...(authenticationRef ? { authenticationRef } : {}) };
  });
}

function positive(scope: IConstruct, prop: string, v: number): string {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw configError(scope, prop, 'must be a positive number', v, 'use e.g. 10');
  return String(v);
}

function nonNegative(scope: IConstruct, prop: string, v: number): string {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw configError(scope, prop, 'must be a number of at least 0', v, 'use e.g. 0');
  return String(v);
}
