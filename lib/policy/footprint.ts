import { parseQuantity } from '../core';
import { apiGroupOf, isPodBearing, PodTemplate, podTemplateOf } from './pod-template';
import { Manifest, RuleContext } from './rule';
import { objectsInNamespace } from './workloads';

/**
 * A namespace's maximum footprint: what its workloads can hold at once when every autoscaler is at its maximum
 * and every rollout is mid-way, compared with its ResourceQuota by rule `tenancy-quota-fits`.
 *
 * pods of a workload = base + extra, where
 * - base: the autoscaler maximum (HPA `maxReplicas`, KEDA ScaledObject `maxReplicaCount`, default 100) of the
 *   object that runs the pods, else `spec.replicas` (default 1);
 * - extra for a Deployment: its rolling-update surge (`maxSurge`, default 25%, rounded up; 0 for Recreate);
 * - a Deployment run by an Argo Rollout (`workloadRef`) counts through the Rollout: canary with traffic routing
 *   adds a full canary set (the canary ReplicaSet is scaled to 100% before the stable one scales down), canary
 *   without traffic routing adds its `maxSurge`; blue-green adds a full preview set;
 * - a Deployment under a Flagger Canary counts twice plus its surge (Flagger's primary copy runs beside it);
 * - StatefulSet: base (pods are replaced in place, no surge);
 * - Job: `parallelism` (default 1); CronJob under `Forbid` or `Replace`: one run at a time (`parallelism`);
 *   KEDA ScaledJob: `maxReplicaCount` (default 100) runs;
 * - DaemonSets are not counted (one pod per node: the node count is not in view).
 * Per pod: the containers' sum (sidecar init containers included), or the largest init container when that
 * is more; a value a container leaves out is what the namespace's LimitRange fills in at admission.
 * Storage: PersistentVolumeClaims plus each StatefulSet's claim templates times its pods. Object counts: the
 * rendered objects (plus the `kube-root-ca.crt` ConfigMap Kubernetes adds to every namespace).
 */
export interface WorkloadFootprint {
  /** `Deployment/api` */
  readonly ref: string;
  readonly pods: number;
  /** How `pods` was computed (`12 (HPA max) + 3 (surge 25%)`). */
  readonly formula: string;
  /** Per pod, by quota key (`requests.cpu` in cores, `limits.memory` in bytes); undefined when a limit is unbounded. */
  readonly perPod: Readonly<Record<string, number | undefined>>;
  /** Claim storage in bytes and claim count this workload adds (StatefulSet templates). */
  readonly storage: number;
  readonly claims: number;
  /** Set when the pod count has no upper bound (CronJob with `Allow`). */
  readonly unbounded?: string;
}

export interface NamespaceFootprint {
  readonly workloads: readonly WorkloadFootprint[];
  /** Totals by quota key. Undefined where some workload is unbounded for that key. */
  readonly totals: ReadonlyMap<string, number | undefined>;
}

export const COMPUTE_KEYS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'requests.ephemeral-storage', 'limits.ephemeral-storage'] as const;

const CACHE = new WeakMap<readonly Manifest[], NamespaceFootprint>();

const is = (m: Manifest, group: string, kind: string) => m.kind === kind && apiGroupOf(m) === group;
const spec = (m: Manifest): any => (m as any).spec ?? {};

export function namespaceFootprint(context: RuleContext, namespace: string): NamespaceFootprint {
  const objects = objectsInNamespace(context, namespace);
  const cached = CACHE.get(objects);
  if (cached) return cached;
  // with the mesh on, every pod of a namespace the mesh secures (a PeerAuthentication there) gets the proxy
  const meshed = context.environment?.meshSidecar !== undefined
    && objects.some((o) => o.kind === 'PeerAuthentication' && apiGroupOf(o) === 'security.istio.io');
  const footprint = compute(objects, meshed ? context.environment!.meshSidecar : undefined);
  CACHE.set(objects, footprint);
  return footprint;
}

