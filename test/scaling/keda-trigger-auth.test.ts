import { KafkaSasl, KedaTrigger, PrometheusAuth, Scaling } from '../../lib/scaling';
import { ExternalSecret, SecretStore } from '../../lib/secrets';
import { HardenedWorker } from '../../lib/workloads';
import { crdSchemaErrors } from '../fixtures/crd-schema';
import { prng, renderEnvApp } from '../fixtures/env-app';

// Typed authentication of KEDA triggers: constants go to trigger metadata (where KEDA reads them there) or to a
// ConfigMap behind the TriggerAuthentication (where KEDA reads them only from it); secrets only from declared keys.

const image = 'ghcr.io/acme/app:1.4.2';
const ref = (secret: string, key: string) => ({ secret, key });
/** Every key below is declared by the worker (an ExternalSecret per Secret, read as env or files). */
const KEYS: Record<string, string[]> = { kafka: ['user', 'password', 'ca', 'cert', 'key', 'keytab', 'krb5'], mq: ['url', 'user', 'password', 'ca'], prom: ['token', 'cert', 'key', 'ca', 'user', 'password', 'apikey'] };

function render(triggers: KedaTrigger[], declare = KEYS) {
  return renderEnvApp((ns) => {
    const store = SecretStore.existing({ name: 'vault' });
    const secretEnv: Record<string, { secret: string; key: string }> = {};
    for (const [secret, keys] of Object.entries(declare)) {
      new ExternalSecret(ns, secret, { store, data: Object.fromEntries(keys.map((k) => [k, { key: `shop/${secret}`, property: k }])) });
      for (const k of keys) secretEnv[`${secret}_${k}`.toUpperCase()] = { secret, key: k };
    }
    new HardenedWorker(ns, 'w', { image, secretEnv, use: [Scaling.keda({ maxReplicas: 4, triggers })] });
  });
}

const kafka = (o: Partial<Parameters<typeof KedaTrigger.kafka>[0]>) => KedaTrigger.kafka({ bootstrapServers: ['kafka.data.svc:9093'], consumerGroup: 'g', topic: 't', ...o });

