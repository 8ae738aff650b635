/**
 * A small model of what Kyverno's admission does with the ClusterPolicies and PolicyExceptions the library emits,
 * for the subset of Kyverno it uses: `validate.pattern` with the `=()` and `X()` anchors, `?*`, `*`/`?`
 * wildcards and `!` negation; the one `deny` condition (`hygiene-probes`); rule auto-generation for pod
 * controllers (`autogen-`, `autogen-cronjob-`); `match`/`exclude` by kind and namespace; exceptions by policy,
 * rule (wildcards), kind, namespace, name (wildcards) and label selector. `podSecurity` rules are not modelled
 * (Kyverno runs the Pod Security Admission library; CI's pss-* rules are the same controls).
 *
 * It also models what the cluster creates and admits at run time: each pod controller's ReplicaSet or Job and
 * its Pods, named `<name>-<suffix>`, with the template's labels and the ServiceAccount admission default.
 */

export interface Verdict {
  readonly policy: string;
  readonly rule: string;
  readonly object: string;
  readonly problem: string;
}

type Obj = Record<string, any>;

/** `*` any run of characters, `?` one character (Kyverno's wildcard). */
export function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
  return re.test(value);
}

function scalar(value: unknown, pattern: unknown): boolean {
  if (typeof pattern !== 'string') return value === pattern;
  if (value === undefined || value === null || typeof value === 'object') return false;
  const text = String(value);
  if (pattern.startsWith('!')) return !wildcard(pattern.slice(1), text);
  if (pattern === '?*') return text.length > 0;
  return wildcard(pattern, text);
}