function compute(objects: readonly Manifest[], sidecar?: Readonly<Record<string, number>>): NamespaceFootprint {
  const defaults = limitRangeDefaults(objects);
  const scalers = new Map<string, number>();
  for (const o of objects) {
    const s = spec(o);
    let max: number | undefined;
    let kind: string | undefined;
    if (is(o, 'autoscaling', 'HorizontalPodAutoscaler')) { max = s.maxReplicas; kind = s.scaleTargetRef?.kind; }
    else if (is(o, 'keda.sh', 'ScaledObject')) { max = s.maxReplicaCount ?? 100; kind = s.scaleTargetRef?.kind ?? 'Deployment'; }
    if (typeof max === 'number') {
      const key = `${kind}/${s.scaleTargetRef?.name}`;
      scalers.set(key, Math.max(scalers.get(key) ?? 0, max));
    }
  }
  const deployments = new Map(objects.filter((o) => is(o, 'apps', 'Deployment')).map((o) => [o.metadata?.name, o]));
  const rolloutOf = new Set(objects.filter((o) => is(o, 'argoproj.io', 'Rollout') && spec(o).workloadRef).map((o) => spec(o).workloadRef.name));
  const flagged = new Set(objects.filter((o) => is(o, 'flagger.app', 'Canary')).map((o) => spec(o).targetRef?.name));

  const workloads: WorkloadFootprint[] = [];
  const base = (m: Manifest): [number, string] => {
    const scaled = scalers.get(`${m.kind}/${m.metadata?.name}`);
    if (scaled !== undefined) return [scaled, `${scaled} (autoscaler max)`];
    const r = typeof spec(m).replicas === 'number' ? spec(m).replicas : 1;
    return [r, `${r} (replicas)`];
  };
  const add = (m: Manifest, template: PodTemplate | undefined, pods: number, formula: string, extra: { storage?: number; claims?: number; unbounded?: string } = {}) => {
    if (!template) return;
    const own = perPod(template, defaults);
    // the injected proxy, unless the pod opts out of injection
    const injected = sidecar && template.metadata?.annotations?.['sidecar.istio.io/inject'] !== 'false'
      && template.metadata?.labels?.['sidecar.istio.io/inject'] !== 'false';
    const withProxy = injected
      ? Object.fromEntries(Object.entries(own).map(([k, v]) => [k, v === undefined ? undefined : v + (sidecar![k] ?? 0)]))
      : own;
    workloads.push({ ref: `${m.kind}/${m.metadata?.name}`, pods, formula: injected ? `${formula} meshed` : formula, perPod: withProxy, storage: extra.storage ?? 0, claims: extra.claims ?? 0, unbounded: extra.unbounded });
  };

  for (const m of objects) {
    const s = spec(m);
    if (is(m, 'apps', 'Deployment')) {
      if (rolloutOf.has(m.metadata?.name)) continue; // its Rollout runs the pods
      const [b, f] = base(m);
      const [surge, sf] = surgeOf(s.strategy, b);
      if (flagged.has(m.metadata?.name)) add(m, podTemplateOf(m), 2 * b + surge, `2 x ${f} (Flagger primary + canary)${sf}`);
      else add(m, podTemplateOf(m), b + surge, `${f}${sf}`);
    } else if (is(m, 'argoproj.io', 'Rollout')) {
      const ref = s.workloadRef;
      const template = ref ? (deployments.get(ref.name) ? podTemplateOf(deployments.get(ref.name)!) : undefined) : podTemplateOf(m);
      const [b, f] = base(m);
      const canary = s.strategy?.canary;
      if (s.strategy?.blueGreen) add(m, template, 2 * b, `${f} + ${b} (full blue-green preview set)`);
      else if (canary?.trafficRouting) add(m, template, 2 * b, `${f} + ${b} (canary scaled to 100% before the stable scales down)`);
      else {
        const [surge, sf] = surgeOf({ rollingUpdate: { maxSurge: canary?.maxSurge } }, b);
        add(m, template, b + surge, `${f}${sf}`);
      }
    } else if (is(m, 'apps', 'StatefulSet') || is(m, 'apps', 'ReplicaSet')) {
      const [b, f] = base(m);
      let storage = 0;
      let claims = 0;
      for (const t of s.volumeClaimTemplates ?? []) {
        storage += b * (parseQuantity(t?.spec?.resources?.requests?.storage ?? '') ?? 0);
        claims += b;
      }
      add(m, podTemplateOf(m), b, f, { storage, claims });
    } else if (is(m, 'batch', 'Job')) {
      const p = s.parallelism ?? 1;
      add(m, podTemplateOf(m), p, `${p} (parallelism)`);
    } else if (is(m, 'batch', 'CronJob')) {
      const p = s.jobTemplate?.spec?.parallelism ?? 1;
      const policy = s.concurrencyPolicy ?? 'Allow';
      add(m, podTemplateOf(m), p, `${p} (one run at a time under ${policy})`,
        policy === 'Allow' ? { unbounded: 'concurrencyPolicy Allow lets runs overlap without bound' } : {});
    } else if (is(m, 'keda.sh', 'ScaledJob')) {
      const runs = s.maxReplicaCount ?? 100;
      const p = s.jobTargetRef?.parallelism ?? 1;
      const t = s.jobTargetRef?.template;
      if (t) add(m, { metadata: t.metadata ?? {}, metadataPath: 'spec.jobTargetRef.template.metadata', spec: t.spec ?? {}, specPath: 'spec.jobTargetRef.template.spec' }, runs * p, `${runs} (maxReplicaCount) x ${p} (parallelism)`);
    } else if (is(m, '', 'Pod') && isPodBearing(m)) {
      add(m, podTemplateOf(m), 1, '1 (pod)');
    }
  }

  const totals = new Map<string, number | undefined>();
  const plus = (key: string, v: number | undefined) => {
    if (!totals.has(key)) totals.set(key, 0);
    const cur = totals.get(key);
    totals.set(key, cur === undefined || v === undefined ? undefined : cur + v);
  };
  for (const w of workloads) {
    for (const key of COMPUTE_KEYS) {
      const v = w.perPod[key];
      plus(key, w.unbounded ? undefined : v === undefined ? undefined : v * w.pods);
    }
    plus('pods', w.unbounded ? undefined : w.pods);
    plus('requests.storage', w.storage);
    plus('persistentvolumeclaims', w.claims);
  }
  for (const o of objects) {
    if (is(o, '', 'PersistentVolumeClaim')) {
      plus('requests.storage', parseQuantity(spec(o).resources?.requests?.storage ?? '') ?? 0);
      plus('persistentvolumeclaims', 1);
    }
    const plural = pluralOf(String(o.kind ?? ''));
    const group = apiGroupOf(o);
    plus(group ? `count/${plural}.${group}` : `count/${plural}`, 1);
    if (group === '' && ['services', 'configmaps', 'secrets', 'replicationcontrollers'].includes(plural)) plus(plural, 1);
    if (group === '' && plural === 'services' && ['LoadBalancer', 'NodePort'].includes(spec(o).type)) plus(`services.${spec(o).type === 'LoadBalancer' ? 'loadbalancers' : 'nodeports'}`, 1);
  }
  // the root CA bundle ConfigMap every namespace gets
  plus('configmaps', 1);
  plus('count/configmaps', 1);
  totals.set('cpu', totals.get('requests.cpu'));
  totals.set('memory', totals.get('requests.memory'));
  totals.set('ephemeral-storage', totals.get('requests.ephemeral-storage'));
  return { workloads, totals };
}