describe('Kafka SASL and TLS', () => {
  test.each([
    ['plaintext', KafkaSasl.plaintext({ username: ref('kafka', 'user'), password: ref('kafka', 'password') })],
    ['scram_sha256', KafkaSasl.scramSha256({ username: ref('kafka', 'user'), password: ref('kafka', 'password') })],
    ['scram_sha512', KafkaSasl.scramSha512({ username: ref('kafka', 'user'), password: ref('kafka', 'password') })],
  ])('%s: the mechanism and tls are trigger metadata; credentials and certificates come from the declared Secret', (mechanism, sasl) => {
    const app = render([kafka({ sasl, tls: { ca: ref('kafka', 'ca'), cert: ref('kafka', 'cert'), key: ref('kafka', 'key') } })]);
    const trigger = app.one('dev', 'ScaledObject', 'w').spec.triggers[0];
    expect(trigger.metadata).toMatchObject({ sasl: mechanism, tls: 'enable' });
    const auth = app.one('dev', 'TriggerAuthentication', 'w-kafka');
    expect(auth.spec).toEqual({
      secretTargetRef: [
        { parameter: 'ca', name: 'kafka', key: 'ca' }, { parameter: 'cert', name: 'kafka', key: 'cert' }, { parameter: 'key', name: 'kafka', key: 'key' },
        { parameter: 'password', name: 'kafka', key: 'password' }, { parameter: 'username', name: 'kafka', key: 'user' },
      ],
    });
    expect(app.all('dev', 'ConfigMap').filter((c) => c.metadata.name === 'w-kafka')).toEqual([]);
    expect(crdSchemaErrors(auth)).toEqual([]);
  });

  test('oauthbearer: endpoint, scopes and extensions are constants in a ConfigMap (KEDA reads them only from the TriggerAuthentication)', () => {
    const app = render([kafka({
      sasl: KafkaSasl.oauthBearer({ clientId: 'scaler', clientSecret: ref('kafka', 'password'), tokenEndpoint: 'https://login.acme.example/token', scopes: ['kafka.read', 'x'], extensions: { logicalCluster: 'lkc-1' } }),
      tls: {},
    })]);
    const auth = app.one('dev', 'TriggerAuthentication', 'w-kafka');
    expect(auth.spec.secretTargetRef).toEqual([{ parameter: 'password', name: 'kafka', key: 'password' }]);
    expect(auth.spec.configMapTargetRef.map((r: any) => r.parameter)).toEqual(['oauthExtensions', 'oauthTokenEndpointUri', 'scopes', 'username']);
    expect(auth.spec.configMapTargetRef.every((r: any) => r.name === 'w-kafka' && r.key === r.parameter)).toBe(true);
    expect(app.one('dev', 'ConfigMap', 'w-kafka').data).toEqual({ oauthExtensions: 'logicalCluster=lkc-1', oauthTokenEndpointUri: 'https://login.acme.example/token', scopes: 'kafka.read,x', username: 'scaler' });
    expect(crdSchemaErrors(auth)).toEqual([]);
  });

  test('gssapi: a keytab or a password, never both; realm and krb5.conf', () => {
    const app = render([kafka({ sasl: KafkaSasl.gssapi({ username: 'scaler', keytab: ref('kafka', 'keytab'), realm: 'ACME.EXAMPLE', kerberosConfig: ref('kafka', 'krb5') }) })]);
    expect(app.one('dev', 'ScaledObject', 'w').spec.triggers[0].metadata.sasl).toBe('gssapi');
    expect(app.one('dev', 'ConfigMap', 'w-kafka').data).toEqual({ realm: 'ACME.EXAMPLE', username: 'scaler' });
    expect(() => render([kafka({ sasl: KafkaSasl.gssapi({ username: 'u', realm: 'R', kerberosConfig: 'x' }) })])).toThrow('dev/shop/w: keda.triggers[0].sasl needs exactly one of password and keytab (GSSAPI)');
    expect(() => render([kafka({ sasl: KafkaSasl.gssapi({ username: 'u', password: ref('kafka', 'password'), keytab: ref('kafka', 'keytab'), realm: 'R', kerberosConfig: 'x' }) })]))
      .toThrow('needs exactly one of password and keytab');
  });

  test('TLS without a certificate enables TLS and needs no TriggerAuthentication; cert without key is refused', () => {
    const app = render([kafka({ tls: {} })]);
    expect(app.one('dev', 'ScaledObject', 'w').spec.triggers[0]).not.toHaveProperty('authenticationRef');
    expect(app.all('dev', 'TriggerAuthentication')).toEqual([]);
    expect(() => render([kafka({ tls: { cert: ref('kafka', 'cert') } })])).toThrow('dev/shop/w: keda.triggers[0].tls needs cert and key together');
  });

  test('every secret part must be a key the workload declares (generated: which key is missing)', () => {
    const r = prng(25);
    const parts = ['user', 'password', 'ca', 'cert', 'key'];
    for (let i = 0; i < 12; i++) {
      const missing = parts[Math.floor(r() * parts.length)];
      const declared = { ...KEYS, kafka: KEYS.kafka.filter((k) => k !== missing) };
      expect(() => render([kafka({ sasl: KafkaSasl.scramSha512({ username: ref('kafka', 'user'), password: ref('kafka', 'password') }), tls: { ca: ref('kafka', 'ca'), cert: ref('kafka', 'cert'), key: ref('kafka', 'key') } })], declared))
        .toThrow(`names Secret key kafka/${missing}, which the workload does not declare`);
    }
  });

  test('a parameter given typed and raw is refused', () => {
    expect(() => render([kafka({ sasl: KafkaSasl.plaintext({ username: ref('kafka', 'user'), password: ref('kafka', 'password') }), authentication: { secret: 'kafka', keys: { password: 'password' } } })]))
      .toThrow('gives authentication parameter password a second time');
  });

  test('oauth endpoint, scopes and extensions are checked (generated hostile values)', () => {
    const r = prng(26);
    const hostile = ['', 'http://login/token', 'https://', 'ftp://x', 'login.acme.example/token', 'https://a b/'];
    for (const tokenEndpoint of hostile) {
      expect(() => render([kafka({ sasl: KafkaSasl.oauthBearer({ clientId: 'c', clientSecret: ref('kafka', 'password'), tokenEndpoint }) })])).toThrow('sasl.tokenEndpoint must be the https URL');
    }
    for (let i = 0; i < 10; i++) {
      const bad = ['a b', 'a,b', 'x\ny', 'q\\r'][Math.floor(r() * 4)];
      expect(() => render([kafka({ sasl: KafkaSasl.oauthBearer({ clientId: 'c', clientSecret: ref('kafka', 'password'), tokenEndpoint: 'https://t/x', scopes: [bad] }) })])).toThrow('sasl.scopes must be OAuth scope tokens');
    }
    expect(() => render([kafka({ sasl: KafkaSasl.oauthBearer({ clientId: 'c', clientSecret: ref('kafka', 'password'), tokenEndpoint: 'https://t/x', extensions: { a: 'x,y' } }) })])).toThrow('sasl.extensions');
    expect(() => render([kafka({ sasl: KafkaSasl.plaintext({ username: 'line\nbreak', password: ref('kafka', 'password') }) })])).toThrow('keda.triggers[0].sasl.username must be a non-empty value without control characters');
  });
});

