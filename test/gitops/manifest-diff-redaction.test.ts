import { isRedactedMarker, redactManifest } from '../../lib/core';
import { diffTrees, formatTreeDiff } from '../../lib/gitops/manifest-diff';
import { toYaml } from '../../lib/gitops/serialize';
import { buildChangeReport, reportHtml, reportMarkdown } from '../../lib/review';
import { prng, randomString } from '../fixtures/prng';

/** `npm run diff` and the review never print a secret value; a changed value still shows as a changed marker. */

const rand = prng(31);
const int = (n: number) => Math.floor(rand() * n);
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const secretValue = () => `${randomString(rand, ALNUM, 10 + int(20))}!${int(100)}`;

function tree(objects: any[]): Map<string, string> {
  return new Map([['dev/kustomization.yaml', toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['shop/objects.yaml'] }])], ['dev/shop/objects.yaml', toYaml(objects)]]);
}

/** Objects holding values that must not be printed, each with those values. */
function objects(): { objs: any[]; secrets: string[] } {
  const v = Array.from({ length: 6 }, secretValue);
  const token = `ghp_${randomString(rand, ALNUM, 36)}`;
  return {
    secrets: [...v, token, Buffer.from(v[0]).toString('base64')],
    objs: [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, data: { password: Buffer.from(v[0]).toString('base64') }, stringData: { token: v[1] } },
      { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'ss', namespace: 'shop' }, spec: { encryptedData: { key: v[2] }, template: { data: { 'config.ini': `user=app\nnote=${v[3]}` } } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop', annotations: { 'config.typed-manifests.io/sensitive-keys': 'LICENSE_ID,private.txt' } }, data: { LICENSE_ID: v[4], 'private.txt': v[5], LOG_LEVEL: 'debug' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'api', image: 'x:1', env: [{ name: 'GITHUB', value: token }] }] } } } },
    ],
  };
}

describe('reports redact secret values (generated)', () => {
  test('diff: changed values show as changed markers, never as values; unchanged fields show as before', () => {
    for (let i = 0; i < 40; i++) {
      const a = objects();
      const b = objects();
      const text = formatTreeDiff(diffTrees(tree(a.objs), tree(b.objs)));
      for (const s of [...a.secrets, ...b.secrets]) expect([s, text.includes(s)]).toEqual([s, false]);
      const lines = text.split('\n').filter((l) => l.includes('->'));
      // each changed secret value is one line: marker -> another marker
      for (const path of ['data.password', 'stringData.token', 'spec.encryptedData.key', 'spec.template.data["config.ini"]', 'data.LICENSE_ID', 'data["private.txt"]', 'spec.template.spec.containers[name=api].env[name=GITHUB].value']) {
        const line = lines.find((l) => l.trim().startsWith(`${path}:`));
        expect([path, line]).toEqual([path, expect.stringMatching(/: "‹redacted sha256:[0-9a-f]{8}›" -> "‹redacted sha256:[0-9a-f]{8}›"$/)]);
        const [x, y] = line!.match(/sha256:[0-9a-f]{8}/g)!;
        expect(x).not.toBe(y);
      }
      expect(text).not.toMatch(/LOG_LEVEL/); // same value on both sides: no line
    }
  });

  test('review: Markdown and HTML never hold a value', () => {
    const a = objects();
    const b = objects();
    const r = buildChangeReport({ base: tree(a.objs), head: tree(b.objs) });
    const out = reportMarkdown(r) + reportHtml(r);
    for (const s of [...a.secrets, ...b.secrets]) expect(out.includes(s)).toBe(false);
  });

  test('the same value gives the same marker (deterministic), other values other markers', () => {
    const m = objects().objs[0];
    expect(redactManifest(m)).toEqual(redactManifest(JSON.parse(JSON.stringify(m))));
    expect(isRedactedMarker(redactManifest(m).data.password)).toBe(true);
    expect(m.data.password).not.toMatch(/redacted/); // the input is not changed
  });
});
