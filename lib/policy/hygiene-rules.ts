import { show } from '../core';
import {
  apiGroupOf, containersOf, isLongRunning, isPodBearing, keyPath, PodTemplate, podTemplateOf, podTemplatesOf, workloadRefOf,
} from './pod-template';
import { defineRule, Manifest, Rule, RuleContext, Violation } from './rule';
import {
  isReplicated, LabelSelector, namespaceOf, networkPoliciesOf, podDisruptionBudgetsOf, replicasOf, workloadsSelectedBy,
} from './workloads';

/**
 * The project's production hygiene: what a workload needs to be operable (sized, probed, pinned, spread,
 * protected from voluntary disruption, fenced by a NetworkPolicy) beyond what PSS asks for.
 */

/** `app.kubernetes.io/*` labels every workload and pod template carries (the Kubernetes recommended set). */
export const RECOMMENDED_LABELS: readonly string[] = [
  'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version',
  'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by',
];

/** cdk8s-plus's per-construct label: its value is a hash of the construct path, so it changes when code moves. */
export const HASHED_SELECTOR_LABEL = 'cdk8s.io/metadata.addr';

/** Pod default when `terminationGracePeriodSeconds` is unset. */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

type TemplateCheck = (t: PodTemplate, m: Manifest, context: RuleContext) => Violation[];

function hygieneRule(id: string, title: string, check: (m: Manifest, context: RuleContext) => Violation[]): Rule {
  return defineRule({ id, title, profile: 'hygiene', check });
}

/** A hygiene rule over the pod template of every pod-bearing object. */
function templateRule(id: string, title: string, check: TemplateCheck): Rule {
  return hygieneRule(id, title, (m, context) => podTemplatesOf(m).flatMap((t) => check(t, m, context)));
}

export const resources = templateRule('hygiene-resources', 'CPU and memory requests and a memory limit on every container', (t) => {
  const out: Violation[] = [];
  // ephemeral containers cannot declare resources; the rest can and must
  for (const c of containersOf(t, ['containers', 'initContainers'])) {
    const r = c.container.resources ?? {};
    const missing: [string, string, unknown][] = [];
    if (r.requests?.cpu === undefined) missing.push(['requests.cpu', 'cpu request', r.requests]);
    if (r.requests?.memory === undefined) missing.push(['requests.memory', 'memory request', r.requests]);
    if (r.limits?.memory === undefined) missing.push(['limits.memory', 'memory limit', r.limits]);
    for (const [field, what, found] of missing) {
      out.push({
        field: `${c.path}.resources.${field}`,
        message: `${c.label} has no ${what}, got ${field.split('.')[0]} ${show(found)}`,
        fix: `set resources.${field} (e.g. ${field === 'requests.cpu' ? "'100m'" : "'256Mi'"})`,
      });
    }
  }
  return out;
});

export const probes = templateRule('hygiene-probes', 'Readiness and liveness probes on every container of a long-running workload', (t, m) => {
  if (!isLongRunning(m)) return []; // Jobs, CronJobs and bare Pods run to completion or are not managed
  const out: Violation[] = [];
  for (const c of containersOf(t, ['containers'])) {
    for (const [probe, why] of [['readinessProbe', 'receives traffic before it is ready'], ['livenessProbe', 'is never restarted when it hangs']]) {
      if (!c.container[probe]) {
        out.push({
          field: `${c.path}.${probe}`,
          message: `${c.label} has no ${probe.replace('Probe', '')} probe and ${why}, got ${show(c.container[probe])}`,
          fix: `add a ${probe} (httpGet on a health endpoint, or tcpSocket on the serving port)`,
        });
      }
    }
  }
  return out;
});

export const readOnlyRootFilesystem = templateRule('hygiene-read-only-root-filesystem', 'Read-only root filesystem on every container', (t) => containersOf(t)
  .filter((c) => c.container.securityContext?.readOnlyRootFilesystem !== true)
  .map((c) => ({
    field: `${c.path}.securityContext.readOnlyRootFilesystem`,
    message: `${c.label} can write to its root filesystem, got readOnlyRootFilesystem ${show(c.container.securityContext?.readOnlyRootFilesystem)}`,
    fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (e.g. /tmp)',
  })));

/** How an image reference is pinned. */
export type ImagePin = 'digest' | 'tag' | 'latest' | 'untagged' | 'bad-digest';