describe('RabbitMQ host, credentials and TLS', () => {
  test('a host URL without credentials is metadata; username/password from Secrets; TLS only through the TriggerAuthentication', () => {
    const app = render([KedaTrigger.rabbitMq({ queueName: 'orders', value: 10, host: 'amqps://rabbitmq.data.svc:5671/shop', username: ref('mq', 'user'), password: ref('mq', 'password'), tls: { ca: ref('mq', 'ca') } })]);
    const trigger = app.one('dev', 'ScaledObject', 'w').spec.triggers[0];
    expect(trigger.metadata).toEqual({ host: 'amqps://rabbitmq.data.svc:5671/shop', protocol: 'amqp', queueName: 'orders', mode: 'QueueLength', value: '10' });
    expect(trigger.metadata).not.toHaveProperty('tls'); // KEDA would ignore it there
    const auth = app.one('dev', 'TriggerAuthentication', 'w-rabbitmq');
    expect(auth.spec.configMapTargetRef).toEqual([{ parameter: 'tls', name: 'w-rabbitmq', key: 'tls' }]);
    expect(app.one('dev', 'ConfigMap', 'w-rabbitmq').data).toEqual({ tls: 'enable' });
    expect(auth.spec.secretTargetRef.map((s: any) => s.parameter)).toEqual(['ca', 'password', 'username']);
    expect(crdSchemaErrors(auth)).toEqual([]);
  });

  test('the host from a Secret; an amqps host without tls, credentials in a plain host, and two hosts are refused', () => {
    const app = render([KedaTrigger.rabbitMq({ queueName: 'orders', value: 10, host: ref('mq', 'url') })]);
    expect(app.one('dev', 'TriggerAuthentication', 'w-rabbitmq').spec).toEqual({ secretTargetRef: [{ parameter: 'host', name: 'mq', key: 'url' }] });
    expect(() => render([KedaTrigger.rabbitMq({ queueName: 'q', value: 1, host: 'amqps://mq:5671/' })])).toThrow('dev/shop/w: keda.triggers[0].tls is required by the amqps host');
    const r = prng(27);
    for (let i = 0; i < 10; i++) {
      const user = Array.from({ length: 1 + Math.floor(r() * 6) }, () => 'abcxyz'[Math.floor(r() * 6)]).join('');
      const secret = Array.from({ length: 4 + Math.floor(r() * 8) }, () => 'pqrs0123'[Math.floor(r() * 8)]).join('');
      const run = () => render([KedaTrigger.rabbitMq({ queueName: 'q', value: 1, host: `amqp://${user}:${secret}@mq:5672/` })]);
      expect(run).toThrow('keda.triggers[0].host carries credentials');
      try { run(); } catch (e: any) { expect(e.message).not.toContain(secret); }
    }
    expect(() => render([KedaTrigger.rabbitMq({ queueName: 'q', value: 1, host: ref('mq', 'url'), authentication: { secret: 'mq', keys: { host: 'url' } } })])).toThrow('host is given twice');
  });
});

describe('Prometheus authModes', () => {
  const prom = (o: Partial<Parameters<typeof KedaTrigger.prometheus>[0]>) => KedaTrigger.prometheus({ query: 'sum(x)', threshold: 5, serverAddress: 'https://prometheus.monitoring.svc:9091', ...o });

  test('bearer, basic, custom and tls: authModes in metadata, secrets by reference, the header name as a constant', () => {
    const cases: [PrometheusAuth[], string, string[], string[]][] = [
      [[PrometheusAuth.bearer(ref('prom', 'token'))], 'bearer', ['bearerToken'], []],
      [[PrometheusAuth.basic({ username: ref('prom', 'user'), password: ref('prom', 'password') })], 'basic', ['password', 'username'], []],
      [[PrometheusAuth.custom({ header: 'X-Api-Key', value: ref('prom', 'apikey') })], 'custom', ['customAuthValue'], ['customAuthHeader']],
      [[PrometheusAuth.tls({ cert: ref('prom', 'cert'), key: ref('prom', 'key') }), PrometheusAuth.basic({ username: 'scaler', password: ref('prom', 'password') })], 'tls,basic', ['cert', 'key', 'password'], ['username']],
    ];
    for (const [auth, modes, secrets, constants] of cases) {
      const app = render([prom({ auth, ca: ref('prom', 'ca') })]);
      expect(app.one('dev', 'ScaledObject', 'w').spec.triggers[0].metadata.authModes).toBe(modes);
      const ta = app.one('dev', 'TriggerAuthentication', 'w-prometheus');
      expect(ta.spec.secretTargetRef.map((s: any) => s.parameter)).toEqual(['ca', ...secrets].sort());
      expect((ta.spec.configMapTargetRef ?? []).map((s: any) => s.parameter)).toEqual(constants);
      expect(crdSchemaErrors(ta)).toEqual([]);
    }
  });

  test('two credential headers, TLS over http and a bad header name are refused', () => {
    expect(() => render([prom({ auth: [PrometheusAuth.bearer(ref('prom', 'token')), PrometheusAuth.basic({ username: ref('prom', 'user') })] })]))
      .toThrow('dev/shop/w: keda.triggers[0].auth combines bearer and basic');
    expect(() => render([prom({ serverAddress: 'http://prometheus:9090', auth: PrometheusAuth.tls({ cert: ref('prom', 'cert'), key: ref('prom', 'key') }) })]))
      .toThrow('keda.triggers[0].serverAddress is plain http, but the trigger sends a client certificate');
    const r = prng(28);
    for (let i = 0; i < 10; i++) {
      const header = ['X Api', 'X:Key', 'a\nb', '', 'ä'][Math.floor(r() * 5)];
      expect(() => render([prom({ auth: PrometheusAuth.custom({ header, value: ref('prom', 'apikey') }) })])).toThrow('keda.triggers[0].auth[0].header must be an HTTP header name');
    }
  });
});
