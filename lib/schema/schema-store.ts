import * as fs from 'fs';
import * as path from 'path';
import { KubernetesVersion, SCHEMA_DEFAULTS as D } from './defaults';

/** A vendored Kubernetes OpenAPI copy (see vendor/k8s-schemas/SOURCES.md). */
export interface KubernetesSchemaFile {
  readonly kubernetesVersion: string;
  /** `<apiVersion>/<Kind>` -> definition name. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly definitions: Readonly<Record<string, any>>;
}

/** A CRD schema extracted by scripts/import-schemas.ts. */
export interface CrdSchemaFile {
  readonly apiVersion: string;
  readonly kind: string;
  /** The vendor/crds file it came from. */
  readonly source: string;
  readonly schema: any;
}

let rootDir: string | undefined;

/**
 * The repository root: the nearest folder above this module holding vendor/k8s-schemas. Found by walking up,
 * so it works from lib/schema (tsx, jest) and from the esbuild bundle in .cache/run (npm run synth).
 */
export function schemaRoot(): string {
  if (rootDir) return rootDir;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, D.k8sSchemaDir))) return (rootDir = dir);
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`no ${D.k8sSchemaDir} folder above ${__dirname}: the vendored schemas ship with the repository`);
}

const k8sFiles = new Map<string, KubernetesSchemaFile>();

/** The Kubernetes definitions of one minor, read once per process (only the minors an app uses are read). */
export function kubernetesSchemaFile(version: KubernetesVersion): KubernetesSchemaFile {
  let f = k8sFiles.get(version);
  if (!f) {
    f = JSON.parse(fs.readFileSync(path.join(schemaRoot(), D.k8sSchemaDir, `k8s-v${version}.0.json`), 'utf8')) as KubernetesSchemaFile;
    k8sFiles.set(version, f);
  }
  return f;
}

interface CrdIndex {
  readonly sources: Readonly<Record<string, string>>;
  /** `<group>/<version>/<Kind>` -> file name. */
  readonly kinds: Readonly<Record<string, string>>;
}

let crdIndexCache: CrdIndex | undefined;
const crdFiles = new Map<string, CrdSchemaFile | null>();

export function crdIndex(): CrdIndex {
  return (crdIndexCache ??= JSON.parse(fs.readFileSync(path.join(schemaRoot(), D.crdSchemaDir, 'index.json'), 'utf8')) as CrdIndex);
}

/** The CRD schema of a custom resource kind, read once per process, or undefined when none is vendored. */
export function crdSchemaFile(apiVersion: string, kind: string): CrdSchemaFile | undefined {
  const key = `${apiVersion}/${kind}`;
  let f = crdFiles.get(key);
  if (f === undefined) {
    const file = crdIndex().kinds[key];
    f = file ? JSON.parse(fs.readFileSync(path.join(schemaRoot(), D.crdSchemaDir, file), 'utf8')) as CrdSchemaFile : null;
    crdFiles.set(key, f);
  }
  return f ?? undefined;
}
