// The example platform (apps/main.ts) rendered in memory: every reference a delivery object makes resolves to an
// object in the same dist/ folder and namespace, and every custom resource fits its CRD schema.
import { buildApp } from '../../apps/main';
import { crdSchemaErrors, hasCrdSchema } from '../fixtures/crd-schema';

const rendered = buildApp('/nonexistent-dist-never-written').render();
const folders = [...new Set(rendered.map((o) => o.folder))].filter((f) => f !== 'argocd' && f !== 'flux').sort();

/** Objects of one folder, looked up by apiVersion group, kind, namespace and name. */
function folder(name: string) {
  return index(rendered.filter((o) => o.folder === name).map((o) => o.manifest));
}

function index(objects: any[]) {
  const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');
  const find = (kind: string, namespace: string, objName: string, apiVersion?: string) => objects.find((o) => o.kind === kind
    && o.metadata?.namespace === namespace && o.metadata?.name === objName && (apiVersion === undefined || group(o.apiVersion) === group(apiVersion)));
  return { objects, find, of: (kind: string) => objects.filter((o) => o.kind === kind) };
}

/** Every broken reference among the objects of one folder, as `<kind>/<name> <field> -> <missing>`. */
function brokenReferences(objects: any[]): string[] {
  const { find, of } = index(objects);
  const broken: string[] = [];
  const expect = (from: any, field: string, found: unknown, what: string) => {
    if (!found) broken.push(`${from.kind}/${from.metadata.name} ${field} -> ${what}`);
  };

  for (const r of of('Rollout')) {
    const ns = r.metadata.namespace;
    const spec = r.spec;
    if (spec.workloadRef) {
      expect(r, 'spec.workloadRef', find(spec.workloadRef.kind, ns, spec.workloadRef.name, spec.workloadRef.apiVersion), `${spec.workloadRef.kind} ${spec.workloadRef.name}`);
    } else {
      expect(r, 'spec.template', spec.template?.spec?.containers?.length, 'a pod template');
    }
    const canary = spec.strategy.canary;
    const blueGreen = spec.strategy.blueGreen;
    const services = canary ? [canary.stableService, canary.canaryService] : [blueGreen.activeService, blueGreen.previewService];
    for (const s of services.filter(Boolean)) expect(r, 'service', find('Service', ns, s), `Service ${s}`);
    const analyses = [canary?.analysis, blueGreen?.prePromotionAnalysis, blueGreen?.postPromotionAnalysis,
      ...(canary?.steps ?? []).map((s: any) => s.analysis)].filter(Boolean);
    for (const a of analyses) {
      for (const t of a.templates) expect(r, 'analysis', find('AnalysisTemplate', ns, t.templateName), `AnalysisTemplate ${t.templateName}`);
    }
    const istio = canary?.trafficRouting?.istio;
    if (istio) {
      const vs = find('VirtualService', ns, istio.virtualService.name);
      expect(r, 'trafficRouting.istio.virtualService', vs, `VirtualService ${istio.virtualService.name}`);
      for (const route of istio.virtualService.routes ?? []) {
        expect(r, 'trafficRouting.istio.virtualService.routes', vs?.spec.http.some((h: any) => h.name === route), `route ${route}`);
      }
      if (istio.destinationRule) {
        expect(r, 'trafficRouting.istio.destinationRule', find('DestinationRule', ns, istio.destinationRule.name), `DestinationRule ${istio.destinationRule.name}`);
      }
    }
    const plugin = canary?.trafficRouting?.plugins?.['argoproj-labs/gatewayAPI'];
    if (plugin) expect(r, 'trafficRouting.plugins', find('HTTPRoute', plugin.namespace, plugin.httpRoute), `HTTPRoute ${plugin.httpRoute}`);
  }
  for (const vs of of('VirtualService')) {
    for (const h of vs.spec.http ?? []) {
      for (const d of h.route ?? []) expect(vs, 'destination.host', find('Service', vs.metadata.namespace, d.destination.host), `Service ${d.destination.host}`);
    }
  }
  for (const hpa of of('HorizontalPodAutoscaler')) {
    const t = hpa.spec.scaleTargetRef;
    expect(hpa, 'spec.scaleTargetRef', find(t.kind, hpa.metadata.namespace, t.name, t.apiVersion), `${t.kind} ${t.name}`);
  }
  for (const c of of('Canary')) {
    const ns = c.metadata.namespace;
    const { targetRef, autoscalerRef } = c.spec;
    expect(c, 'spec.targetRef', find(targetRef.kind, ns, targetRef.name, targetRef.apiVersion), `${targetRef.kind} ${targetRef.name}`);
    if (autoscalerRef) expect(c, 'spec.autoscalerRef', find(autoscalerRef.kind, ns, autoscalerRef.name, autoscalerRef.apiVersion), `${autoscalerRef.kind} ${autoscalerRef.name}`);
    for (const m of c.spec.analysis.metrics ?? []) {
      if (m.templateRef) expect(c, 'metrics.templateRef', find('MetricTemplate', m.templateRef.namespace ?? ns, m.templateRef.name), `MetricTemplate ${m.templateRef.name}`);
    }
  }
  return broken;
}

