import { ApiObject, Chart, Testing } from 'cdk8s';
import { renderConfigFile } from '../../lib/config/config-file-format';
import { credentialIn, credentialsInObject, evaluate, evaluateManifests, Policy } from '../../lib/policy';
import { prng } from '../fixtures/prng';

/**
 * The credential detector reads every string of every object and every config file format the library writes;
 * generated true positives must be found at their exact path, generated innocent values never.
 */

const r = prng(2026);
const int = (n: number) => Math.floor(r() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const ALNUM = LOWER + UPPER + DIGITS;
const WORDS = ['storefront', 'checkout', 'payment', 'search', 'catalog', 'orders', 'db', 'cache', 'queue', 'primary', 'replica'];
const N = 60;
const RULE = 'hygiene-no-plaintext-credentials';

const word = () => pick(WORDS);
const host = () => `${word()}.${word()}.svc.cluster.local`;
/** A password with mixed character classes (what a human or a generator would set). */
const password = () => `${chars(ALNUM, 6 + int(10))}${pick(['', '!', '#', '%', '9'])}${chars(DIGITS, 1 + int(3))}`;
const token = () => pick([
  () => `ghp_${chars(ALNUM, 36)}`,
  () => `AKIA${chars(UPPER + DIGITS, 16)}`,
  () => `glpat-${chars(ALNUM, 20)}`,
  () => `xoxb-${chars(DIGITS, 12)}-${chars(ALNUM, 24)}`,
])();

/** Connection strings with a password, in the forms drivers accept. */
const connectionStrings: [string, () => string][] = [
  ['postgres URL', () => `postgres://${word()}:${password()}@${host()}:5432/${word()}`],
  ['postgresql URL with params', () => `postgresql://${word()}:${password()}@${host()}/${word()}?sslmode=require`],
  ['mysql URL', () => `mysql://${word()}:${password()}@${host()}:3306/${word()}`],
  ['mongodb+srv URL', () => `mongodb+srv://${word()}:${password()}@${word()}.mongodb.net/${word()}?retryWrites=true`],
  ['amqp URL', () => `amqps://${word()}:${password()}@${host()}:5671/vhost`],
  ['redis URL without user', () => `redis://:${password()}@${host()}:6379/0`],
  ['JDBC password param', () => `jdbc:postgresql://${host()}:5432/${word()}?user=${word()}&password=${password()}`],
  ['JDBC sqlserver', () => `jdbc:sqlserver://${host()}:1433;databaseName=${word()};user=${word()};password=${password()};encrypt=true`],
  ['ODBC Pwd', () => `Driver={ODBC Driver 18 for SQL Server};Server=${host()};Database=${word()};Uid=${word()};Pwd=${password()};`],
  ['ADO.NET Password', () => `Server=${host()};Database=${word()};User Id=${word()};Password=${password()};`],
];

/** Innocent values that used to be (or could be) taken for secrets under secret-sounding keys. */
const innocent: [string, () => string][] = [
  ['AWS ARN', () => `arn:aws:secretsmanager:eu-west-1:${chars(DIGITS, 12)}:secret:${word()}/${word()}-${chars(ALNUM, 6)}`],
  ['KMS ARN', () => `arn:aws:kms:us-east-1:${chars(DIGITS, 12)}:key/${chars('0123456789abcdef', 8)}-${chars('0123456789abcdef', 4)}-4${chars('0123456789abcdef', 3)}-a${chars('0123456789abcdef', 3)}-${chars('0123456789abcdef', 12)}`],
  ['Vault path', () => `secret/data/${word()}/${word()}-${pick(['password', 'token', 'credentials'])}`],
  ['GCP secret name', () => `projects/${word()}-${int(999)}/secrets/${word()}-${word()}/versions/latest`],
  ['secret name', () => `${word()}-${word()}-${pick(['password', 'token', 'secret', 'credentials'])}${pick(['', '-v2', '-2024'])}`],
  ['key reference', () => `${word().toUpperCase()}_${word().toUpperCase()}_${pick(['PASSWORD', 'TOKEN', 'API_KEY'])}`],
  ['placeholder', () => pick([`\${${word().toUpperCase()}_PASSWORD}`, `{{ .${word()} }}`, `$(${word().toUpperCase()}_TOKEN)`])],
  ['URL without password', () => `postgres://${word()}@${host()}:5432/${word()}`],
  ['URL with template password', () => `postgres://${word()}:{{ .password }}@${host()}:5432/${word()}`],
  ['file path', () => `/var/run/secrets/${word()}/${pick(['password', 'token'])}`],
];
const SECRET_KEYS = ['password', 'dbPassword', 'DB_PASSWORD', 'token', 'apiToken', 'clientSecret', 'secret', 'secretArn', 'secretName', 'passwordSecret', 'tokenPath', 'credentials'];

describe('connection strings with passwords (generated)', () => {
  test.each(connectionStrings)('%s is caught under any key, and without the password it passes', (_n, gen) => {
    for (let i = 0; i < N; i++) {
      const v = gen();
      expect([v, credentialIn(v, pick(['DATABASE_URL', 'dsn', 'url', 'connection']))]).toEqual([v, expect.stringMatching(/password/)]);
      const pw = /(?::([^:@/]+)@|(?:password|Pwd|Password)=([^;&]+))/.exec(v)!;
      const without = v.replace(pw[0], pw[1] !== undefined ? '@' : `${pw[0].split('=')[0]}=\${DB_PASSWORD}`);
      expect([without, credentialIn(without, 'DATABASE_URL')]).toEqual([without, undefined]);
    }
  });
});

describe('innocent values under secret-sounding keys (generated)', () => {
  test.each(innocent)('%s passes', (_n, gen) => {
    for (let i = 0; i < N; i++) {
      const v = gen();
      const key = pick(SECRET_KEYS);
      expect([key, v, credentialIn(v, key)]).toEqual([key, v, undefined]);
    }
  });
});

/** The formats ConfigFiles serializes structured data to, plus text formats users write as strings. */
type Format = 'json' | 'yaml' | 'properties' | 'env' | 'ini' | 'toml';
const FORMATS: Format[] = ['json', 'yaml', 'properties', 'env', 'ini', 'toml'];
const scope = new Chart(Testing.app(), 'formats');

function configFile(format: Format, entries: Record<string, Record<string, string>>): string {
  if (format === 'json' || format === 'yaml' || format === 'properties') return renderConfigFile(scope, 'files', `app.${format}`, entries);
  const lines: string[] = [];
  for (const [section, kv] of Object.entries(entries)) {
    if (format === 'env') for (const [k, v] of Object.entries(kv)) lines.push(`${section.toUpperCase()}_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}=${v}`);
    else {
      lines.push(`[${section}]`);
      for (const [k, v] of Object.entries(kv)) lines.push(format === 'toml' ? `${k} = ${JSON.stringify(v)}` : `${k} = ${v}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Ordinary settings with some innocent secret-sounding entries. */
function ordinarySettings(): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (let s = 0; s < 1 + int(3); s++) {
    const kv: Record<string, string> = { host: host(), port: String(1000 + int(9000)), timeout: `${int(60)}s`, level: pick(['debug', 'info']) };
    const [, gen] = pick(innocent);
    kv[pick(['passwordSecret', 'secretArn', 'tokenPath', 'secretName', 'credentialsRef'])] = gen();
    out[`${word()}${s}`] = kv;
  }
  return out;
}

const SECRET_ENTRIES: [string, () => [string, string]][] = [
  ['a literal password', () => [pick(['password', 'dbPassword', 'passwd']), password()]],
  ['a token', () => [pick(['token', 'apiKey', 'note']), token()]],
  ['a connection string', () => ['url', pick(connectionStrings)[1]()]],
  ['a random secret', () => [pick(['clientSecret', 'signingKey', 'secretKey']), Buffer.from(chars(ALNUM, 32)).toString('base64')]],
];

describe('config files of every format (generated)', () => {
  test.each(FORMATS)('%s: ordinary settings pass, one secret entry anywhere is found (data and binaryData)', (format) => {
    for (let i = 0; i < N; i++) {
      const settings = ordinarySettings();
      const file = `app.${format}`;
      const clean = configFile(format, settings);
      expect([clean, credentialsInObject({ data: { [file]: clean } })]).toEqual([clean, []]);
      const [kind, gen] = pick(SECRET_ENTRIES);
      const [k, v] = gen();
      const section = pick(Object.keys(settings));
      settings[section] = { ...settings[section], [k]: v };
      const text = configFile(format, settings);
      const binary = Buffer.from(text).toString('base64');
      const hits = credentialsInObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { [file]: text }, binaryData: { [`b-${file}`]: binary } });
      expect([kind, k, text, hits.map((h) => h.path)]).toEqual([kind, k, text, [`data["${file}"]`, `binaryData["b-${file}"]`]]);
      for (const h of hits) expect(JSON.stringify(h)).not.toContain(v);
    }
  });

  test('binary data that is not text is not read', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_x, i) => i)).toString('base64');
    expect(credentialsInObject({ binaryData: { 'font.woff2': bytes } })).toEqual([]);
  });
});

/** Where a credential can hide in an object, with a setter and the path it must be reported at. */
const LOCATIONS: [string, (v: string) => [any, string]][] = [
  ['a label value', (v) => [{ kind: 'Deployment', metadata: { name: 'x', labels: { note: v } } }, 'metadata.labels.note']],
  ['a pod template annotation', (v) => [{ kind: 'Deployment', spec: { template: { metadata: { annotations: { 'acme.example/cfg': v } } } } }, 'spec.template.metadata.annotations["acme.example/cfg"]']],
  ['an argument flag', (v) => [{ kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'c', args: ['--verbose', `--api-key=${v}`] }] } } } }, 'spec.template.spec.containers[0].args[1]']],
  ['an argument after its flag', (v) => [{ kind: 'Job', spec: { template: { spec: { containers: [{ name: 'c', command: ['app', '--token', v] }] } } } }, 'spec.template.spec.containers[0].command[2]']],
  ['a probe header', (v) => [{ kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'c', livenessProbe: { httpGet: { path: '/', port: 80, httpHeaders: [{ name: 'X-Api-Token', value: v }] } } }] } } } }, 'spec.template.spec.containers[0].livenessProbe.httpGet.httpHeaders[0].value']],
  ['an env value', (v) => [{ kind: 'StatefulSet', spec: { template: { spec: { initContainers: [{ name: 'i', env: [{ name: 'LOG', value: 'x' }, { name: 'SECRET_KEY', value: v }] }] } } } }, 'spec.template.spec.initContainers[0].env[1].value']],
  ['an ExternalSecret template', (v) => [{ kind: 'ExternalSecret', apiVersion: 'external-secrets.io/v1', spec: { target: { template: { data: { 'config.json': `{"token": "${v}"}` } } } } }, 'spec.target.template.data["config.json"]']],
  ['a SealedSecret template', (v) => [{ kind: 'SealedSecret', apiVersion: 'bitnami.com/v1alpha1', spec: { encryptedData: { a: chars(ALNUM, 80) }, template: { metadata: { annotations: { hint: v } } } } }, 'spec.template.metadata.annotations.hint']],
  ['a SecretStore provider', (v) => [{ kind: 'SecretStore', spec: { provider: { vault: { server: 'https://vault.acme.example', auth: { tokenSecretRef: { name: 'vault' }, appRole: { roleId: v } } } } } }, 'spec.provider.vault.auth.appRole.roleId']],
  ['KEDA scaler metadata', (v) => [{ kind: 'ScaledObject', spec: { triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', host: v } }] } }, 'spec.triggers[0].metadata.host']],
  ['HelmRelease values', (v) => [{ kind: 'HelmRelease', spec: { values: { auth: { enabled: true, rootToken: v }, replicas: 2 } } }, 'spec.values.auth.rootToken']],
  ['a data key', (v) => [{ kind: 'ConfigMap', data: { [v]: 'x' } }, /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? `data.${v}` : `data["${v}"]`]],
];

describe('every string of every object (generated)', () => {
  test.each(LOCATIONS)('%s', (_n, place) => {
    for (let i = 0; i < N; i++) {
      const v = place.name === 'KEDA scaler metadata' ? pick(connectionStrings)[1]() : token();
      const [obj, path] = place(v);
      expect([v, credentialsInObject(obj).map((h) => h.path)]).toEqual([v, [path]]);
    }
  });

  test('SealedSecret ciphertext and Secret data (judged by hygiene-no-plaintext-secret) are not read', () => {
    const sealed = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's', namespace: 'a' }, spec: { encryptedData: { password: chars(ALNUM, 120) } } };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'a' }, stringData: { token: token() } };
    const findings = evaluateManifests([sealed, secret]).filter((f) => f.rule === RULE);
    expect(findings).toEqual([]);
  });
});

describe('the scan remembers clean strings, by the key they were judged under', () => {
  // the detector keeps strings it judged clean; the same string must still be judged afresh wherever the judgement
  // depends on more than the string: another key, binary data, a config-file key
  test('a value clean under one key is still a password under a password key (generated)', () => {
    for (let i = 0; i < N; i++) {
      const pw = password();
      const clean = { kind: 'ConfigMap', data: { [`note${i}`]: pw } };
      const owned = { kind: 'ConfigMap', data: { [`${word()}_password`]: pw } };
      expect([pw, credentialsInObject(clean)]).toEqual([pw, []]);
      expect([pw, credentialsInObject(clean)]).toEqual([pw, []]);
      expect([pw, credentialsInObject(owned).map((h) => h.what)]).toEqual([pw, [expect.stringMatching(/plaintext password/)]]);
    }
  });

  test('map keys: a clean key is judged once, a key holding a token is reported on every object that carries it (generated)', () => {
    for (let i = 0; i < N; i++) {
      const t = token();
      const clean = `acme.example/${word()}-${word()}-${i}`;
      for (let round = 0; round < 3; round++) {
        const hits = credentialsInObject({ metadata: { annotations: { [clean]: 'x', [t]: 'y' } }, data: { [clean]: 'z' } });
        const at = /^[A-Za-z_][A-Za-z0-9_]*$/.test(t) ? `metadata.annotations.${t}` : `metadata.annotations["${t}"]`;
        expect([t, hits.map((h) => [h.path, h.inKey])]).toEqual([t, [[at, true]]]);
        expect(credentialIn(clean)).toBeUndefined();
      }
    }
  });

  test('text clean as a plain value is still read as a file under a file key, and as text under binaryData', () => {
    for (let i = 0; i < N; i++) {
      const t = token();
      // a token-free first line, then a key that only a file reader attributes to a password
      const text = `name: ${word()}\npassword: ${password()}\n`;
      expect(credentialsInObject({ data: { notes: 'x', [`n${i}`]: text.replace(/password/, 'passcode') } })).toEqual([]);
      expect(credentialsInObject({ data: { [`app${i}.yaml`]: text } }).map((h) => h.within)).toEqual(['password']);
      const b64 = Buffer.from(`k=${t}`).toString('base64');
      expect(credentialsInObject({ data: { k: b64 } })).toEqual([]);
      expect(credentialsInObject({ binaryData: { k: b64 } }).map((h) => h.path)).toEqual(['binaryData.k']);
    }
  });
});

describe('short values', () => {
  test('a 6- or 7-character password under a password key is found; shorter values and other keys are not (generated)', () => {
    for (let i = 0; i < N; i++) {
      const n = 5 + int(3);
      const pw = `${chars(LOWER, n - 2)}${chars(DIGITS, 2)}`;
      const found = credentialsInObject({ kind: 'ConfigMap', data: { DB_PASSWORD: pw, note: pw } }).map((h) => h.path);
      expect([pw, found]).toEqual([pw, n >= 6 ? ['data.DB_PASSWORD'] : []]);
    }
  });
});

describe('skipFields names fields by their keys, not by a text prefix', () => {
  test('exactly the named fields are not read; their neighbours and namesakes elsewhere are (generated)', () => {
    for (let i = 0; i < N; i++) {
      const depth = 1 + int(3);
      const keys = Array.from({ length: depth }, () => pick(['data', 'spec', 'values', 'encryptedData', 'a.b', 'x y']));
      const nest = (leaf: unknown, ks: readonly string[]): any => ks.reduceRight((acc, k) => ({ [k]: acc }), leaf);
      const t = token();
      const obj = { ...nest({ k: t }, keys), [`${keys[0]}X`]: nest({ k: t }, keys.slice(1)) };
      const all = credentialsInObject(obj).map((h) => h.path);
      expect(all).toHaveLength(2);
      const pathOfKeys = keys.reduce((p, k) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? (p ? `${p}.${k}` : k) : `${p}[${JSON.stringify(k)}]`), '');
      const under = (p: string) => p === pathOfKeys || p.startsWith(`${pathOfKeys}.`) || p.startsWith(`${pathOfKeys}[`);
      const skipped = credentialsInObject(obj, { skipFields: [keys] }).map((h) => h.path);
      expect([keys, skipped]).toEqual([keys, all.filter((p) => !under(p))]);
      expect(skipped).toHaveLength(1);
      // the same skip written as a path test gives the same hits
      expect(credentialsInObject(obj, { skip: (p) => p === pathOfKeys }).map((h) => h.path)).toEqual(skipped);
    }
  });
});

describe('exemptions name one value path', () => {
  const build = () => {
    const chart = new Chart(Testing.app(), 'app', { namespace: 'a' });
    const t1 = token();
    const t2 = token();
    const obj = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a', annotations: { one: t1, two: t2 } } });
    return { chart, obj };
  };
  const findingsOf = (chart: Chart) => evaluate(chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)
    .map((o) => ({ folder: 'dev', file: 'x.yaml', manifest: o.toJson(), apiObject: o } as any))).filter((f) => f.rule === RULE);

  test('exemptValue lifts exactly the named value, not its neighbours', () => {
    const { chart, obj } = build();
    expect(findingsOf(chart).map((f) => f.field)).toEqual(['metadata.annotations.one', 'metadata.annotations.two']);
    Policy.exemptValue(obj, RULE, 'metadata.annotations.one', 'a public client id');
    expect(findingsOf(chart).map((f) => f.field)).toEqual(['metadata.annotations.two']);
    // a prefix of the path is not the value
    Policy.exemptValue(obj, RULE, 'metadata.annotations', 'all of them');
    expect(findingsOf(chart).map((f) => f.field)).toEqual(['metadata.annotations.two']);
  });

  test('a whole-object exemption of the credential rule is refused with the fix', () => {
    const { obj } = build();
    expect(() => Policy.exempt(obj, RULE, 'not secrets')).toThrow(/app\/cm: rule is exempted one value at a time.*Policy.exemptValue\(scope, 'hygiene-no-plaintext-credentials'/);
    expect(() => Policy.exemptValue(obj, RULE, '', 'x')).toThrow(/field must be the path of one value/);
    expect(() => Policy.exemptValue(obj, RULE, 'metadata.annotations.one', ' ')).toThrow(/reason must say why/);
  });
});