/** Classifies `registry/path:tag@sha256:…`; a port in the registry host is not a tag. */
export function imagePinOf(image: unknown): ImagePin {
  if (typeof image !== 'string' || image === '') return 'untagged';
  const at = image.indexOf('@');
  if (at >= 0) return /^sha256:[0-9a-f]{64}$/.test(image.slice(at + 1)) ? 'digest' : 'bad-digest';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > slash ? image.slice(colon + 1) : '';
  if (tag === '') return 'untagged';
  return tag === 'latest' ? 'latest' : 'tag';
}

export const imagePinned = templateRule('hygiene-image-pinned', 'Images pinned by a tag other than latest, or by digest', (t) => {
  const out: Violation[] = [];
  for (const c of containersOf(t)) {
    const pin = imagePinOf(c.container.image);
    if (pin === 'tag' || pin === 'digest') continue;
    const problem = {
      'latest': 'uses the moving tag latest',
      'untagged': 'has no tag, which means latest',
      'bad-digest': 'has a malformed digest',
    }[pin];
    out.push({
      field: `${c.path}.image`,
      message: `${c.label} image ${problem}, got ${show(c.container.image)}`,
      fix: 'pin a release tag (\'repo/app:1.4.2\') or a digest (\'repo/app@sha256:<64 hex>\')',
    });
  }
  return out;
});

export const imagePullPolicy = templateRule('hygiene-image-pull-policy', 'imagePullPolicy consistent with the pinned image', (t) => {
  const out: Violation[] = [];
  for (const c of containersOf(t)) {
    const policy = c.container.imagePullPolicy;
    const pin = imagePinOf(c.container.image);
    if (policy === 'Never') {
      out.push({
        field: `${c.path}.imagePullPolicy`,
        message: `${c.label} never pulls its image and fails to start on a node that lacks it, got imagePullPolicy "Never"`,
        fix: 'remove imagePullPolicy (a pinned image defaults to IfNotPresent)',
      });
    } else if (policy === 'Always' && (pin === 'tag' || pin === 'digest')) {
      out.push({
        field: `${c.path}.imagePullPolicy`,
        message: `${c.label} re-pulls a pinned image on every start, which is wasteful and ties starts to the registry, got imagePullPolicy "Always"`,
        fix: 'remove imagePullPolicy or set it to IfNotPresent',
      });
    }
  }
  return out;
});

export const automountServiceAccountToken = templateRule('hygiene-automount-service-account-token', 'No service-account token mounted unless asked for', (t) => {
  if (t.spec?.automountServiceAccountToken === false) return [];
  return [{
    field: `${t.specPath}.automountServiceAccountToken`,
    message: `pod mounts a kubernetes api token, got automountServiceAccountToken ${show(t.spec?.automountServiceAccountToken)}`,
    fix: 'set automountServiceAccountToken: false on the pod spec (exempt the rule for pods that call the API)',
  }];
});

export const serviceAccount = templateRule('hygiene-service-account', 'A dedicated service account, not "default"', (t) => {
  const name = t.spec?.serviceAccountName ?? t.spec?.serviceAccount;
  if (typeof name === 'string' && name !== '' && name !== 'default') return [];
  return [{
    field: `${t.specPath}.serviceAccountName`,
    message: `pod runs as the namespace's shared default service account, got serviceAccountName ${show(name)}`,
    fix: 'create a ServiceAccount for the workload and set serviceAccountName to it',
  }];
});

export const recommendedLabels = hygieneRule('hygiene-recommended-labels', 'app.kubernetes.io recommended labels on workloads and pod templates', (m) => {
  if (!isPodBearing(m)) return [];
  const out: Violation[] = [];
  const check = (labels: { [k: string]: string } | undefined, path: string, what: string) => {
    const missing = RECOMMENDED_LABELS.filter((k) => typeof labels?.[k] !== 'string' || labels[k] === '');
    if (missing.length === 0) return;
    out.push({
      field: path,
      message: `${what} lacks recommended labels ${missing.join(', ')}, got ${show(labels ?? {})}`,
      fix: `set ${missing.map((k) => `'${k}'`).join(', ')}`,
    });
  };
  check(m.metadata?.labels, 'metadata.labels', `${m.kind!.toLowerCase()}`);
  for (const t of podTemplatesOf(m)) {
    if (t.metadataPath !== 'metadata') check(t.metadata?.labels, `${t.metadataPath}.labels`, 'pod template');
  }
  return out;
});

