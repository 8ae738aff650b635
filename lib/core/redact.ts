import { createHash } from 'crypto';
import { credentialsInObject } from './credentials';

/**
 * Redaction for reports (`npm run diff`, the review): values that must never be printed are replaced by a
 * marker carrying a short hash, so a change of the value is still visible (the marker changes) while the value
 * is not. Redacted: a Secret's `data`/`stringData`, a SealedSecret's `encryptedData` and template data, the
 * ConfigMap keys a config set marks sensitive, and every value the credential detector flags.
 */

/** On a ConfigMap: comma-separated data keys whose values reports never print (`ConfigFiles.of({ sensitive })`). */
export const SENSITIVE_KEYS_ANNOTATION = 'config.typed-manifests.io/sensitive-keys';

/** The marker printed instead of a value: `‹redacted sha256:0123abcd›`. */
export function redactedMarker(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `‹redacted sha256:${createHash('sha256').update(text).digest('hex').slice(0, 8)}›`;
}

/** Whether a string is a marker written by `redactedMarker`. */
export function isRedactedMarker(v: unknown): boolean {
  return typeof v === 'string' && /^‹redacted sha256:[0-9a-f]{8}›$/.test(v);
}

/** A copy of `manifest` with every value reports must not print replaced by its marker. */
export function redactManifest<T>(manifest: T): T {
  const m = manifest as any;
  if (!m || typeof m !== 'object' || Array.isArray(m)) return manifest;
  const out = clone(m);
  const group = typeof out.apiVersion === 'string' && out.apiVersion.includes('/') ? out.apiVersion.split('/')[0] : '';
  const maskAll = (o: any) => {
    if (!o || typeof o !== 'object') return;
    for (const k of Object.keys(o)) o[k] = redactedMarker(o[k]);
  };
  if (out.kind === 'Secret' && group === '') {
    maskAll(out.data);
    maskAll(out.stringData);
  }
  if (out.kind === 'SealedSecret' && group === 'bitnami.com') {
    maskAll(out.spec?.encryptedData);
    maskAll(out.spec?.template?.data);
  }
  if (out.kind === 'ConfigMap' && group === '') {
    const keys = out.metadata?.annotations?.[SENSITIVE_KEYS_ANNOTATION];
    if (typeof keys === 'string') {
      for (const k of keys.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
        for (const field of ['data', 'binaryData']) {
          if (out[field] && typeof out[field] === 'object' && Object.prototype.hasOwnProperty.call(out[field], k)) out[field][k] = redactedMarker(out[field][k]);
        }
      }
    }
  }
  for (const hit of credentialsInObject(out, { skip: (p) => p.startsWith('metadata.annotations[') && p.includes(SENSITIVE_KEYS_ANNOTATION) })) {
    if (hit.inKey) renameKey(out, hit.path);
    else setAt(out, hit.path, (v) => (isRedactedMarker(v) ? v : redactedMarker(v)));
  }
  return out;
}

function clone(v: any): any {
  if (Array.isArray(v)) return v.map(clone);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: clone(v[k]), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

/** The segments of a path as the detector writes it: `a.b[0]["x.y"]`. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    out.push(m[1] !== undefined ? m[1] : m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3]));
    if (re.lastIndex >= path.length) break;
  }
  return out;
}

function setAt(root: any, path: string, f: (v: unknown) => unknown): void {
  const segs = pathSegments(path);
  let o = root;
  for (const s of segs.slice(0, -1)) {
    o = o?.[s];
    if (!o || typeof o !== 'object') return;
  }
  const last = segs[segs.length - 1];
  if (o && typeof o === 'object' && last !== undefined && Object.prototype.hasOwnProperty.call(o, last)) o[last] = f(o[last]);
}

/** A key that is itself a credential: the key is replaced by its marker (its value kept). */
function renameKey(root: any, path: string): void {
  const segs = pathSegments(path);
  let o = root;
  for (const s of segs.slice(0, -1)) o = o?.[s];
  const last = segs[segs.length - 1];
  if (!o || typeof o !== 'object' || typeof last !== 'string' || !Object.prototype.hasOwnProperty.call(o, last)) return;
  const entries = Object.keys(o).map((k) => [k === last ? redactedMarker(k) : k, o[k]] as const);
  for (const k of Object.keys(o)) delete o[k];
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
