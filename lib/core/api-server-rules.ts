import { isConfigKey, isDnsLabel, isLabelValue, isPortName, qualifiedNameProblem } from './names';

/**
 * Checks the Kubernetes API server applies in code (apimachinery and the per-kind validation), which the OpenAPI
 * schemas do not express: a manifest that passes its schema but fails one of these is rejected at apply time.
 * Pure functions over plain manifests, shared by the synth stage (lib/schema) and by constructs.
 */

/** One rejected value: where, what is wrong (with the value), how to fix it. */
export interface ApiServerIssue {
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Total bytes of a metadata.annotations map (keys and values). */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;
/** A CronJob's controller appends `-<11 digits>` to name its Jobs, which must stay a 63-character label. */
export const MAX_CRONJOB_NAME = 52;

export type NameRule = 'dns-subdomain' | 'dns-label' | 'dns-1035-label' | 'path-segment';

/** Which rule the API server applies to `metadata.name` of a kind (core groups; custom resources: DNS subdomain). */
export function nameRuleOf(group: string, kind: string): NameRule {
  if (group === '' && kind === 'Namespace') return 'dns-label';
  if (group === '' && kind === 'Service') return 'dns-1035-label';
  if (group === 'rbac.authorization.k8s.io' && ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(kind)) return 'path-segment';
  return 'dns-subdomain';
}

/** Why `name` breaks `rule` (with the maximum length), or undefined. */
export function nameProblem(rule: NameRule, name: unknown, maxLength?: number): string | undefined {
  if (typeof name !== 'string' || name === '') return 'is required';
  switch (rule) {
    case 'dns-label':
      return isDnsLabel(name, maxLength ?? 63) ? undefined : `must be a DNS-1123 label (at most ${maxLength ?? 63} characters: lowercase letters, digits and '-', starting and ending alphanumeric)`;
    case 'dns-1035-label':
      return name.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) ? undefined : "must be a DNS-1035 label (at most 63 characters: lowercase letters, digits and '-', starting with a letter, ending alphanumeric)";
    case 'path-segment':
      if (name === '.' || name === '..') return "must not be '.' or '..'";
      return /[/%]/.test(name) ? "must not contain '/' or '%'" : undefined;
    default:
      if (name.length > (maxLength ?? 253)) return `must be at most ${maxLength ?? 253} characters`;
      return DNS_SUBDOMAIN.test(name) ? undefined : "must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending alphanumeric)";
  }
}

/** An int-or-string that is a count or a percentage (`maxUnavailable`, `maxSurge`, `minAvailable`). */
export function intOrPercentProblem(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? undefined : 'must be a non-negative integer';
  if (typeof v === 'string') return /^[0-9]+%$/.test(v) ? undefined : "must be an integer or a percentage like '25%'";
  return 'must be an integer or a percentage string';
}

/** An int-or-string that is a port: a number 1-65535 or an IANA port name (`targetPort`, probe ports). */
export function portProblem(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 1 && v <= 65535 ? undefined : 'must be a port number between 1 and 65535';
  if (typeof v === 'string') return isPortName(v) ? undefined : "must be a port number or a port name (at most 15 lowercase letters, digits and '-', at least one letter, no '--')";
  return 'must be a port number or name';
}

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v));

