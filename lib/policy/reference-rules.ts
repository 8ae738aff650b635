import { show } from '../core';
import { isNamespacedKind } from './kind-scope';
import { apiGroupOf, containersOf, podTemplatesOf, workloadRefOf } from './pod-template';
import { defineRule, Manifest, Rule, RuleContext, Violation } from './rule';
import { LabelSelector, namespaceOf, objectNamed, objectsInNamespace, scalersTargeting, workloadsSelectedBy } from './workloads';

/**
 * References between the objects of one target folder, checked at synth: what the API server accepts one object at
 * a time but the cluster cannot honour (an object without its namespace, an autoscaler of nothing, a network rule
 * to a port no pod listens on).
 */

function referenceRule(id: string, title: string, check: (m: Manifest, context: RuleContext) => Violation[]): Rule {
  return defineRule({ id, title, profile: 'hygiene', check });
}

export const namespacedObject = referenceRule('hygiene-namespaced-object', 'Namespaced objects carry their namespace', (m) => {
  if (isNamespacedKind(m) !== true) return [];
  const ns = m.metadata?.namespace;
  if (typeof ns === 'string' && ns !== '') return [];
  return [{
    field: 'metadata.namespace',
    message: `namespaced ${(m.kind ?? '').toLowerCase()} has no namespace, so it is filed with the cluster-scoped objects and lands in whatever namespace the deployer defaults to, got namespace ${show(ns)}`,
    fix: "set metadata.namespace, or create the object inside a PlatformNamespace or a chart with a namespace",
  }];
});

function isScaler(m: Manifest): boolean {
  return (m.kind === 'HorizontalPodAutoscaler' && apiGroupOf(m) === 'autoscaling') || (m.kind === 'ScaledObject' && apiGroupOf(m) === 'keda.sh');
}

export const scaleTarget = referenceRule('hygiene-scale-target', 'Autoscalers target a workload of their target, one autoscaler per workload', (m, context) => {
  if (!isScaler(m)) return [];
  const ref = (m as any).spec?.scaleTargetRef ?? {};
  // KEDA defaults the target to a Deployment
  const kind: string = ref.kind ?? (m.kind === 'ScaledObject' ? 'Deployment' : undefined);
  const name: string = ref.name;
  const ns = namespaceOf(m);
  const out: Violation[] = [];
  if (!objectNamed(context, ns, kind, name)) {
    out.push({
      field: 'spec.scaleTargetRef.name',
      message: `${(m.kind ?? "").toLowerCase()} scales ${kind}/${name}, which is not rendered in namespace ${show(ns)} of this target, got scaleTargetRef ${show(ref)}`,
      fix: 'point scaleTargetRef at a workload of the same namespace and target (or render the workload there)',
    });
  }
  const others = scalersTargeting(context, ns, kind, name).filter((o) => o !== m);
  if (others.length > 0) {
    out.push({
      field: 'spec.scaleTargetRef',
      message: `workload ${kind}/${name} is also scaled by ${others.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}; two autoscalers fight over its replicas, got scaleTargetRef ${show(ref)}`,
      fix: 'keep one autoscaler per workload (a KEDA ScaledObject already creates its own HorizontalPodAutoscaler)',
    });
  }
  return out;
});

export const workloadRef = referenceRule('hygiene-workload-ref', 'A Rollout\'s workloadRef names a Deployment of its target', (m, context) => {
  const ref = workloadRefOf(m);
  if (!ref) return [];
  if (objectNamed(context, namespaceOf(m), ref.kind, ref.name)) return [];
  return [{
    field: 'spec.workloadRef.name',
    message: `rollout takes its pods from ${ref.kind}/${ref.name}, which is not rendered in namespace ${show(namespaceOf(m))} of this target, so its pod template escapes every check, got workloadRef ${show((m as any).spec?.workloadRef)}`,
    fix: 'reference a Deployment rendered beside the Rollout, or give the Rollout its own template',
  }];
});

