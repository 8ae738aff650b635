import { Construct, IConstruct } from 'constructs';
import { assertCron, assertDnsSubdomain, assertInt, checkProps, configError } from '../core';
import { targetOf } from '../environments/environment';
import { SCALING_DEFAULTS as D } from './defaults';
import type { SecretKeyRef } from '../workloads/workload-props';
import { KedaTriggerAuthentication, TriggerAuthParameter, TriggerSecret } from './keda-trigger-authentication';

/**
 * TLS to the scaler's server, on when given. Certificates and keys come from keys of Secrets the workload
 * declares; none given means the system's CAs and no client certificate.
 */
export interface TriggerTlsOptions {
  /** @default - the system's certificate authorities */
  readonly ca?: SecretKeyRef;
  /** Client certificate (needs `key`). @default - none */
  readonly cert?: SecretKeyRef;
  /** Client key (needs `cert`). @default - none */
  readonly key?: SecretKeyRef;
  /** Password of an encrypted client key (Kafka only). @default - none */
  readonly keyPassword?: SecretKeyRef;
}

/** A value KEDA reads from a TriggerAuthentication: a constant, or a key of a declared Secret. */
export type TriggerValue = string | SecretKeyRef;

/** Kafka SASL: the mechanism is a constant (trigger metadata `sasl`), the credentials come from declared Secrets. */
export class KafkaSasl {
  /** SASL/PLAIN (send it over TLS). */
  public static plaintext(o: { readonly username: TriggerValue; readonly password: SecretKeyRef }): KafkaSasl {
    return new KafkaSasl('plaintext', [['username', o.username], ['password', o.password]]);
  }

  public static scramSha256(o: { readonly username: TriggerValue; readonly password: SecretKeyRef }): KafkaSasl {
    return new KafkaSasl('scram_sha256', [['username', o.username], ['password', o.password]]);
  }

  public static scramSha512(o: { readonly username: TriggerValue; readonly password: SecretKeyRef }): KafkaSasl {
    return new KafkaSasl('scram_sha512', [['username', o.username], ['password', o.password]]);
  }

  /**
   * OAUTHBEARER with a client-credentials token from `tokenEndpoint`.
   * @param o.scopes @default - none
   * @param o.extensions SASL extensions (KIP-342). @default - none
   */
  public static oauthBearer(o: { readonly clientId: TriggerValue; readonly clientSecret: SecretKeyRef; readonly tokenEndpoint: string;
    readonly scopes?: readonly string[]; readonly extensions?: Record<string, string> }): KafkaSasl {
    return new KafkaSasl('oauthbearer', [
      ['username', o.clientId], ['password', o.clientSecret], ['oauthTokenEndpointUri', o.tokenEndpoint],
      ...(o.scopes !== undefined ? [['scopes', Array.isArray(o.scopes) ? o.scopes.join(',') : o.scopes] as [string, TriggerValue]] : []),
      ...(o.extensions !== undefined ? [['oauthExtensions', Object.entries(o.extensions).map(([k, v]) => `${k}=${v}`).join(',')] as [string, TriggerValue]] : []),
    ], { tokenEndpoint: o.tokenEndpoint, scopes: o.scopes, extensions: o.extensions });
  }

  /**
   * Kerberos (GSSAPI): a password or a keytab from a Secret, the realm and krb5.conf.
   * @param o.serviceName @default 'kafka' (KEDA's)
   */
  public static gssapi(o: { readonly username: TriggerValue; readonly password?: SecretKeyRef; readonly keytab?: SecretKeyRef; readonly realm: string;
    readonly kerberosConfig: TriggerValue; readonly serviceName?: string }): KafkaSasl {
    return new KafkaSasl('gssapi', [
      ['username', o.username], ...(o.password ? [['password', o.password] as [string, TriggerValue]] : []), ...(o.keytab ? [['keytab', o.keytab] as [string, TriggerValue]] : []),
      ['realm', o.realm], ['kerberosConfig', o.kerberosConfig], ...(o.serviceName !== undefined ? [['kerberosServiceName', o.serviceName] as [string, TriggerValue]] : []),
    ], { gssapiSecrets: [o.password, o.keytab].filter((x) => x !== undefined).length });
  }

  private constructor(
    /** KEDA's name of the mechanism (`scram_sha512`). */
    public readonly mechanism: 'plaintext' | 'scram_sha256' | 'scram_sha512' | 'oauthbearer' | 'gssapi',
    /** @internal */
    public readonly _parameters: readonly (readonly [string, TriggerValue])[],
    /** @internal values checked when the trigger is rendered (a factory has no scope) */
    public readonly _check: Record<string, unknown> = {},
  ) {}
}