/** The first place `value` departs from `pattern`, or undefined when it matches. */
export function patternProblem(value: unknown, pattern: unknown, at = ''): string | undefined {
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return `${at}: expected a list, got ${JSON.stringify(value)}`;
    for (let i = 0; i < value.length; i++) {
      const p = patternProblem(value[i], pattern[0], `${at}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (pattern !== null && typeof pattern === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${at}: expected an object, got ${JSON.stringify(value)}`;
    for (const [key, p] of Object.entries(pattern)) {
      const eq = /^=\((.+)\)$/.exec(key);
      const neg = /^X\((.+)\)$/.exec(key);
      const k = eq?.[1] ?? neg?.[1] ?? key;
      const present = Object.prototype.hasOwnProperty.call(value, k);
      if (neg) {
        if (present) return `${at}.${k}: must not be set`;
        continue;
      }
      if (!present) {
        if (eq) continue;
        return `${at}.${k}: missing`;
      }
      const problem = patternProblem((value as Obj)[k], p, `${at}.${k}`);
      if (problem) return problem;
    }
    return undefined;
  }
  return scalar(value, pattern) ? undefined : `${at}: ${JSON.stringify(value)} does not match ${JSON.stringify(pattern)}`;
}

const AUTOGEN = ['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

function kindMatches(entry: string, o: Obj): boolean {
  const parts = entry.split('/');
  return parts.length === 1 ? entry === o.kind : `${o.apiVersion}/${o.kind}` === entry;
}

function filterMatches(f: Obj, o: Obj): boolean {
  const r = f.resources ?? {};
  if (r.kinds && !r.kinds.some((k: string) => kindMatches(k, o))) return false;
  if (r.namespaces && !r.namespaces.some((n: string) => wildcard(n, o.metadata?.namespace ?? ''))) return false;
  if (r.names && !r.names.some((n: string) => wildcard(n, o.metadata?.name ?? ''))) return false;
  const want = r.selector?.matchLabels ?? {};
  const labels = o.metadata?.labels ?? {};
  return Object.entries(want).every(([k, v]) => labels[k] === v);
}

/** The rule as Kyverno runs it on `o`: itself, or its auto-generated form for pod controllers. */
function applicable(rule: Obj, o: Obj): { name: string; pattern?: unknown } | undefined {
  const kinds: string[] = rule.match?.any?.flatMap((f: Obj) => f.resources?.kinds ?? []) ?? [];
  const excluded: string[] = rule.exclude?.any?.flatMap((f: Obj) => f.resources?.namespaces ?? []) ?? [];
  if (excluded.includes(o.metadata?.namespace)) return undefined;
  if (kinds.some((k) => kindMatches(k, o))) return { name: rule.name, pattern: rule.validate?.pattern };
  if (!kinds.includes('Pod') || rule.validate?.pattern === undefined) return undefined;
  const { metadata, spec } = rule.validate.pattern as Obj;
  const template = { ...(metadata ? { metadata } : {}), ...(spec ? { spec } : {}) };
  if (o.kind === 'CronJob') return { name: `autogen-cronjob-${rule.name}`, pattern: { spec: { jobTemplate: { spec: { template } } } } };
  if (AUTOGEN.includes(o.kind)) return { name: `autogen-${rule.name}`, pattern: { spec: { template } } };
  return undefined;
}

/** The one deny condition the library emits (hygiene-probes): containers without both probes. */
function denyProblem(rule: Obj, o: Obj): string | undefined {
  const key: string = rule.validate.deny.conditions.any[0].key;
  if (!key.includes('[?!readinessProbe || !livenessProbe] | length(@)')) throw new Error(`deny condition not modelled: ${key}`);
  const containers: Obj[] = o.spec?.template?.spec?.containers ?? [];
  const missing = containers.filter((c) => !c.readinessProbe || !c.livenessProbe);
  return missing.length > 0 ? `containers without both probes: ${missing.map((c) => c.name).join(', ')}` : undefined;
}

/** What the cluster creates from a pod controller, as admission sees it. */
export function runTimeObjects(o: Obj): Obj[] {
  const ns = o.metadata?.namespace;
  const pod = (template: Obj | undefined, name: string): Obj[] => (template ? [{
    apiVersion: 'v1', kind: 'Pod',
    metadata: { ...template.metadata, name, namespace: ns, labels: { ...(template.metadata?.labels ?? {}) } },
    // the ServiceAccount admission plugin runs before validating webhooks
    spec: { serviceAccountName: 'default', ...template.spec },
  }] : []);
  const name = o.metadata?.name;
  switch (o.kind) {
    case 'Deployment':
    case 'Rollout': {
      const template = o.spec?.template;
      if (!template) return [];
      const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `${name}-7c9d5f`, namespace: ns, labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': '7c9d5f' } }, spec: { selector: o.spec.selector, template } };
      return [rs, ...pod(template, `${name}-7c9d5f-x2k4p`)];
    }
    case 'StatefulSet': return pod(o.spec?.template, `${name}-0`);
    case 'DaemonSet': return pod(o.spec?.template, `${name}-q8r2n`);
    case 'Job': return pod(o.spec?.template, `${name}-b7v4m`);
    case 'CronJob': {
      const jobTemplate = o.spec?.jobTemplate;
      const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${name}-29000000`, namespace: ns, labels: { ...(jobTemplate?.metadata?.labels ?? {}) } }, spec: jobTemplate?.spec };
      return [job, ...pod(jobTemplate?.spec?.template, `${name}-29000000-b7v4m`)];
    }
    default: return [];
  }
}

/**
 * What Kyverno would refuse among `candidates` (and what they create at run time), given the ClusterPolicies
 * and PolicyExceptions among `objects`.
 */
export function admissionVerdicts(objects: readonly Obj[], candidates: readonly Obj[] = objects): Verdict[] {
  const policies = objects.filter((o) => o.kind === 'ClusterPolicy' && o.apiVersion === 'kyverno.io/v1');
  const exceptions = objects.filter((o) => o.kind === 'PolicyException' && o.apiVersion === 'kyverno.io/v2');
  const out: Verdict[] = [];
  for (const o of candidates.flatMap((c) => [c, ...runTimeObjects(c)])) {
    for (const policy of policies) {
      for (const rule of policy.spec?.rules ?? []) {
        if (rule.validate?.podSecurity) continue;
        const r = applicable(rule, o);
        if (!r) continue;
        const problem = r.pattern !== undefined ? patternProblem(o, r.pattern) : rule.validate?.deny ? denyProblem(rule, o) : undefined;
        if (!problem) continue;
        const excepted = exceptions.some((e) => (e.spec?.exceptions ?? []).some((x: Obj) => x.policyName === policy.metadata.name && (x.ruleNames ?? []).some((n: string) => wildcard(n, r.name)))
          && (e.spec?.match?.any ?? []).some((f: Obj) => filterMatches(f, o)));
        if (excepted) continue;
        out.push({ policy: policy.metadata.name, rule: r.name, object: `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`, problem });
      }
    }
  }
  return out;
}