interface PortSpec { readonly port?: number | string; readonly endPort?: number; readonly protocol?: string }
interface Exposed { readonly number: number; readonly name?: string; readonly protocol: string }

const EXPOSED = new WeakMap<Manifest, Exposed[] | null>();

/** Container ports the workload's pods declare, or undefined when some container declares none (it may listen anywhere). */
function exposedPorts(w: Manifest): Exposed[] | undefined {
  let cached = EXPOSED.get(w);
  if (cached === undefined) EXPOSED.set(w, (cached = declaredPorts(w) ?? null));
  return cached ?? undefined;
}

function declaredPorts(w: Manifest): Exposed[] | undefined {
  const out: Exposed[] = [];
  for (const t of podTemplatesOf(w)) {
    for (const c of containersOf(t, ['containers', 'initContainers'])) {
      const ports = c.container.ports;
      if (c.list === 'containers' && (!Array.isArray(ports) || ports.length === 0)) return undefined;
      for (const p of Array.isArray(ports) ? ports : []) {
        if (typeof p?.containerPort === 'number') out.push({ number: p.containerPort, name: p.name, protocol: p.protocol ?? 'TCP' });
      }
    }
  }
  return out;
}

/** Istio's reserved range: ports its injected sidecar listens on (15008 HBONE, 15020/15090 telemetry...), never declared in the template. */
export const SIDECAR_PORTS = { from: 15000, to: 15099 } as const;

function exposes(ports: readonly Exposed[], want: PortSpec): boolean {
  if (typeof want.port === 'number' && want.port >= SIDECAR_PORTS.from && want.port <= SIDECAR_PORTS.to) return true;
  const protocol = want.protocol ?? 'TCP';
  return ports.some((p) => p.protocol === protocol && (typeof want.port === 'string'
    ? p.name === want.port
    : p.number === want.port || (want.endPort !== undefined && p.number >= (want.port as number) && p.number <= want.endPort)));
}

/** The namespace a NetworkPolicy peer selects by name, or undefined when it selects by other labels. */
function peerNamespace(peer: any, own: string): string | undefined {
  const ns = peer?.namespaceSelector;
  if (ns === undefined) return own;
  const labels = ns?.matchLabels ?? {};
  const keys = Object.keys(labels);
  if (keys.length === 1 && keys[0] === 'kubernetes.io/metadata.name' && !(ns.matchExpressions?.length)) return labels[keys[0]];
  return undefined;
}

/** The workloads of the folder a rule's peers select, or undefined when a peer cannot be resolved within the folder. */
function peerWorkloads(peers: unknown, own: string, context: RuleContext): Manifest[] | undefined {
  if (!Array.isArray(peers) || peers.length === 0) return undefined;
  const out: Manifest[] = [];
  for (const peer of peers) {
    if (peer?.ipBlock !== undefined) return undefined;
    const ns = peerNamespace(peer, own);
    if (ns === undefined) return undefined;
    const selected = workloadsSelectedBy((peer?.podSelector ?? {}) as LabelSelector, ns, context);
    if (selected.length === 0) return undefined; // outside this target, or matched by nothing: not this rule's business
    out.push(...selected);
  }
  return out;
}

function checkPorts(ports: unknown, workloads: Manifest[] | undefined, path: string, whose: string, out: Violation[]): void {
  if (!workloads || !Array.isArray(ports)) return;
  const exposed: Exposed[] = [];
  for (const w of workloads) {
    const p = exposedPorts(w);
    if (!p) return;
    exposed.push(...p);
  }
  const names = [...new Set(workloads.map((w) => `${w.kind}/${w.metadata?.name}`))].join(', ');
  const offered = exposed.map((p) => (p.name ? `${p.number} (${p.name})` : String(p.number))).join(', ') || 'none';
  ports.forEach((p: PortSpec, j: number) => {
    if (p?.port === undefined || exposes(exposed, p)) return;
    out.push({
      field: `${path}.ports[${j}].port`,
      message: `${whose} ${names} expose no ${p.protocol ?? 'TCP'} port ${show(p.port)}${p.endPort ? `-${p.endPort}` : ''} (they expose ${offered}), so the rule admits nothing, got port ${show(p.port)}`,
      fix: 'name a containerPort number or name the pods declare, or add the port to the workload',
    });
  });
}