export const stableSelectors = hygieneRule('hygiene-stable-selectors', `No selector uses the hashed ${HASHED_SELECTOR_LABEL} label`, (m) => {
  const out: Violation[] = [];
  const spec = (m as any).spec ?? {};
  const fix = 'select on app.kubernetes.io/name and app.kubernetes.io/instance instead; selectors are immutable and this label changes when the construct moves';
  const checkSelector = (sel: LabelSelector | undefined, path: string) => {
    if (!sel || typeof sel !== 'object') return;
    if (sel.matchLabels && Object.prototype.hasOwnProperty.call(sel.matchLabels, HASHED_SELECTOR_LABEL)) {
      out.push({ field: keyPath(`${path}.matchLabels`, HASHED_SELECTOR_LABEL), message: `selector uses the construct-path hash label, got ${show(sel.matchLabels[HASHED_SELECTOR_LABEL])}`, fix });
    }
    (sel.matchExpressions ?? []).forEach((e, i) => {
      if (e?.key === HASHED_SELECTOR_LABEL) {
        out.push({ field: `${path}.matchExpressions[${i}].key`, message: `selector uses the construct-path hash label, got ${show(e)}`, fix });
      }
    });
  };
  if (isPodBearing(m) && m.kind !== 'Pod') checkSelector(spec.selector, 'spec.selector');
  const group = apiGroupOf(m);
  if (m.kind === 'Service' && group === '' && spec.selector && Object.prototype.hasOwnProperty.call(spec.selector, HASHED_SELECTOR_LABEL)) {
    out.push({ field: keyPath('spec.selector', HASHED_SELECTOR_LABEL), message: `service selector uses the construct-path hash label, got ${show(spec.selector[HASHED_SELECTOR_LABEL])}`, fix });
  }
  if (m.kind === 'PodDisruptionBudget' && group === 'policy') checkSelector(spec.selector, 'spec.selector');
  if (m.kind === 'NetworkPolicy' && group === 'networking.k8s.io') {
    checkSelector(spec.podSelector, 'spec.podSelector');
    for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']]) {
      (Array.isArray(spec[dir]) ? spec[dir] : []).forEach((r: any, i: number) => {
        (Array.isArray(r?.[peers]) ? r[peers] : []).forEach((p: any, j: number) => {
          checkSelector(p?.podSelector, `spec.${dir}[${i}].${peers}[${j}].podSelector`);
        });
      });
    }
  }
  return out;
});

/** Workloads PDB, spread and probes are about: replicated controllers (Rollouts with workloadRef are checked on their Deployment). */
function replicatedWorkload(m: Manifest, context: RuleContext): boolean {
  return podTemplateOf(m) !== undefined && isLongRunning(m) && isReplicated(m, context);
}

function replicaSummary(m: Manifest, context: RuleContext): string {
  const r = replicasOf(m, context)!;
  return r.floor === r.declared ? `${r.declared} replicas` : `${r.declared} replicas, at least ${r.floor}`;
}

export const pdbRequired = hygieneRule('hygiene-pdb-required', 'A PodDisruptionBudget for every replicated workload', (m, context) => {
  if (!replicatedWorkload(m, context)) return [];
  if (podDisruptionBudgetsOf(m, context).length > 0) return [];
  const t = podTemplateOf(m)!;
  return [{
    field: `${t.metadataPath}.labels`,
    message: `no poddisruptionbudget in namespace ${show(namespaceOf(m))} selects the pods of this workload (${replicaSummary(m, context)}), got pod labels ${show(t.metadata?.labels ?? {})}`,
    fix: 'add a PodDisruptionBudget with maxUnavailable: 1 whose selector matches the pod labels',
  }];
});

/** Kubernetes scales PDB percentages rounding up. */
function scaled(value: number | string, replicas: number): number | undefined {
  if (typeof value === 'number') return value;
  const pct = /^(\d+)%$/.exec(value);
  if (pct) return Math.ceil((Number(pct[1]) * replicas) / 100);
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

export const pdbAllowsDisruption = hygieneRule('hygiene-pdb-allows-disruption', 'PodDisruptionBudgets allow at least one disruption', (m, context) => {
  if (m.kind !== 'PodDisruptionBudget' || apiGroupOf(m) !== 'policy') return [];
  const spec = (m as any).spec ?? {};
  const out: Violation[] = [];
  const fix = 'use maxUnavailable: 1 (or a minAvailable below the replica count) so node drains and upgrades can proceed';
  if (spec.maxUnavailable !== undefined) {
    if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0' || spec.maxUnavailable === '0%') {
      out.push({ field: 'spec.maxUnavailable', message: `budget allows no pod to be evicted and blocks node drains, got maxUnavailable ${show(spec.maxUnavailable)}`, fix });
    }
    return out;
  }
  if (spec.minAvailable === undefined) return out;
  if (spec.minAvailable === '100%') {
    out.push({ field: 'spec.minAvailable', message: 'budget allows no pod to be evicted and blocks node drains, got minAvailable "100%"', fix });
    return out;
  }
  for (const w of workloadsSelectedBy(spec.selector, namespaceOf(m), context)) {
    const r = replicasOf(w, context);
    if (!r) continue;
    const needed = scaled(spec.minAvailable, r.floor);
    if (needed !== undefined && needed >= r.floor) {
      out.push({
        field: 'spec.minAvailable',
        message: `budget keeps all ${r.floor} pods of ${w.kind}/${w.metadata?.name} and blocks node drains, got minAvailable ${show(spec.minAvailable)}`,
        fix,
      });
    }
  }
  return out;
});

