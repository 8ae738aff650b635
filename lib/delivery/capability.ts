import type { ApplyEdge, ApplyGraphIndex, Capability } from '../environments/capability';
import type { RenderedObject } from '../environments/rendered';

/**
 * The delivery capability's registration (lib/capabilities.ts): a Rollout is applied no earlier than the
 * Services it routes through, the Deployment it takes its pods from and its analysis templates.
 */
export const deliveryCapability: Capability = {
  name: 'delivery',
  applyEdgesOf: rolloutEdges,
};

function rolloutEdges(o: RenderedObject, index: ApplyGraphIndex): ApplyEdge[] {
  const m = o.manifest;
  if (m?.kind !== 'Rollout' || String(m.apiVersion ?? '').split('/')[0] !== 'argoproj.io') return [];
  const ns: string | undefined = m.metadata?.namespace;
  const edges: ApplyEdge[] = [];
  const needs = (kind: string, namespace: string | undefined, name: unknown, why: string) => {
    const to = index.find(kind, namespace, name);
    if (to && to !== o) edges.push({ from: o, to, kind: 'needs', why });
  };
  const s = m.spec?.strategy ?? {};
  for (const svc of [s.canary?.canaryService, s.canary?.stableService, s.blueGreen?.activeService, s.blueGreen?.previewService]) needs('Service', ns, svc, `routes through Service ${svc}`);
  if (m.spec?.workloadRef) needs(m.spec.workloadRef.kind, ns, m.spec.workloadRef.name, `takes its pods from ${m.spec.workloadRef.kind} ${m.spec.workloadRef.name}`);
  const templates = (node: any): void => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries<any>(node)) {
      if (k === 'templates' && Array.isArray(v)) {
        for (const t of v) needs(t?.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate', t?.clusterScope ? undefined : ns, t?.templateName, `is analysed by AnalysisTemplate ${t?.templateName}`);
      } else templates(v);
    }
  };
  templates(s);
  return edges;
}