export const networkPort = referenceRule('hygiene-network-port', 'NetworkPolicy rules name ports their pods expose', (m, context) => {
  if (m.kind !== 'NetworkPolicy' || apiGroupOf(m) !== 'networking.k8s.io') return [];
  const spec = (m as any).spec ?? {};
  const own = namespaceOf(m);
  const out: Violation[] = [];
  (Array.isArray(spec.egress) ? spec.egress : []).forEach((r: any, i: number) => {
    checkPorts(r?.ports, peerWorkloads(r?.to, own, context), `spec.egress[${i}]`, 'the destination pods of', out);
  });
  // ingress ports are ports of the policy's own pods
  const selected = workloadsSelectedBy((spec.podSelector ?? {}) as LabelSelector, own, context);
  (Array.isArray(spec.ingress) ? spec.ingress : []).forEach((r: any, i: number) => {
    checkPorts(r?.ports, selected.length > 0 ? selected : undefined, `spec.ingress[${i}]`, 'the pods of', out);
  });
  return out;
});

/** Rules about references between objects of one target. */
/** The storage class names a claim or claim template of `m` asks for, with their fields (unset and '' ask for none). */
function storageClassesOf(m: Manifest): { field: string; name: string }[] {
  const spec = (m as any).spec ?? {};
  if (m.kind === 'PersistentVolumeClaim' && apiGroupOf(m) === '') {
    return typeof spec.storageClassName === 'string' && spec.storageClassName !== '' ? [{ field: 'spec.storageClassName', name: spec.storageClassName }] : [];
  }
  if (m.kind !== 'StatefulSet' || apiGroupOf(m) !== 'apps' || !Array.isArray(spec.volumeClaimTemplates)) return [];
  return spec.volumeClaimTemplates.flatMap((t: any, i: number) => {
    const name = t?.spec?.storageClassName;
    return typeof name === 'string' && name !== '' ? [{ field: `spec.volumeClaimTemplates[${i}].spec.storageClassName`, name }] : [];
  });
}

export const storageClassDeclared = referenceRule('hygiene-storage-class-declared', 'Claims name a storage class their cluster declares', (m, context) => {
  const wanted = storageClassesOf(m);
  if (wanted.length === 0) return [];
  const rendered = objectsOfKind(context, 'StorageClass').map((o) => o.metadata?.name);
  // a cluster's declared classes, rendered or `existing: true`; without a cluster (plain manifests), the rendered ones
  const declared = context.cluster ? (context.cluster.storageClasses ?? []).map((c) => c.name) : undefined;
  if (declared === undefined && rendered.length === 0) return [];
  const known = new Set([...(declared ?? []), ...rendered]);
  return wanted.filter((w) => !known.has(w.name)).map((w) => ({
    field: w.field,
    message: `storage class ${show(w.name)} is not declared by ${context.cluster ? `cluster ${context.cluster.name}` : 'this target'}, so the claim stays Pending there, got ${show(w.name)}; declared: ${[...known].sort().join(', ') || 'none'}`,
    fix: "declare the class in the cluster's storageClasses (existing: true for one the cluster already has), or use a declared one",
  }));
});

/** The cluster-scoped objects of one kind rendered in the folder. */
function objectsOfKind(context: RuleContext, kind: string): Manifest[] {
  // through the folder's namespace index: a scan of the whole folder per claim would be quadratic
  return objectsInNamespace(context, '').filter((o) => o.kind === kind && !o.metadata?.namespace);
}

export const REFERENCE_RULES: readonly Rule[] = [namespacedObject, scaleTarget, workloadRef, networkPort, storageClassDeclared];
