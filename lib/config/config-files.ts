import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertConfigKey, assertDnsLabel, assertEnvName, assertInt, checkProps, configError, SENSITIVE_KEYS_ANNOTATION } from '../core';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { renderConfigFile, ConfigValue } from './config-file-format';
import { CONFIG_DEFAULTS as D, CONFIG_DIGEST_ANNOTATION, CONFIG_RETAIN_ANNOTATION, CONFIG_SET_LABEL } from './defaults';

export interface ConfigFilesProps {
  /**
   * Files mounted read-only at `mountPath`, by file name (a valid ConfigMap key). A string is the file's
   * content; an object or array is serialized by the file's extension (`.yaml`/`.yml`, `.json`, `.properties`).
   * @default - none
   */
  readonly files?: { readonly [file: string]: ConfigValue };
  /**
   * Plain values exposed as environment variables (read from the same ConfigMap with configMapKeyRef), so a
   * change rolls the pods like a file change does.
   * @default - none
   */
  readonly env?: { readonly [name: string]: string };
  /** @default '/etc/config' */
  readonly mountPath?: string;
  /**
   * Name of the config set (a DNS label): the ConfigMap is `<workload>-<name>-<hash>`, the pod volume `<name>`.
   * Give each set of a workload its own name.
   * @default 'config'
   */
  readonly name?: string;
  /**
   * Previous generations of this config kept in dist/ (and so on the cluster) after a change, for the
   * ReplicaSets a rollback returns to. Align it with the controller's revision history.
   * @default 5 (the workloads' revisionHistoryLimit)
   */
  readonly retainGenerations?: number;
  /**
   * Files or env names whose values are secret-ish (not credentials, but not for a pull-request comment):
   * `npm run diff` and the review print a redacted marker with a short hash instead of their values.
   * @default - none (credential-looking values are redacted anyway)
   */
  readonly sensitive?: readonly string[];
}

/** What binding a config set to one workload produced. */
export interface BoundConfig {
  readonly workload: IWorkload;
  readonly configMap: ApiObject;
  /** `<workload>-<name>-<hash>`: changes exactly when the content does. */
  readonly configMapName: string;
}

/**
 * Config files (and plain values) for a workload: one immutable ConfigMap named after a hash of its content,
 * mounted read-only. A content change gives a new name, so the pod template changes and the pods roll (under a
 * rolling update, an Argo Rollout's workloadRef and Flagger alike); the previous generations stay in dist/ for
 * rollbacks (see `retainedConfigGenerations`).
 *
 * @example new HardenedService(ns, 'api', { ..., use: [ConfigFiles.of({ files: { 'application.yaml': { server: { port: 8080 } } }, mountPath: '/etc/api' })] })
 */
export class ConfigFiles implements IWorkloadExtension {
  public static of(props: ConfigFilesProps): ConfigFiles {
    checkProps('ConfigFiles.of', 'ConfigFilesProps', props);
    return new ConfigFiles(props);
  }

  /** One entry per workload this config set was bound to. */
  public readonly bound: BoundConfig[] = [];

  private constructor(public readonly props: ConfigFilesProps) {}

  public bind(workload: IWorkload): void {
    const p = this.props;
    const set = assertDnsLabel(workload, 'config.name', p.name ?? D.name);
    const at = set; // props are named after the set in errors: `config.files["x"]`
    const retain = assertInt(workload, `${at}.retainGenerations`, p.retainGenerations ?? D.retainGenerations, 0, 100, D.retainGenerations);
    const data: Record<string, string> = {};
    const put = (key: string, value: string) => Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
    const files = Object.keys(p.files ?? {}).sort();
    for (const file of files) {
      const prop = `${at}.files[${JSON.stringify(file)}]`;
      assertConfigKey(workload, prop, file);
      put(file, renderConfigFile(workload, prop, file, p.files![file]));
    }
    const env = Object.keys(p.env ?? {}).sort();
    for (const name of env) {
      const prop = `${at}.env.${name}`;
      assertEnvName(workload, prop, name);
      assertConfigKey(workload, prop, name);
      if (files.includes(name)) throw configError(workload, prop, 'has the name of a config file', name, 'rename the variable or the file');
      const value = p.env![name];
      if (typeof value !== 'string') throw configError(workload, prop, 'must be a string', value, 'quote it');
      put(name, value);
    }
    if (files.length === 0 && env.length === 0) {
      throw configError(workload, at, 'has neither files nor env', p, "add e.g. files: { 'application.yaml': {...} }");
    }
    const sorted = Object.keys(data).sort();
    let bytes = 0;
    for (const k of sorted) bytes += Buffer.byteLength(k) + Buffer.byteLength(data[k]);
    if (bytes > D.maxBytes) {
      throw configError(workload, `${at}.files`, `exceed the ${D.maxBytes / 1024 / 1024} MiB limit of a ConfigMap`, `${bytes} bytes`,
        'split the configuration into several sets, or ship large files in the image or a volume');
    }
    const digest = contentHash(sorted.map((k) => [k, data[k]]), 64);
    const hash = digest.slice(0, D.hashLength);
    const configMapName = `${workload.name}-${set}-${hash}`;
    const metadata = workload.pod.metadata(configMapName);
    metadata.labels[CONFIG_SET_LABEL] = `${workload.name}-${set}`;
    const sensitive = [...new Set(p.sensitive ?? [])].sort();
    for (const k of sensitive) {
      if (!Object.prototype.hasOwnProperty.call(data, k)) {
        throw configError(workload, `${at}.sensitive`, 'names no file or env of the config set', k, `use one of ${sorted.join(', ')}`);
      }
    }
    metadata.annotations = {
      [CONFIG_RETAIN_ANNOTATION]: String(retain),
      // the mark of a generation the library wrote: retention re-hashes the content against it
      [CONFIG_DIGEST_ANNOTATION]: digest,
      ...(sensitive.length > 0 ? { [SENSITIVE_KEYS_ANNOTATION]: sensitive.join(',') } : {}),
    };
    const configMap = new ApiObject(workload as unknown as Construct, set === D.name ? 'ConfigFiles' : `ConfigFiles-${set}`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      immutable: true,
      data: Object.fromEntries(sorted.map((k) => [k, data[k]])),
    });
    if (files.length > 0) {
      workload.pod.addVolume({
        name: set,
        configMap: { name: configMapName, items: files.map((f) => ({ key: f, path: f })), defaultMode: D.defaultMode },
      }, { mountPath: p.mountPath ?? D.mountPath, readOnly: true, prop: `${at}.mountPath` });
    }
    for (const name of env) workload.pod.addEnvFrom(name, { configMapKeyRef: { name: configMapName, key: name } }, `${at}.env.${name}`);
    this.bound.push({ workload, configMap, configMapName });
  }
}

/** A short, deterministic hash of key/value pairs (lengths included, so no two contents collide by concatenation). */
export function contentHash(entries: readonly (readonly [string, string])[], length: number = D.hashLength): string {
  const h = createHash('sha256');
  for (const [k, v] of entries) h.update(`${Buffer.byteLength(k)}:${k}${Buffer.byteLength(v)}:${v}`);
  return h.digest('hex').slice(0, length);
}