describe('the example platform delivers progressively', () => {
  test.each(folders)('%s: every Rollout, route, autoscaler and Canary reference resolves', (name) => {
    expect(brokenReferences(folder(name).objects)).toEqual([]);
  });

  test('the reference check reports what is missing', () => {
    const without = (kind: string, name: string) => folder('prod/prod-eu-west-1').objects.filter((o) => !(o.kind === kind && o.metadata.name === name));
    expect(brokenReferences(without('AnalysisTemplate', 'api-slo'))).toEqual([
      'Rollout/api analysis -> AnalysisTemplate api-slo',
      'Rollout/api analysis -> AnalysisTemplate api-slo',
    ]);
    expect(brokenReferences(without('Service', 'api-canary'))).toEqual([
      'Rollout/api service -> Service api-canary',
      'VirtualService/api destination.host -> Service api-canary',
    ]);
    expect(brokenReferences(without('HorizontalPodAutoscaler', 'checkout'))).toEqual(['Canary/checkout spec.autoscalerRef -> HorizontalPodAutoscaler checkout']);
    expect(brokenReferences(without('Deployment', 'checkout'))).toEqual([
      'HorizontalPodAutoscaler/checkout spec.scaleTargetRef -> Deployment checkout',
      'Canary/checkout spec.targetRef -> Deployment checkout',
    ]);
  });

  test('the reference check sees the delivery objects it checks', () => {
    const prod = folder('prod/prod-eu-west-1');
    expect(prod.of('Rollout').map((r) => r.metadata.name).sort()).toEqual(['api', 'web']);
    expect(prod.of('Canary').map((c) => c.metadata.name)).toEqual(['checkout']);
    expect(prod.of('VirtualService').map((v) => v.metadata.name)).toEqual(['api']);
    expect(prod.of('AnalysisTemplate').length).toBeGreaterThan(0);
  });

  test('dev rolls out with plain Deployments', () => {
    const dev = folder('dev');
    expect(dev.of('Rollout')).toEqual([]);
    expect(dev.of('Canary')).toEqual([]);
    // fixed counts, except where an autoscaler owns the count (the order worker's KEDA ScaledObject)
    const scaled = new Set([...dev.of('ScaledObject'), ...dev.of('HorizontalPodAutoscaler')].map((s) => s.spec.scaleTargetRef.name));
    expect([...scaled].sort()).toEqual(['order-worker', 'payments-events']);
    for (const d of dev.of('Deployment')) {
      if (scaled.has(d.metadata.name)) expect(d.spec.replicas).toBeUndefined();
      else expect(d.spec.replicas).toBeGreaterThan(0);
    }
  });

  test.each(['staging', 'prod/prod-eu-west-1', 'prod/prod-us-east-1'])('%s: the api is an Istio canary analysed against its SLO, web is blue-green, checkout is Flagger', (name) => {
    const f = folder(name);
    const api = f.find('Rollout', 'storefront', 'api');
    expect(api.spec.strategy.canary.trafficRouting.istio).toBeDefined();
    expect(api.spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'api-slo-background' }]);
    expect(f.find('Rollout', 'storefront', 'web').spec.strategy.blueGreen.prePromotionAnalysis.templates).toEqual([{ templateName: 'web-slo' }]);
    expect(f.find('Canary', 'storefront', 'checkout').spec.targetRef.name).toBe('checkout');
    // Flagger generates the checkout Services; ours would fight it
    expect(f.find('Service', 'storefront', 'checkout')).toBeUndefined();
  });

  test('every custom resource validates against its CRD schema', () => {
    const custom = rendered.map((o) => o.manifest).filter(hasCrdSchema);
    expect(custom.length).toBeGreaterThan(10);
    const errors = custom.flatMap((o) => crdSchemaErrors(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`));
    expect(errors).toEqual([]);
  });
});
