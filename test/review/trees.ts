// Small dist/ trees for review tests: objects per target folder, serialized like synth does.
import { toYaml } from '../../lib/gitops/serialize';
export { prng } from '../fixtures/prng';

export type Obj = Record<string, any>;

/** A dist/ tree: each folder gets one file per namespace holding its objects, and a kustomization.yaml. */
export function tree(folders: Record<string, Obj[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [folder, objects] of Object.entries(folders)) {
    const byFile = new Map<string, Obj[]>();
    for (const o of objects) {
      const file = `${o.metadata?.namespace ?? '_cluster'}/objects.yaml`;
      byFile.set(file, [...(byFile.get(file) ?? []), o]);
    }
    for (const [file, docs] of byFile) out.set(`${folder}/${file}`, toYaml(docs));
    out.set(`${folder}/kustomization.yaml`, toYaml([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...byFile.keys()] }]));
  }
  return out;
}

/** Object metadata; `namespace: null` for cluster-scoped objects. */
export function meta(name: string, namespace: string | null = 'shop', extra: Obj = {}): Obj {
  return { name, ...(namespace ? { namespace } : {}), ...extra };
}

export function deployment(name: string, image: string, extra: { replicas?: number; labels?: Obj; strategy?: Obj } = {}): Obj {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/version': image.split(':')[1], ...extra.labels };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, 'shop', { labels }),
    spec: {
      ...(extra.replicas !== undefined ? { replicas: extra.replicas } : {}),
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      strategy: extra.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name, image, readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 } }] },
      },
    },
  };
}

export function statefulSet(name: string, size: string, replicas = 3): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(name),
    spec: {
      replicas,
      serviceName: `${name}-headless`,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'postgres:16.4' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } }],
    },
  };
}

