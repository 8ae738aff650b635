// Done-when checks of issue 13 on the committed dist/ of the example platform: SLO rules and monitors, scalers.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { crdSchemaErrors } from '../fixtures/crd-schema';

const DIST = path.join(__dirname, '..', '..', 'dist');

/** Target folders (the outermost folders with a kustomization.yaml: tenancy nests more below) and their objects. */
function targets(): Map<string, any[]> {
  const out = new Map<string, any[]>();
  const walk = (dir: string, target: string | undefined) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const here = target ?? (entries.some((e) => e.name === 'kustomization.yaml') ? path.relative(DIST, dir) : undefined);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, here);
      else if (here !== undefined && e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml') {
        const docs = YAML.parseAllDocuments(fs.readFileSync(p, 'utf8')).map((d) => d.toJS()).filter(Boolean);
        out.set(here, [...(out.get(here) ?? []), ...docs]);
      }
    }
  };
  // folders only: dist/.rendered-by names the app that wrote it
  for (const top of fs.readdirSync(DIST, { withFileTypes: true })) if (top.isDirectory() && !['argocd', 'flux'].includes(top.name)) walk(path.join(DIST, top.name), undefined);
  return out;
}

const all = targets();
const folders = [...all.keys()].sort();
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);

describe('the example platform: SLOs that alert, autoscaling that owns replicas (dist/)', () => {
  test('has every target', () => {
    expect(folders).toEqual(['dev', 'prod/prod-eu-west-1', 'prod/prod-us-east-1', 'staging']);
  });

  test.each(folders)('%s: the API and checkout (and web, whose blue-green gate is its SLO) have an SLO PrometheusRule with fast and slow burn alerts for each objective', (folder) => {
    const objs = all.get(folder)!;
    const rules = objs.filter((o) => o.kind === 'PrometheusRule');
    expect(rules.map((r) => r.metadata.name).sort()).toEqual(folder === 'dev' ? ['api-slo', 'checkout-slo'] : ['api-slo', 'checkout-slo', 'web-slo']);
    for (const rule of rules) {
      const service = rule.metadata.name.replace(/-slo$/, '');
      const slis = rule.spec.groups.filter((g: any) => g.name.endsWith('-sli')).map((g: any) => g.rules[0].labels.slo);
      expect(slis.sort()).toEqual([`${service}-availability`, `${service}-latency`]);
      const alerts = rule.spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
      for (const slo of slis) {
        const mine = alerts.filter((a: any) => a.labels.slo === slo);
        const fast = mine.find((a: any) => /FastBurn$/.test(a.alert));
        const slow = mine.find((a: any) => /SlowBurn$/.test(a.alert));
        expect(fast.expr).toMatch(/ratio_rate1h\{[^}]*\} > \(14\.4 \* [0-9.]+\) and [^ ]*ratio_rate5m.* or .*ratio_rate6h\{[^}]*\} > \(6 \* [0-9.]+\) and .*ratio_rate30m/);
        expect(slow.expr).toMatch(/ratio_rate1d\{[^}]*\} > \(3 \* [0-9.]+\) and .*ratio_rate2h.* or .*ratio_rate3d\{[^}]*\} > \(1 \* [0-9.]+\) and .*ratio_rate6h/);
        // paging only in production
        expect(fast.labels.severity).toBe(folder.startsWith('prod/') ? 'page' : 'ticket');
        expect(slow.labels.severity).toBe('ticket');
        expect(Object.keys(fast.labels).sort()).toEqual(['environment', 'service', 'severity', 'slo', 'team']);
        expect(Object.keys(fast.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      }
      expect(find(objs, 'ConfigMap', `${service}-slo-dashboard`).metadata.labels.grafana_dashboard).toBe('1');
    }
  });

  test.each(folders)('%s: every SLO service measured on its own metrics has a monitor whose port exists on its Service or pods and is open to the monitoring namespace; one measured on the mesh lets Prometheus reach the sidecar', (folder) => {
    const objs = all.get(folder)!;
    for (const rule of objs.filter((o) => o.kind === 'PrometheusRule')) {
      const name = rule.metadata.name.replace(/-slo$/, '');
      if (JSON.stringify(rule.spec).includes('istio_requests_total')) {
        const np = find(objs, 'NetworkPolicy', name);
        expect(np.spec.ingress.some((r: any) => r.ports?.some((p: any) => p.port === 15020)
          && r.from.some((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring'))).toBe(true);
        continue;
      }
      const sm = find(objs, 'ServiceMonitor', name) ?? find(objs, 'PodMonitor', name);
      expect(sm).toBeDefined();
      const portName = (sm.spec.endpoints ?? sm.spec.podMetricsEndpoints)[0].port;
      const container = find(objs, 'Deployment', name).spec.template.spec.containers[0];
      const containerPort = container.ports.find((p: any) => p.name === portName);
      expect(containerPort).toBeDefined();
      if (sm.kind === 'ServiceMonitor') {
        const service = find(objs, 'Service', name);
        if (service) expect(service.spec.ports.map((p: any) => p.name)).toContain(portName);
        else {
          // Flagger generates the Services: with port discovery (every container port) and the monitor's labels
          const canary = find(objs, 'Canary', name);
          expect(canary.spec.service.portDiscovery).toBe(true);
          expect(canary.spec.service.apex.labels).toEqual(sm.spec.selector.matchLabels);
        }
      }
      const np = find(objs, 'NetworkPolicy', name);
      const open = np.spec.ingress.filter((r: any) => r.ports.some((p: any) => p.port === containerPort.containerPort))
        .flatMap((r: any) => r.from).some((f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring');
      expect(open).toBe(true);
    }
  });

  test.each(folders)('%s: every autoscaler targets an existing workload, none has two, and no scaled workload pins replicas', (folder) => {
    const objs = all.get(folder)!;
    const scalers = objs.filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject');
    expect(scalers.length).toBeGreaterThan(0);
    const targetsSeen = new Set<string>();
    for (const s of scalers) {
      const ref = s.spec.scaleTargetRef;
      const key = `${ref.kind ?? 'Deployment'}/${ref.name}`;
      expect(targetsSeen.has(key)).toBe(false);
      targetsSeen.add(key);
      const target = find(objs, ref.kind ?? 'Deployment', ref.name);
      expect(target).toBeDefined();
      expect(target.spec.replicas).toBeUndefined();
    }
  });

  test('the API scales on requests per second in prod; the order worker on its queue, to zero in dev only', () => {
    for (const folder of ['prod/prod-eu-west-1', 'prod/prod-us-east-1']) {
      const hpa = find(all.get(folder)!, 'HorizontalPodAutoscaler', 'api');
      expect(hpa.spec.metrics).toContainEqual({ type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '50' } } });
      expect(hpa.spec.scaleTargetRef.kind).toBe('Rollout');
    }
    for (const folder of folders) {
      const so = find(all.get(folder)!, 'ScaledObject', 'order-worker');
      expect(so.spec.triggers[0].type).toBe('rabbitmq');
      expect(so.spec.minReplicaCount === 0).toBe(folder === 'dev');
      expect(find(all.get(folder)!, 'TriggerAuthentication', 'order-worker-rabbitmq').spec.secretTargetRef).toEqual([{ parameter: 'host', name: 'storefront-rabbitmq', key: 'url' }]);
    }
  });

  test('monitors, rules and KEDA objects validate against their CRD schemas', () => {
    const kinds = ['ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'ScaledObject', 'TriggerAuthentication'];
    const seen = new Set<string>();
    for (const objs of all.values()) {
      for (const o of objs.filter((x) => kinds.includes(x.kind))) {
        seen.add(o.kind);
        expect(crdSchemaErrors(o)).toEqual([]);
      }
    }
    expect([...seen].sort()).toEqual([...kinds].sort());
  });
});