/** Every value of `manifest` the API server would reject for the reasons above. */
export function apiServerIssues(manifest: any): ApiServerIssue[] {
  const out: ApiServerIssue[] = [];
  if (!manifest || typeof manifest !== 'object') return out;
  const kind: string = typeof manifest.kind === 'string' ? manifest.kind : '';
  const api: string = typeof manifest.apiVersion === 'string' ? manifest.apiVersion : '';
  const group = api.includes('/') ? api.split('/')[0] : '';
  const add = (path: string, problem: string, value: unknown, fix: string) => out.push({ path, problem: `${problem}, got ${show(value)}`, fix });

  // --- names ---
  const name = manifest.metadata?.name;
  const rule = nameRuleOf(group, kind);
  const isCronJob = group === 'batch' && kind === 'CronJob';
  const isJob = group === 'batch' && kind === 'Job';
  const nameIssue = nameProblem(rule, name, isCronJob ? MAX_CRONJOB_NAME : isJob ? 63 : undefined);
  if (nameIssue && name !== undefined) {
    add('metadata.name', `${kind} name ${nameIssue}${isCronJob ? ' (its Jobs are named <name>-<11 digits>)' : isJob ? ' (it becomes the job-name label of its pods)' : ''}`, name,
      rule === 'path-segment' ? "drop '/' and '%'" : `rename it, e.g. ${JSON.stringify(suggestName(String(name), isCronJob ? MAX_CRONJOB_NAME : rule === 'dns-subdomain' && !isJob ? 253 : 63, rule === 'dns-1035-label'))}`);
  }
  const ns = manifest.metadata?.namespace;
  if (ns !== undefined && ns !== null && !isDnsLabel(String(ns))) {
    add('metadata.namespace', 'must be a DNS-1123 label (at most 63 characters)', ns, `use e.g. ${JSON.stringify(suggestName(String(ns), 63, false))}`);
  }

  // --- metadata of the object and of every pod template ---
  metadataIssues(manifest.metadata, 'metadata', add);
  for (const [t, at] of templatesOf(manifest)) {
    metadataIssues(t?.metadata, `${at}.metadata`, add);
    podSpecIssues(t?.spec, `${at}.spec`, add);
  }
  const selector = manifest.spec?.selector;
  if (selector && typeof selector === 'object') labelMapIssues(selector.matchLabels, 'spec.selector.matchLabels', add, false);

  // --- int-or-string fields ---
  const intOrPercent = (v: unknown, path: string) => {
    if (v === undefined || v === null) return;
    const p = intOrPercentProblem(v);
    if (p) add(path, p, v, "write a count like 1 or a percentage like '25%'");
  };
  if (group === 'apps' && kind === 'Deployment') {
    intOrPercent(manifest.spec?.strategy?.rollingUpdate?.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable');
    intOrPercent(manifest.spec?.strategy?.rollingUpdate?.maxSurge, 'spec.strategy.rollingUpdate.maxSurge');
  }
  if (group === 'apps' && (kind === 'DaemonSet' || kind === 'StatefulSet')) {
    intOrPercent(manifest.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable');
    intOrPercent(manifest.spec?.updateStrategy?.rollingUpdate?.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge');
  }
  if (group === 'argoproj.io' && kind === 'Rollout') {
    intOrPercent(manifest.spec?.strategy?.canary?.maxUnavailable, 'spec.strategy.canary.maxUnavailable');
    intOrPercent(manifest.spec?.strategy?.canary?.maxSurge, 'spec.strategy.canary.maxSurge');
  }
  if (group === 'policy' && kind === 'PodDisruptionBudget') {
    intOrPercent(manifest.spec?.minAvailable, 'spec.minAvailable');
    intOrPercent(manifest.spec?.maxUnavailable, 'spec.maxUnavailable');
  }
  if (group === '' && kind === 'Service') {
    (Array.isArray(manifest.spec?.ports) ? manifest.spec.ports : []).forEach((p: any, i: number) => {
      if (p?.targetPort === undefined) return;
      const issue = portProblem(p.targetPort);
      if (issue) add(`spec.ports[${i}].targetPort`, issue, p.targetPort, 'use the container port number or the name of a container port');
    });
  }
  if (group === 'networking.k8s.io' && kind === 'NetworkPolicy') {
    for (const dir of ['ingress', 'egress']) {
      (Array.isArray(manifest.spec?.[dir]) ? manifest.spec[dir] : []).forEach((r: any, i: number) => {
        (Array.isArray(r?.ports) ? r.ports : []).forEach((p: any, j: number) => {
          if (p?.port === undefined) return;
          const issue = portProblem(p.port);
          if (issue) add(`spec.${dir}[${i}].ports[${j}].port`, issue, p.port, 'use a port number or a container port name');
        });
      });
    }
  }

  // --- RBAC subjects ---
  if (group === 'rbac.authorization.k8s.io' && (kind === 'RoleBinding' || kind === 'ClusterRoleBinding')) {
    (Array.isArray(manifest.subjects) ? manifest.subjects : []).forEach((s: any, i: number) => {
      const at = `subjects[${i}]`;
      if (s?.kind === 'ServiceAccount') {
        if (typeof s.namespace !== 'string' || s.namespace === '') {
          add(`${at}.namespace`, kind === 'ClusterRoleBinding'
            ? 'is required for a ServiceAccount subject of a ClusterRoleBinding (the API server rejects it)'
            : 'is required for a ServiceAccount subject (without it the binding applies to no account)', s.namespace, "set the ServiceAccount's namespace");
        } else if (!isDnsLabel(s.namespace)) {
          add(`${at}.namespace`, 'must be a DNS-1123 label', s.namespace, 'use the namespace the ServiceAccount lives in');
        }
        if (s.apiGroup !== undefined && s.apiGroup !== '') add(`${at}.apiGroup`, "must be '' for a ServiceAccount subject", s.apiGroup, 'drop apiGroup');
        const p = nameProblem('dns-subdomain', s.name);
        if (p) add(`${at}.name`, `ServiceAccount name ${p}`, s.name, 'use the name of the ServiceAccount');
      } else if (s?.kind === 'User' || s?.kind === 'Group') {
        if (s.apiGroup !== 'rbac.authorization.k8s.io') add(`${at}.apiGroup`, `must be 'rbac.authorization.k8s.io' for a ${s.kind} subject`, s.apiGroup, "set apiGroup: 'rbac.authorization.k8s.io'");
        if (typeof s.name !== 'string' || s.name === '') add(`${at}.name`, 'is required', s.name, 'name the user or group');
      } else {
        add(`${at}.kind`, "must be 'User', 'Group' or 'ServiceAccount'", s?.kind, 'use one of those kinds');
      }
    });
  }

  // --- ConfigMap / Secret keys ---
  const keysOf = (field: string) => {
    const v = manifest[field];
    if (!v || typeof v !== 'object') return [];
    const keys = Object.keys(v);
    for (const k of keys) {
      if (!isConfigKey(k)) add(`${field}[${JSON.stringify(k)}]`, "is not a valid key (letters, digits, '-', '_' and '.', at most 253 characters, not '.' and not starting with '..')", k, "name it like 'application.yaml'");
    }
    return keys;
  };
  if (group === '' && kind === 'ConfigMap') {
    const data = new Set(keysOf('data'));
    for (const k of keysOf('binaryData')) {
      if (data.has(k)) add(`binaryData[${JSON.stringify(k)}]`, 'duplicates a key of data', k, 'keep each key in data or in binaryData, not both');
    }
  }
  if (group === '' && kind === 'Secret') {
    keysOf('data');
    keysOf('stringData');
  }
  return out;
}

type Add = (path: string, problem: string, value: unknown, fix: string) => void;

function metadataIssues(metadata: any, at: string, add: Add): void {
  if (!metadata || typeof metadata !== 'object') return;
  labelMapIssues(metadata.labels, `${at}.labels`, add, true);
  const annotations = metadata.annotations;
  if (annotations && typeof annotations === 'object') {
    let bytes = 0;
    for (const k of Object.keys(annotations)) {
      const p = qualifiedNameProblem(k);
      if (p) add(`${at}.annotations`, `key ${p}`, k, "write it like 'acme.example/owner'");
      bytes += Buffer.byteLength(k) + Buffer.byteLength(String(annotations[k] ?? ''));
    }
    if (bytes > MAX_ANNOTATIONS_BYTES) add(`${at}.annotations`, `must total at most ${MAX_ANNOTATIONS_BYTES} bytes (256 KiB)`, `${bytes} bytes`, 'move large data into a ConfigMap');
  }
}

function labelMapIssues(labels: any, at: string, add: Add, keys: boolean): void {
  if (!labels || typeof labels !== 'object') return;
  for (const k of Object.keys(labels)) {
    const path = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${at}.${k}` : `${at}[${JSON.stringify(k)}]`;
    if (keys) {
      const p = qualifiedNameProblem(k);
      if (p) add(path, `label key ${p}`, k, "write it like 'team' or 'acme.example/team'");
    }
    const v = labels[k];
    if (typeof v !== 'string' || !isLabelValue(v)) {
      add(path, "label value must be at most 63 characters: letters, digits, '-', '_' and '.', starting and ending alphanumeric (or empty)", v,
        typeof v === 'string' && v.length > 63 ? 'shorten it (put long text in an annotation)' : 'simplify it');
    }
  }
}

/** Pod templates of a manifest with their paths (workloads, Jobs of CronJobs, Rollouts). */
function templatesOf(m: any): [any, string][] {
  const out: [any, string][] = [];
  if (m?.spec?.template && typeof m.spec.template === 'object') out.push([m.spec.template, 'spec.template']);
  if (m?.spec?.jobTemplate?.spec?.template) {
    out.push([m.spec.jobTemplate.spec.template, 'spec.jobTemplate.spec.template']);
    metadataOnly(m.spec.jobTemplate, 'spec.jobTemplate', out);
  }
  return out;
}

function metadataOnly(t: any, at: string, out: [any, string][]): void {
  if (t?.metadata) out.push([{ metadata: t.metadata }, at]);
}

function podSpecIssues(spec: any, at: string, add: Add): void {
  if (!spec || typeof spec !== 'object') return;
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((c: any, i: number) => {
      const cat = `${at}.${list}[${i}]`;
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        for (const handler of ['httpGet', 'tcpSocket']) {
          const port = c?.[probe]?.[handler]?.port;
          if (port === undefined) continue;
          const issue = portProblem(port);
          if (issue) add(`${cat}.${probe}.${handler}.port`, issue, port, 'use the container port number or its name');
        }
      }
      for (const hook of ['postStart', 'preStop']) {
        for (const handler of ['httpGet', 'tcpSocket']) {
          const port = c?.lifecycle?.[hook]?.[handler]?.port;
          if (port === undefined) continue;
          const issue = portProblem(port);
          if (issue) add(`${cat}.lifecycle.${hook}.${handler}.port`, issue, port, 'use the container port number or its name');
        }
      }
    });
  }
}

/** The closest valid name: lowercase, invalid characters as '-', trimmed to `max`. */
function suggestName(name: string, max: number, letterFirst: boolean): string {
  let s = name.toLowerCase().replace(max <= 63 ? /[^a-z0-9-]+/g : /[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, max).replace(/[-.]+$/, '');
  if (letterFirst && !/^[a-z]/.test(s)) s = `x-${s}`.slice(0, max).replace(/[-.]+$/, '');
  return s || 'my-object';
}