/** The resource plural of a kind (`NetworkPolicy` -> `networkpolicies`, `Ingress` -> `ingresses`). */
export function pluralOf(kind: string): string {
  let p = PLURALS.get(kind);
  if (p === undefined) PLURALS.set(kind, (p = plural(kind)));
  return p;
}

const PLURALS = new Map<string, string>();

function plural(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

function surgeOf(strategy: any, replicas: number): [number, string] {
  if (strategy?.type === 'Recreate') return [0, ''];
  const raw = strategy?.rollingUpdate?.maxSurge ?? '25%';
  let surge: number;
  if (typeof raw === 'number') surge = raw;
  else if (typeof raw === 'string' && /^\d+%$/.test(raw)) surge = Math.ceil((replicas * Number(raw.slice(0, -1))) / 100);
  else surge = Number(raw) || 0;
  return surge > 0 ? [surge, ` + ${surge} (surge ${raw})`] : [0, ''];
}

interface Defaults { readonly request: Record<string, number>; readonly limit: Record<string, number> }

function limitRangeDefaults(objects: readonly Manifest[]): Defaults {
  const request: Record<string, number> = {};
  const limit: Record<string, number> = {};
  for (const o of objects) {
    if (!is(o, '', 'LimitRange')) continue;
    for (const item of spec(o).limits ?? []) {
      if (item?.type !== 'Container') continue;
      for (const [r, q] of Object.entries(item.default ?? {})) limit[r] = parseQuantity(String(q)) ?? 0;
      for (const [r, q] of Object.entries(item.defaultRequest ?? {})) request[r] = parseQuantity(String(q)) ?? 0;
    }
  }
  // a LimitRange default limit with no default request also sets the request
  for (const [r, v] of Object.entries(limit)) if (!(r in request)) request[r] = v;
  return { request, limit };
}

function perPod(template: PodTemplate, d: Defaults): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  const value = (c: any, r: string, side: 'requests' | 'limits'): number | undefined => {
    const res = c?.resources ?? {};
    const own = res[side]?.[r];
    if (own !== undefined) return parseQuantity(String(own)) ?? 0;
    if (side === 'requests') {
      if (res.limits?.[r] !== undefined) return parseQuantity(String(res.limits[r])) ?? 0;
      return d.request[r] ?? 0;
    }
    return d.limit[r];
  };
  const containers: any[] = template.spec?.containers ?? [];
  const inits: any[] = template.spec?.initContainers ?? [];
  const sidecars = inits.filter((c) => c?.restartPolicy === 'Always');
  const plain = inits.filter((c) => c?.restartPolicy !== 'Always');
  for (const key of COMPUTE_KEYS) {
    const [side, r] = key.split('.') as ['requests' | 'limits', string];
    let sum: number | undefined = 0;
    for (const c of [...containers, ...sidecars]) {
      const v = value(c, r, side);
      sum = sum === undefined || v === undefined ? undefined : sum + v;
    }
    for (const c of plain) {
      const v = value(c, r, side);
      sum = sum === undefined || v === undefined ? undefined : Math.max(sum, v);
    }
    out[key] = sum;
  }
  return out;
}
