import { ApiObject } from 'cdk8s';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { SchemaError } from '../../lib/schema';
import { loneSurrogateIndex, unicodeIssues } from '../../lib/schema/unicode';
import { HardenedService } from '../../lib/workloads';
import { prng } from '../fixtures/prng';

// A lone UTF-16 surrogate in a key or a value is refused at synth, by field (kubectl/kustomize reject the escape).

const app = (build: (ns: PlatformNamespace) => void) => {
  const a = new GitOpsApp({ environments: Environments.define({ dev: { clusters: [{ name: 'dev', server: 'https://k.example' }] } }), argoCd: false, flux: false });
  a.forEachTarget((scope) => build(new PlatformNamespace(scope, 'shop')));
  return a;
};

/** A random string of letters, emoji (valid pairs) and, when `lone`, one lone surrogate at a random place. */
function text(r: () => number, lone: boolean): { s: string; at: number } {
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) parts.push(r() < 0.3 ? '😀' : 'abcé-_'[Math.floor(r() * 6)]);
  let s = parts.join('');
  let at = -1;
  if (lone) {
    // between whole characters (never splitting a pair)
    const cut = parts.slice(0, Math.floor(r() * (parts.length + 1))).join('').length;
    const sur = String.fromCharCode(r() < 0.5 ? 0xd800 + Math.floor(r() * 0x400) : 0xdc00 + Math.floor(r() * 0x400));
    // a high surrogate followed by the low half of an emoji would pair up: put lone highs before a letter or at the end
    s = s.slice(0, cut) + sur + (sur.charCodeAt(0) < 0xdc00 ? 'x' : '') + s.slice(cut);
    at = cut;
  }
  return { s, at };
}

describe('lone surrogates', () => {
  test('loneSurrogateIndex finds exactly the lone half (generated strings)', () => {
    const r = prng(2508);
    for (let i = 0; i < 300; i++) {
      const lone = r() < 0.5;
      const { s, at } = text(r, lone);
      expect(loneSurrogateIndex(s)).toBe(lone ? at : -1);
    }
  });

  test('unicodeIssues names the key or value path', () => {
    expect(unicodeIssues({ data: { ['a\udc80']: 'x', ok: 'b\ud800' }, list: ['fine', '\udfff'] }).map((i) => i.path)).toEqual([
      'data["a\\udc80"]', 'data.ok', 'list[1]', // the path shows the escape, printable
    ]);
  });

  test('unicodeIssues finds every lone surrogate at its path in generated nested objects', () => {
    const r = prng(2510);
    const keys = ['a', 'b-c', 'data', 'x.y', '0'];
    for (let i = 0; i < 200; i++) {
      const expected: string[] = [];
      // a reference walk that writes every path eagerly, as the first version of the check did
      const gen = (depth: number, at: string): unknown => {
        const pick = r();
        if (depth > 3 || pick < 0.35) {
          const { s } = text(r, r() < 0.2);
          if (loneSurrogateIndex(s) >= 0) expected.push(at || '<value>');
          return s;
        }
        if (pick < 0.6) return Array.from({ length: 1 + Math.floor(r() * 3) }, (_, j) => gen(depth + 1, `${at}[${j}]`));
        const o: Record<string, unknown> = {};
        for (let j = 0; j < 1 + Math.floor(r() * 3); j++) {
          const bad = r() < 0.1;
          const k = `${keys[Math.floor(r() * keys.length)]}${j}${bad ? '\udc81' : ''}`;
          const sub = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? (at ? `${at}.${k}` : k) : `${at}[${JSON.stringify(k)}]`;
          if (bad) expected.push(sub);
          o[k] = gen(depth + 1, sub);
        }
        return o;
      };
      const value = gen(0, '');
      expect(unicodeIssues(value).map((x) => x.path)).toEqual(expected);
    }
  });

  test('synth refuses a raw object or a workload carrying one, by object and field, with the schema table', () => {
    const r = prng(2509);
    for (let i = 0; i < 12; i++) {
      const { s } = text(r, true);
      const where = i % 3;
      const a = app((ns) => {
        if (where === 0) new ApiObject(ns, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data: { [`k${s}`.replace(/[^\x21-\x7e\ud800-\udfff]/g, 'x')]: 'v' } });
        else if (where === 1) new ApiObject(ns, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data: { note: s } });
        else new HardenedService(ns, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, env: { GREETING: s } });
      });
      let error: unknown;
      try {
        a.render();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SchemaError);
      const findings = (error as SchemaError).findings.filter((f) => /lone UTF-16 surrogate/.test(f.problem));
      expect(findings.length).toBeGreaterThanOrEqual(1);
      const f = findings[0];
      expect(f.object.kind).toBe(where === 2 ? 'Deployment' : 'ConfigMap');
      expect(f.field).toMatch(where === 0 ? /^data\[/ : where === 1 ? /^data\.note$/ : /env\[0\]\.value$/);
    }
  });

  test('valid text, emoji included, passes', () => {
    const r = prng(2510);
    const a = app((ns) => new ApiObject(ns, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data: { note: text(r, false).s } }));
    expect(() => a.render()).not.toThrow();
  });
});
