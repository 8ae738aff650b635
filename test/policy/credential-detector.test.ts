import { credentialIn, evaluateManifests, isSensitiveKey, looksRandom } from '../../lib/policy';
import { prng } from '../fixtures/prng';

const r = prng(2024);
const int = (n: number) => Math.floor(r() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');
/** Seeded bytes and UUIDs (no unseeded randomness: a failure reproduces). */
const rbytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
const uuid = () => {
  const h = rbytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const ALNUM = LOWER + UPPER + DIGITS;
const WORDS = ['storefront', 'checkout', 'payment', 'search', 'catalog', 'inventory', 'recommendation', 'internationalization', 'configuration', 'observability', 'authentication', 'availability', 'the', 'quick', 'brown', 'fox', 'order', 'worker'];
const N = 150;

/** Ordinary config values of many shapes. */
const ordinary: [string, () => string][] = [
  ['URL', () => `https://${pick(WORDS)}.${pick(['acme.example', 'svc.cluster.local', 'example.com'])}:${1000 + int(9000)}/${pick(WORDS)}/${chars(LOWER + DIGITS, 8)}?page=${int(100)}&sort=${pick(WORDS)}`],
  ['image digest', () => `sha256:${rbytes(32).toString('hex')}`],
  ['image with digest', () => `ghcr.io/acme/${pick(WORDS)}@sha256:${rbytes(32).toString('hex')}`],
  ['UUID', () => uuid()],
  ['base64 of ordinary text', () => Buffer.from(Array.from({ length: 3 + int(12) }, () => pick(WORDS)).join(' ')).toString('base64')],
  ['long lowercase words', () => Array.from({ length: 2 + int(5) }, () => pick(WORDS)).join(pick(['-', '_', '.', '']))],
  ['host name', () => `${pick(WORDS)}-${int(99)}.${pick(WORDS)}.acme.example`],
  ['path', () => `/${pick(WORDS)}/${pick(WORDS)}/${chars(ALNUM, 20)}.pem`],
  ['number', () => String(int(1e9))],
  ['duration', () => `${int(100)}${pick(['s', 'm', 'h'])}`],
  ['placeholder', () => pick([`\${${pick(WORDS).toUpperCase()}_PASSWORD}`, `{{ .Values.${pick(WORDS)}.token }}`, `$(${pick(WORDS).toUpperCase()}_TOKEN)`, '<your-api-key>', '********'])],
  ['URL with user, no password', () => `postgres://${pick(WORDS)}@db.${pick(WORDS)}.svc:5432/${pick(WORDS)}`],
  ['URL with placeholder password', () => `postgres://app:\${DB_PASSWORD}@db:5432/shop`],
  ['JSON', () => JSON.stringify({ [pick(WORDS)]: pick(WORDS), port: int(65535), enabled: r() < 0.5 })],
  ['YAML file', () => `server:\n  port: ${int(65535)}\n  host: ${pick(WORDS)}.acme.example\nlogging:\n  level: ${pick(['debug', 'info'])}\nsecret-store: vault-${pick(['dev', 'prod'])}\ntoken-url: https://auth.acme.example/oauth/token\npassword-min-length: ${int(30)}\n`],
];
const SENSITIVE_KEYS = ['DB_PASSWORD', 'API_TOKEN', 'clientSecret', 'apiKey', 'STRIPE_SECRET_KEY', 'password', 'auth.token', 'ACCESS_KEY'];
const ORDINARY_KEYS = ['LOG_LEVEL', 'PUBLIC_HOST', 'image', 'app.kubernetes.io/name', 'config.json', 'description', 'data'];

describe('credential detector: no false positives on ordinary config (generated)', () => {
  test.each(ordinary)('%s under ordinary keys', (_name, gen) => {
    for (let i = 0; i < N; i++) {
      const v = gen();
      expect([v, credentialIn(v, pick(ORDINARY_KEYS))]).toEqual([v, undefined]);
    }
  });

  test.each(ordinary.filter(([n]) => n !== 'base64 of ordinary text'))('%s under keys named like a secret', (_name, gen) => {
    for (let i = 0; i < N; i++) {
      const v = gen();
      expect([v, credentialIn(v, pick(SENSITIVE_KEYS))]).toEqual([v, undefined]);
    }
  });

  test('checksum-style annotations are not secrets', () => {
    expect(credentialIn(rbytes(32).toString('hex'), 'checksum/secret')).toBeUndefined();
    expect(credentialIn(rbytes(8).toString('hex'), 'storefront-db')).toBeUndefined();
    // rollOnChange's annotation for a Secret whose name says token: a hash, judged by the whole key
    expect(credentialIn(rbytes(8).toString('hex'), 'checksum.secrets.typed-manifests.io/api-token')).toBeUndefined();
  });
});

/** Generated credentials of every recognised kind. */
const credentials: [string, () => string][] = [
  ['PEM private key', () => `-----BEGIN ${pick(['', 'RSA ', 'EC ', 'OPENSSH ', 'ENCRYPTED '])}PRIVATE KEY-----\n${rbytes(48).toString('base64')}\n-----END PRIVATE KEY-----\n`],
  ['AWS access key id', () => `${pick(['AKIA', 'ASIA'])}${chars(UPPER + DIGITS, 16)}`],
  ['Stripe live key', () => `${pick(['sk', 'rk'])}_live_${chars(ALNUM, 24 + int(70))}`],
  ['GitHub token', () => pick([`ghp_${chars(ALNUM, 36)}`, `gho_${chars(ALNUM, 36)}`, `github_pat_${chars(ALNUM + '_', 82)}`])],
  ['Slack token', () => `xox${pick(['b', 'p', 'a'])}-${chars(DIGITS, 12)}-${chars(DIGITS, 12)}-${chars(ALNUM, 24)}`],
  ['GitLab token', () => `glpat-${chars(ALNUM + '-_', 20)}`],
  ['Google API key', () => `AIza${chars(ALNUM + '-_', 35)}`],
  ['JWT', () => `eyJ${chars(ALNUM, 30)}.eyJ${chars(ALNUM, 60)}.${chars(ALNUM + '-_', 43)}`],
  ['URL with a password', () => `postgres://app:${chars(ALNUM, 12)}@db.${pick(WORDS)}.svc:5432/shop`],
];

describe('credential detector: true positives (generated credentials)', () => {
  test.each(credentials)('%s anywhere, under any key, embedded in text', (_name, gen) => {
    for (let i = 0; i < N; i++) {
      const v = gen();
      expect([v, credentialIn(v, pick(ORDINARY_KEYS))]).toEqual([v, expect.any(String)]);
      expect(credentialIn(`# config\nsettings:\n  value: ${JSON.stringify(v)}\n`, 'app.yaml')).toBeDefined();
    }
  });

  test('random-looking values under keys named like a secret', () => {
    for (let i = 0; i < N; i++) {
      const v = pick([
        () => chars(ALNUM, 16 + int(48)),
        () => rbytes(16 + int(32)).toString('base64'),
        () => rbytes(16 + int(32)).toString('hex'),
        () => `${chars(ALNUM, 8)}!${chars(ALNUM, 8)}#${chars(DIGITS, 4)}`,
      ])();
      if (!/[0-9]/.test(v) && !/^[0-9a-f]+$/.test(v) && !(/[A-Z]/.test(v) && /[a-z]/.test(v))) continue; // too plain to judge
      const key = pick(SENSITIVE_KEYS);
      expect([key, v, credentialIn(v, key)]).toEqual([key, v, expect.stringMatching(/random-looking value under a key named like a secret|plaintext password/)]);
      expect(credentialIn(`database:\n  ${key}: ${v}\n`, 'application.yaml')).toBeDefined();
      expect(credentialIn(`${key}=${v}\n`, 'app.properties')).toBeDefined();
    }
  });

  test('key names: what counts as named like a secret', () => {
    for (const k of SENSITIVE_KEYS) expect(isSensitiveKey(k)).toBe(true);
    for (const k of [...ORDINARY_KEYS, 'checksum/secret', 'config-hash']) expect(isSensitiveKey(k)).toBe(false);
    expect(looksRandom('aB3dE5gH7jK9mN1p')).toBe(true);
    expect(looksRandom('aaaaaaaaaaaaaaaa1')).toBe(false);
  });
});

describe('the rule hygiene-no-plaintext-credentials', () => {
  const aws = `AKIA${chars(UPPER + DIGITS, 16)}`;
  const stripe = `sk_live_${chars(ALNUM, 24)}`;
  const manifests = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'a' }, data: { 'application.yaml': `payments:\n  apiKey: ${stripe}\n`, plain: 'ok' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'a', annotations: { 'acme.example/key': aws } } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'a' },
      spec: { template: { metadata: { annotations: { note: 'fine' } }, spec: { containers: [{ name: 'c', image: 'x:1', env: [{ name: 'PAYMENT_TOKEN', value: stripe }, { name: 'LOG_LEVEL', value: 'debug' }] }] } } },
    },
  ];
  const findings = evaluateManifests(manifests).filter((f) => f.rule === 'hygiene-no-plaintext-credentials');

  test('reports env values, ConfigMap data and annotations with the fix, never the value', () => {
    expect(findings.map((f) => [f.object.kind, f.field, f.message])).toEqual([
      ['ConfigMap', 'data["application.yaml"]', expect.stringMatching(/^the value at data\["application.yaml"\] \(key "payments.apiKey" of the file\) looks like a Stripe live key, got <\d+ characters, not shown>$/)],
      ['Deployment', 'spec.template.spec.containers[0].env[0].value', expect.stringMatching(/^the value at spec.template.spec.containers\[0\].env\[0\].value looks like a Stripe live key/)],
      ['Service', 'metadata.annotations["acme.example/key"]', expect.stringMatching(/^the value at metadata.annotations\["acme.example\/key"\] looks like an AWS access key id/)],
    ]);
    for (const f of findings) {
      expect(f.fix).toMatch(/^move it to a secret store/);
      expect(`${f.message}${f.fix}`).not.toContain(stripe);
      expect(`${f.message}${f.fix}`).not.toContain(aws);
    }
  });
});
