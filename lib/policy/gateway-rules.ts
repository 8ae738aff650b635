import { apiGroupOf } from './pod-template';
import { defineRule, Manifest, Rule, RuleContext, Violation } from './rule';

/**
 * References between a Gateway the target renders, the routes attached to it, and the certificate Secrets its
 * listeners serve, checked both ways (a Gateway managed outside the target is not judged: its side is unknown).
 */

const GW = 'gateway.networking.k8s.io';

interface Index {
  readonly gateways: Map<string, Manifest>;
  readonly grants: Manifest[];
  /** `namespace/name` of every Secret something in the folder provides. */
  readonly secrets: Set<string>;
  /** `namespace` -> labels of the Namespace objects the folder renders. */
  readonly namespaceLabels: Map<string, Record<string, string>>;
}

const INDEX = new WeakMap<readonly Manifest[], Index>();

function indexOf(context: RuleContext): Index {
  let index = INDEX.get(context.objects);
  if (index) return index;
  const gateways = new Map<string, Manifest>();
  const grants: Manifest[] = [];
  const secrets = new Set<string>();
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const o of context.objects) {
    const group = apiGroupOf(o);
    const ns = o.metadata?.namespace ?? '';
    const spec = (o as any).spec ?? {};
    if (group === GW && o.kind === 'Gateway') gateways.set(`${ns}/${o.metadata?.name}`, o);
    if (group === GW && o.kind === 'ReferenceGrant') grants.push(o);
    if (group === '' && o.kind === 'Secret') secrets.add(`${ns}/${o.metadata?.name}`);
    if (group === 'cert-manager.io' && o.kind === 'Certificate' && typeof spec.secretName === 'string') secrets.add(`${ns}/${spec.secretName}`);
    if (group === 'external-secrets.io' && o.kind === 'ExternalSecret') secrets.add(`${ns}/${spec.target?.name ?? o.metadata?.name}`);
    if (group === 'bitnami.com' && o.kind === 'SealedSecret') secrets.add(`${ns}/${spec.template?.metadata?.name ?? o.metadata?.name}`);
    if (group === '' && o.kind === 'Namespace') namespaceLabels.set(o.metadata?.name ?? '', { ...(o.metadata?.labels ?? {}) });
  }
  index = { gateways, grants, secrets, namespaceLabels };
  INDEX.set(context.objects, index);
  return index;
}

/** Whether a ReferenceGrant in `toNs` lets `fromKind` objects of `fromNs` reference `toKind` `toName` there. */
export function referenceGranted(context: RuleContext, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string }): boolean {
  return indexOf(context).grants.some((g) => g.metadata?.namespace === to.namespace
    && ((g as any).spec?.from ?? []).some((f: any) => (f.group ?? '') === from.group && f.kind === from.kind && f.namespace === from.namespace)
    && ((g as any).spec?.to ?? []).some((t: any) => (t.group ?? '') === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name)));
}

/** Whether a label selector matches labels (matchLabels and the In/NotIn/Exists/DoesNotExist expressions). */
function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Whether a listener admits routes of `kind` from `routeNs` (Gateway API defaults: from Same). */
function admits(listener: any, gatewayNs: string, routeNs: string, routeKind: string, index: Index): boolean {
  const allowed = listener.allowedRoutes ?? {};
  const kinds: any[] | undefined = allowed.kinds;
  if (kinds && kinds.length > 0 && !kinds.some((k) => (k.group ?? GW) === GW && k.kind === routeKind)) return false;
  const from = allowed.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gatewayNs;
  if (from === 'Selector') {
    const labels = { ...(index.namespaceLabels.get(routeNs) ?? {}), 'kubernetes.io/metadata.name': routeNs };
    return selects(allowed.namespaces.selector, labels);
  }
  return false;
}

/** Gateway API hostname intersection: equal, or one a wildcard of the other (one or more labels). */
export function hostnamesIntersect(a: string, b: string): boolean {
  if (a === b) return true;
  const wild = (w: string, h: string) => w.startsWith('*.') && h.endsWith(w.slice(1)) && h.length > w.length - 1;
  return wild(a, b) || wild(b, a);
}

const label = (m: Manifest) => `${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name ?? ''}`;