/** How KEDA authenticates to Prometheus (`authModes`); combine `tls` with one of the others. */
export class PrometheusAuth {
  /** `Authorization: Bearer <token>`. */
  public static bearer(token: SecretKeyRef): PrometheusAuth {
    return new PrometheusAuth('bearer', [['bearerToken', token]]);
  }

  /** HTTP basic auth. @param o.password @default - none (an API key as user name) */
  public static basic(o: { readonly username: TriggerValue; readonly password?: SecretKeyRef }): PrometheusAuth {
    return new PrometheusAuth('basic', [['username', o.username], ...(o.password ? [['password', o.password] as [string, TriggerValue]] : [])]);
  }

  /** A client certificate (the server's CA: `ca` of the trigger). */
  public static tls(o: { readonly cert: SecretKeyRef; readonly key: SecretKeyRef }): PrometheusAuth {
    return new PrometheusAuth('tls', [['cert', o.cert], ['key', o.key]]);
  }

  /** A header of your choice (`X-Scope-OrgID`, a gateway's API key header) carrying a secret value. */
  public static custom(o: { readonly header: string; readonly value: SecretKeyRef }): PrometheusAuth {
    return new PrometheusAuth('custom', [['customAuthHeader', o.header], ['customAuthValue', o.value]]);
  }

  private constructor(
    public readonly mode: 'bearer' | 'basic' | 'tls' | 'custom',
    /** @internal */
    public readonly _parameters: readonly (readonly [string, TriggerValue])[],
  ) {}
}

export interface PrometheusTriggerOptions {
  /** PromQL returning one number (the backlog, a rate). */
  readonly query: string;
  /** Value per pod: KEDA runs ceil(result / threshold) pods. */
  readonly threshold: number;
  /** At or below this the workload is idle (scales to its floor, or zero). @default 0 */
  readonly activationThreshold?: number;
  /** @default - the environment's prometheusAddress */
  readonly serverAddress?: string;
  /**
   * Authentication modes (`authModes`): bearer, basic or custom, and/or tls; secrets from declared Secrets.
   * @default - none
   */
  readonly auth?: PrometheusAuth | readonly PrometheusAuth[];
  /**
   * The CA of an https server address, from a declared Secret (with or without `auth`).
   * @default - the system's certificate authorities
   */
  readonly ca?: SecretKeyRef;
}

