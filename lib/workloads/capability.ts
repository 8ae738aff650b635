import type { ApplyEdge, ApplyGraphIndex, Capability } from '../environments/capability';
import type { RenderedObject } from '../environments/rendered';
import { RUN_BEFORE_ANNOTATION, SPEC_HASH_ANNOTATION } from './hardened-job';

/**
 * The workloads capability's registration (lib/capabilities.ts): a Job that must complete before workloads is
 * ordered by the apply order (they come after it, it comes after the workloads it connects to), and a Job named
 * after its spec is replaced by design (the diff reports no rename).
 */
export const workloadsCapability: Capability = {
  name: 'workloads',
  applyEdgesOf: runBeforeEdges,
  diff: {
    replacedByDesign: (m) => m?.kind === 'Job' && /^batch\/[^/]+$/.test(String(m?.apiVersion)) && !!m?.metadata?.annotations?.[SPEC_HASH_ANNOTATION],
  },
};

const podTemplateOf = (m: any) => (m?.spec?.template?.spec?.containers ? m.spec.template : m?.spec?.jobTemplate?.spec?.template);
const selects = (selector: Record<string, string>, labels: Record<string, string> | undefined) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const isLongRunning = (m: any) => podTemplateOf(m) !== undefined && m.kind !== 'Job' && m.kind !== 'CronJob';

function rarest<T>(lists: readonly (readonly T[])[]): readonly T[] {
  return lists.reduce((a, b) => (b.length < a.length ? b : a));
}

/**
 * A Job annotated `typed-manifests.io/run-before: <ns>/<name>,...`: those workloads come after it; it comes
 * after the workloads its NetworkPolicy lets it connect to (a migration needs its database ready).
 */
function runBeforeEdges(o: RenderedObject, index: ApplyGraphIndex): ApplyEdge[] {
  const m = o.manifest;
  const before = m?.metadata?.annotations?.[RUN_BEFORE_ANNOTATION];
  if (m?.kind !== 'Job' || typeof before !== 'string') return [];
  const edges: ApplyEdge[] = [];
  // the workloads it runs before, by namespace/name (looked up, not scanned: a platform has a Job per database)
  const seen = new Set<RenderedObject>();
  for (const ref of new Set(before.split(','))) {
    const slash = ref.indexOf('/');
    if (slash < 0) continue;
    for (const w of index.named(ref.slice(0, slash), ref.slice(slash + 1))) {
      if (w !== o && isLongRunning(w.manifest) && !seen.has(w)) {
        seen.add(w);
        edges.push({ from: w, to: o, kind: 'after', why: `runs after Job ${m.metadata.name} completes (its run-before)` });
      }
    }
  }
  const ns = m.metadata?.namespace;
  const labels = podTemplateOf(m)?.metadata?.labels;
  // the policies selecting the Job's pods, looked up by label (a namespace holds a policy per workload)
  for (const np of index.selectingPods('NetworkPolicy', ns, labels)) {
    const nm = np.manifest;
    for (const peer of (nm.spec?.egress ?? []).flatMap((r: any) => r?.to ?? [])) {
      const sel = peer?.podSelector?.matchLabels;
      if (!sel) continue;
      const peerNs = peer.namespaceSelector ? peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'] : ns;
      // candidates carry every pair of the selector: the pair fewest pods carry narrows them most; an empty
      // selector selects every pod
      const candidates = Object.keys(sel).length === 0 ? index.objects : rarest(Object.keys(sel).map((k) => index.withPodLabel(k, String(sel[k]), peerNs)));
      for (const w of candidates) {
        const wm = w.manifest;
        if (w === o || !isLongRunning(wm) || (peerNs !== undefined && wm.metadata?.namespace !== peerNs) || !selects(sel, podTemplateOf(wm)?.metadata?.labels)) continue;
        edges.push({ from: o, to: w, kind: 'after', why: `connects to ${wm.kind} ${wm.metadata.namespace}/${wm.metadata.name}, which must be ready before the Job runs` });
      }
    }
  }
  return edges;
}