export const gatewayReferences = defineRule({
  id: 'hygiene-gateway-references',
  title: 'Routes, the Gateway they attach to and its certificates reference each other consistently',
  profile: 'hygiene',
  check: (m, context) => {
    if (apiGroupOf(m) !== GW) return [];
    const index = indexOf(context);
    const out: Violation[] = [];
    const spec = (m as any).spec ?? {};
    const ns = m.metadata?.namespace ?? '';
    if (m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute') {
      const hostnames: string[] = spec.hostnames ?? [];
      (spec.parentRefs ?? []).forEach((p: any, i: number) => {
        if ((p.group ?? GW) !== GW || (p.kind ?? 'Gateway') !== 'Gateway') return;
        const gwNs = p.namespace ?? ns;
        const gw = index.gateways.get(`${gwNs}/${p.name}`);
        if (!gw) return; // managed outside this target
        const listeners: any[] = (gw as any).spec?.listeners ?? [];
        const chosen = p.sectionName !== undefined ? listeners.filter((l) => l.name === p.sectionName) : listeners;
        if (chosen.length === 0) {
          out.push({
            field: `spec.parentRefs[${i}].sectionName`,
            message: `names listener ${p.sectionName}, which ${label(gw)} does not have (listeners: ${listeners.map((l) => l.name).join(', ') || 'none'})`,
            fix: 'name one of the Gateway\'s listeners, or add the listener to the Gateway',
          });
          return;
        }
        const admitting = chosen.filter((l) => admits(l, gwNs, ns, m.kind!, index));
        if (admitting.length === 0) {
          out.push({
            field: `spec.parentRefs[${i}]`,
            message: `is not admitted by ${label(gw)}: the allowedRoutes of listener ${chosen.map((l) => l.name).join(', ')} do not include namespace ${ns} (or kind ${m.kind})`,
            fix: `add namespace ${ns} to the listener's allowedRoutes (a Gateway the platform renders admits the namespaces of the routes it exposes)`,
          });
          return;
        }
        if (hostnames.length > 0 && !admitting.some((l) => l.hostname === undefined || hostnames.some((h) => hostnamesIntersect(h, l.hostname)))) {
          out.push({
            field: 'spec.hostnames',
            message: `${hostnames.join(', ')} match no host name of the listeners it attaches to (${admitting.map((l) => `${l.name}: ${l.hostname}`).join(', ')})`,
            fix: 'use a host the listener accepts, or attach to a listener for it',
          });
        }
      });
      (spec.rules ?? []).forEach((rule: any, r: number) => {
        (rule.backendRefs ?? []).forEach((b: any, j: number) => {
          const bNs = b.namespace;
          if (bNs === undefined || bNs === ns || (b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') return;
          if (!referenceGranted(context, { group: GW, kind: m.kind!, namespace: ns }, { group: '', kind: 'Service', namespace: bNs, name: b.name })) {
            out.push({
              field: `spec.rules[${r}].backendRefs[${j}]`,
              message: `sends traffic to Service ${bNs}/${b.name} in another namespace, which no ReferenceGrant there allows`,
              fix: `add a ReferenceGrant in ${bNs} from ${m.kind} in ${ns} to that Service, or route to a Service of the route's namespace`,
            });
          }
        });
      });
    }
    if (m.kind === 'Gateway') {
      ((spec.listeners ?? []) as any[]).forEach((l, i) => {
        (l.tls?.certificateRefs ?? []).forEach((ref: any, j: number) => {
          if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret') return;
          const sNs = ref.namespace ?? ns;
          const field = `spec.listeners[${i}].tls.certificateRefs[${j}]`;
          if (!index.secrets.has(`${sNs}/${ref.name}`)) {
            out.push({
              field,
              message: `names Secret ${sNs}/${ref.name}, which nothing in this target provides (no Certificate, ExternalSecret, SealedSecret or Secret)`,
              fix: 'issue it (a cert-manager Certificate with that secretName), or exempt the Gateway saying where the Secret comes from',
            });
          }
          if (sNs !== ns && !referenceGranted(context, { group: GW, kind: 'Gateway', namespace: ns }, { group: '', kind: 'Secret', namespace: sNs, name: ref.name })) {
            out.push({
              field,
              message: `reads Secret ${sNs}/${ref.name} across namespaces, but no ReferenceGrant in ${sNs} lets Gateways of ${ns} read it`,
              fix: `add a ReferenceGrant in ${sNs} from Gateway in ${ns} to that Secret`,
            });
          }
        });
      });
    }
    if (m.kind === 'ReferenceGrant') {
      const from = ((spec.from ?? []) as any[]).filter((f) => (f.group ?? '') === GW && f.kind === 'Gateway');
      for (const f of from) {
        const gateways = [...index.gateways.values()].filter((g) => g.metadata?.namespace === f.namespace);
        if (gateways.length === 0) continue; // the Gateways of that namespace are managed elsewhere
        ((spec.to ?? []) as any[]).forEach((t, j) => {
          if ((t.group ?? '') !== '' || t.kind !== 'Secret' || t.name === undefined) return;
          const used = gateways.some((g) => ((g as any).spec?.listeners ?? []).some((l: any) => (l.tls?.certificateRefs ?? [])
            .some((ref: any) => (ref.namespace ?? g.metadata?.namespace) === ns && ref.name === t.name)));
          if (!used) {
            out.push({
              field: `spec.to[${j}]`,
              message: `lets Gateways of ${f.namespace} read Secret ${ns}/${t.name}, but no listener of ${gateways.map(label).join(', ')} names it in certificateRefs (its hosts would get another certificate)`,
              fix: "list the Secret in the listener's tls.certificateRefs (a Gateway the platform renders does), or remove the grant",
            });
          }
        });
      }
    }
    return out;
  },
});

export const GATEWAY_RULES: readonly Rule[] = [gatewayReferences];