export interface KafkaTriggerOptions {
  readonly bootstrapServers: string[];
  readonly consumerGroup: string;
  readonly topic: string;
  /** Lag per pod. @default 10 (KEDA's default) */
  readonly lagThreshold?: number;
  /** SASL: the mechanism as trigger metadata, credentials from declared Secrets. @default - none */
  readonly sasl?: KafkaSasl;
  /** TLS to the brokers (`tls: enable`), certificates from declared Secrets. @default - plain text */
  readonly tls?: TriggerTlsOptions;
  /** Further authentication parameters from one Secret, as KEDA names them. @default - none */
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
  /**
   * The connection URL: a key of a declared Secret when it carries credentials, or a URL without credentials
   * (`amqps://rabbitmq.data.svc:5671/orders`) with `username`/`password` from Secrets.
   * @default - `authentication.keys.host`
   */
  readonly host?: TriggerValue;
  /** @default - the credentials in the host URL */
  readonly username?: SecretKeyRef;
  /** @default - the credentials in the host URL */
  readonly password?: SecretKeyRef;
  /** TLS (`tls: enable`, which KEDA reads only from the TriggerAuthentication); `amqps://` hosts need it. @default - none */
  readonly tls?: TriggerTlsOptions;
  /** Parameters from one Secret as KEDA names them (`{ host: 'url' }`). @default - none (then `host` is required) */
  readonly authentication?: TriggerSecret;
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

/** One authentication parameter as a trigger gives it: the value, and the prop it came from (for errors). */
interface AuthInput {
  readonly parameter: string;
  readonly value: TriggerValue;
  readonly prop: string;
}

/** What a trigger renders: its metadata, and its authentication parameters. */
interface RenderedTrigger {
  readonly metadata: Record<string, string>;
  readonly auth?: readonly AuthInput[];
}

type Render = (scope: IConstruct, prop: string) => RenderedTrigger;

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
      const modes = o.auth === undefined ? [] : Array.isArray(o.auth) ? o.auth as readonly PrometheusAuth[] : [o.auth as PrometheusAuth];
      modes.forEach((m, i) => {
        if (!(m instanceof PrometheusAuth)) throw configError(scope, `${prop}.auth[${i}]`, 'must be a PrometheusAuth', m, 'use PrometheusAuth.bearer(...), .basic(...), .tls(...) or .custom(...)');
        if (modes.findIndex((x) => x.mode === m.mode) !== i) throw configError(scope, `${prop}.auth[${i}]`, `gives mode ${m.mode} twice`, m.mode, 'give each mode once');
      });
      const headerModes = modes.filter((m) => m.mode !== 'tls').map((m) => m.mode);
      if (headerModes.length > 1) {
        throw configError(scope, `${prop}.auth`, `combines ${headerModes.join(' and ')}, which each set the request's credentials header`, headerModes,
          'keep one of bearer, basic and custom (tls combines with any)');
      }
      const https = serverAddress.startsWith('https://');
      if ((modes.some((m) => m.mode === 'tls') || o.ca !== undefined) && !https) {
        throw configError(scope, `${prop}.serverAddress`, 'is plain http, but the trigger sends a client certificate or trusts a CA (TLS)', serverAddress,
          `use the https address, e.g. '${serverAddress.replace(/^http:/, 'https:')}'`);
      }
      const auth: AuthInput[] = [];
      modes.forEach((m, i) => {
        for (const [parameter, value] of m._parameters) auth.push({ parameter, value, prop: `${prop}.auth[${i}].${parameter}` });
      });
      const custom = auth.find((a) => a.parameter === 'customAuthHeader');
      if (custom && (typeof custom.value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(custom.value))) {
        throw configError(scope, custom.prop.replace(/customAuthHeader$/, 'header'), 'must be an HTTP header name (a token: letters, digits and !#$%&\'*+.^_`|~-)', custom.value, "use e.g. 'X-Scope-OrgID'");
      }
      if (o.ca !== undefined) auth.push({ parameter: 'ca', value: o.ca, prop: `${prop}.ca` });
      return {
        metadata: {
          serverAddress,
          query: o.query,
          threshold: positive(scope, `${prop}.threshold`, o.threshold),
          activationThreshold: nonNegative(scope, `${prop}.activationThreshold`, o.activationThreshold ?? D.keda.activationThreshold),
          // KEDA reads authModes from the trigger's metadata only
          ...(modes.length > 0 ? { authModes: modes.map((m) => m.mode).join(',') } : {}),
        },
        auth,
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
      const auth: AuthInput[] = [];
      const sasl = o.sasl;
      if (sasl !== undefined) {
        if (!(sasl instanceof KafkaSasl)) throw configError(scope, `${prop}.sasl`, 'must be a KafkaSasl', sasl, 'use KafkaSasl.scramSha512({ username, password }) or another KafkaSasl factory');
        checkSasl(scope, `${prop}.sasl`, sasl);
        for (const [parameter, value] of sasl._parameters) auth.push({ parameter, value, prop: `${prop}.sasl.${parameter}` });
      }
      if (o.tls !== undefined) auth.push(...tlsParameters(scope, `${prop}.tls`, o.tls, true));
      return {
        metadata: {
          bootstrapServers: o.bootstrapServers.join(','),
          consumerGroup: o.consumerGroup,
          topic: o.topic,
          lagThreshold: positive(scope, `${prop}.lagThreshold`, o.lagThreshold ?? D.keda.kafkaLagThreshold),
          // constants: KEDA takes sasl and tls from the trigger's metadata (no Secret needed for them)
          ...(sasl ? { sasl: sasl.mechanism } : {}),
          ...(o.tls !== undefined ? { tls: 'enable' } : {}),
        },
        auth,
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
      const hostInAuthentication = o.authentication !== undefined && 'host' in (o.authentication.keys ?? {});
      if (o.host === undefined && !hostInAuthentication) {
        throw configError(scope, `${prop}.authentication`, 'must map parameter host to the Secret key holding the connection string', o.authentication,
          "use host: { secret: 'rabbitmq', key: 'url' } (or authentication: { secret: 'rabbitmq', keys: { host: 'url' } })");
      }
      if (o.host !== undefined && hostInAuthentication) {
        throw configError(scope, `${prop}.host`, 'is given twice (also as authentication.keys.host)', o.host, 'keep one');
      }
      const auth: AuthInput[] = [];
      let metadataHost: string | undefined;
      if (typeof o.host === 'string') {
        const m = /^(amqps?|https?):\/\/([^/?#\s]*)(\/[^\s]*)?$/.exec(o.host);
        if (!m || m[2] === '') throw configError(scope, `${prop}.host`, 'must be an amqp, amqps, http or https URL', o.host, "use e.g. 'amqps://rabbitmq.data.svc:5671/orders'");
        if (m[2].includes('@')) {
          throw configError(scope, `${prop}.host`, 'carries credentials, which would be committed to Git in the trigger', o.host.replace(/\/\/[^@/]*@/, '//***@'),
            "read the URL from a declared Secret (host: { secret, key }), or give username/password from Secrets");
        }
        metadataHost = o.host;
      } else if (o.host !== undefined) {
        auth.push({ parameter: 'host', value: o.host, prop: `${prop}.host` });
      }
      if (metadataHost !== undefined && /^(amqps|https):/.test(metadataHost) && o.tls === undefined) {
        throw configError(scope, `${prop}.tls`, `is required by the ${metadataHost.split(':')[0]} host (KEDA connects in plain text without it)`, o.tls, 'set tls: {} (and ca/cert/key when your broker needs them)');
      }
      if (o.username !== undefined) auth.push({ parameter: 'username', value: o.username, prop: `${prop}.username` });
      if (o.password !== undefined) auth.push({ parameter: 'password', value: o.password, prop: `${prop}.password` });
      if (o.tls !== undefined) {
        // KEDA's RabbitMQ scaler reads tls only from the TriggerAuthentication (metadata would be ignored)
        auth.push({ parameter: 'tls', value: 'enable', prop: `${prop}.tls` }, ...tlsParameters(scope, `${prop}.tls`, o.tls, false));
      }
      return {
        metadata: { ...(metadataHost !== undefined ? { host: metadataHost } : {}), protocol, queueName: o.queueName, mode, value: positive(scope, `${prop}.value`, o.value) },
        auth,
      };
    }, o.authentication);
  }

  public static cron(o: CronTriggerOptions): KedaTrigger {
    checkProps('KedaTrigger.cron', 'CronTriggerOptions', o);
    return new KedaTrigger('cron', (scope, prop) => {
      assertCron(scope, `${prop}.start`, o.start);
      assertCron(scope, `${prop}.end`, o.end);
      const timezone = o.timeZone ?? D.keda.timeZone;
      if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(timezone)) throw configError(scope, `${prop}.timeZone`, 'must be an IANA time zone', timezone, "use e.g. 'Europe/Berlin'");
      return { metadata: { timezone, start: o.start, end: o.end, desiredReplicas: String(assertInt(scope, `${prop}.desiredReplicas`, o.desiredReplicas, 1, 2147483647, 2)) } };
    });
  }