export const topologySpread = hygieneRule('hygiene-topology-spread', 'Topology spread constraints on every replicated workload', (m, context) => {
  if (!replicatedWorkload(m, context)) return [];
  const t = podTemplateOf(m)!;
  const tsc = t.spec?.topologySpreadConstraints;
  if (Array.isArray(tsc) && tsc.length > 0) return [];
  return [{
    field: `${t.specPath}.topologySpreadConstraints`,
    message: `replicated workload (${replicaSummary(m, context)}) may land on one node or zone, got topologySpreadConstraints ${show(tsc)}`,
    fix: 'spread over topology.kubernetes.io/zone and kubernetes.io/hostname (whenUnsatisfiable: ScheduleAnyway keeps small clusters schedulable)',
  }];
});

export const networkPolicy = hygieneRule('hygiene-network-policy', 'Every workload\'s pods selected by a NetworkPolicy', (m, context) => {
  if (workloadRefOf(m)) return [];
  return podTemplatesOf(m).filter((t) => networkPoliciesOf(m, context, t.metadata?.labels ?? {}).length === 0).map((t) => ({
    field: `${t.metadataPath}.labels`,
    message: `no networkpolicy in namespace ${show(namespaceOf(m))} selects these pods, so all traffic is allowed, got pod labels ${show(t.metadata?.labels ?? {})}`,
    fix: 'add a default-deny NetworkPolicy (podSelector: {}) for the namespace and explicit allows for this workload',
  }));
});

/** Seconds a preStop hook sleeps: the `sleep` action, or an exec of `sleep N` (directly or through a shell). */
export function preStopSleepSeconds(container: any): number | undefined {
  const preStop = container?.lifecycle?.preStop;
  if (!preStop) return undefined;
  if (typeof preStop.sleep?.seconds === 'number') return preStop.sleep.seconds;
  const cmd: unknown[] = Array.isArray(preStop.exec?.command) ? preStop.exec.command : [];
  const text = cmd.map(String).join(' ');
  const m = /(?:^|[\s/;&|])sleep\s+(\d+(?:\.\d+)?)s?(?:\s|;|&|$)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export const preStopSleep = templateRule('hygiene-pre-stop-sleep', 'preStop sleep shorter than the termination grace period', (t) => {
  const grace = typeof t.spec?.terminationGracePeriodSeconds === 'number' ? t.spec.terminationGracePeriodSeconds : DEFAULT_TERMINATION_GRACE_SECONDS;
  const out: Violation[] = [];
  for (const c of containersOf(t, ['containers', 'initContainers'])) {
    const seconds = preStopSleepSeconds(c.container);
    if (seconds === undefined || seconds < grace) continue;
    const action = typeof c.container.lifecycle.preStop.sleep?.seconds === 'number' ? 'sleep.seconds' : 'exec.command';
    out.push({
      field: `${c.path}.lifecycle.preStop.${action}`,
      message: `${c.label} preStop sleep is not shorter than the ${grace}s termination grace period${t.spec?.terminationGracePeriodSeconds === undefined ? ' (default)' : ''}, so it is killed before it drains, got ${seconds}s`,
      fix: `shorten the preStop sleep below ${grace}s or raise terminationGracePeriodSeconds above ${seconds}`,
    });
  }
  return out;
});

/** All hygiene rules. */
export const HYGIENE_RULES: readonly Rule[] = [
  resources, probes, readOnlyRootFilesystem, imagePinned, imagePullPolicy, automountServiceAccountToken,
  serviceAccount, recommendedLabels, stableSelectors, pdbRequired, pdbAllowsDisruption, topologySpread,
  networkPolicy, preStopSleep,
];