  private constructor(
    /** The KEDA scaler type: `prometheus`, `kafka`, `rabbitmq`, `cron`. */
    public readonly type: string,
    private readonly render: Render,
    /** Parameters from one Secret as KEDA names them (the raw mapping). */
    public readonly authentication?: TriggerSecret,
  ) {}

  /** @internal The trigger's metadata (strings, as KEDA takes them); throws config errors naming `prop`. */
  public _metadata(scope: IConstruct, prop: string): Record<string, string> {
    return this.render(scope, prop).metadata;
  }

  /** @internal Metadata and typed authentication parameters. */
  public _render(scope: IConstruct, prop: string): RenderedTrigger {
    return this.render(scope, prop);
  }
}

function checkSasl(scope: IConstruct, prop: string, sasl: KafkaSasl): void {
  const c = sasl._check;
  if (sasl.mechanism === 'oauthbearer') {
    if (typeof c.tokenEndpoint !== 'string' || !/^https:\/\/[^\s/?#@]+(\/\S*)?$/.test(c.tokenEndpoint)) {
      throw configError(scope, `${prop}.tokenEndpoint`, 'must be the https URL of the OAuth token endpoint', c.tokenEndpoint, "use e.g. 'https://login.acme.example/oauth2/token'");
    }
    const scopes = c.scopes as unknown;
    if (scopes !== undefined && (!Array.isArray(scopes) || scopes.some((x) => typeof x !== 'string' || !/^[!#-[\]-~]+$/.test(x)))) {
      throw configError(scope, `${prop}.scopes`, 'must be OAuth scope tokens (printable, no spaces, commas or backslashes)', scopes, "use e.g. ['kafka.read']");
    }
    for (const [k, v] of Object.entries((c.extensions ?? {}) as Record<string, unknown>)) {
      if (!/^[A-Za-z]+$/.test(k) || typeof v !== 'string' || /[,=\x00-\x1f]/.test(v)) {
        throw configError(scope, `${prop}.extensions`, 'must map letters-only names to values without commas, = or control characters', { [k]: v }, "use e.g. { logicalCluster: 'lkc-1' }");
      }
    }
  }
  if (sasl.mechanism === 'gssapi' && c.gssapiSecrets !== 1) {
    throw configError(scope, prop, 'needs exactly one of password and keytab (GSSAPI)', c.gssapiSecrets, 'give password or keytab');
  }
}

function tlsParameters(scope: IConstruct, prop: string, tls: TriggerTlsOptions, keyPassword: boolean): AuthInput[] {
  if (tls === null || typeof tls !== 'object') throw configError(scope, prop, 'must be an object (empty for TLS with the system CAs)', tls, 'use tls: {} or tls: { ca: { secret, key } }');
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw configError(scope, prop, 'needs cert and key together (a client certificate)', Object.keys(tls), 'give both cert and key, or neither');
  }
  if (!keyPassword && tls.keyPassword !== undefined) throw configError(scope, `${prop}.keyPassword`, 'is not supported by this scaler', tls.keyPassword, 'use an unencrypted key from a Secret');
  const out: AuthInput[] = [];
  for (const k of ['ca', 'cert', 'key', 'keyPassword'] as const) {
    const v = tls[k];
    if (v !== undefined) out.push({ parameter: k, value: v, prop: `${prop}.${k}` });
  }
  return out;
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
    const rendered = t._render(errorScope, p);
    const metadata = rendered.metadata;
    const n = (seen.get(t.type) ?? 0) + 1;
    seen.set(t.type, n);
    const triggerName = counts.get(t.type)! > 1 ? `${t.type}-${n}` : t.type;
    let authenticationRef: { name: string } | undefined;
    const inputs: AuthInput[] = [...(rendered.auth ?? [])];
    if (t.authentication) {
      const a = t.authentication;
      const entries = Object.entries(a.keys ?? {});
      if (entries.length === 0) throw configError(errorScope, `${p}.authentication.keys`, 'is empty', a.keys, 'map the scaler parameters to Secret keys');
      for (const [parameter, key] of entries) inputs.push({ parameter, value: { secret: a.secret, key: key as string }, prop: `${p}.authentication` });
    }
    if (inputs.length > 0) {
      const parameters: TriggerAuthParameter[] = [];
      for (const input of inputs) {
        const twice = inputs.find((x) => x.parameter === input.parameter && x !== input);
        if (twice) {
          throw configError(errorScope, twice.prop, `gives authentication parameter ${input.parameter} a second time (also ${input.prop})`, twice.value, 'give it once');
        }
        const v = input.value;
        if (typeof v === 'string') {
          // only a file's contents (krb5.conf) may span lines
          const control = input.parameter === 'kerberosConfig' ? /[\u0000-\u0008\u000b-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/;
          if (v === '' || control.test(v)) throw configError(errorScope, input.prop, 'must be a non-empty value without control characters', v, 'give the value');
          parameters.push({ parameter: input.parameter, value: v });
          continue;
        }
        if (v === null || typeof v !== 'object' || typeof v.secret !== 'string' || typeof v.key !== 'string') {
          throw configError(errorScope, input.prop, 'must be a key of a Secret ({ secret, key })', v, "use e.g. { secret: 'kafka', key: 'password' }");
        }
        assertDnsSubdomain(errorScope, input.prop === `${p}.authentication` ? `${p}.authentication.secret` : `${input.prop}.secret`, v.secret);
        if (!declared.some((d) => d.secret === v.secret && (d.key === undefined || d.key === v.key))) {
          const shown = input.prop === `${p}.authentication` ? t.authentication : v;
          throw configError(errorScope, input.prop, `names Secret key ${v.secret}/${v.key}, which the workload does not declare`, shown,
            `read it in the workload (secretEnv: { X: { secret: '${v.secret}', key: '${v.key}' } }) or a secret source it uses`);
        }
        parameters.push({ parameter: input.parameter, from: { secret: v.secret, key: v.key } });
      }
      const authName = `${name}-${triggerName}`;
      new KedaTriggerAuthentication(owner, `TriggerAuthentication-${triggerName}`, { name: authName, namespace, labels, parameters });
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
