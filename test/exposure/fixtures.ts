// A one-environment GitOpsApp whose cluster declares an edge, for exposure and mesh tests.
import { Chart } from 'cdk8s';
import { GatewayDeclaration, IngressControllerDeclaration } from '../../lib/exposure';
import { EnvironmentProps, Environments, GitOpsApp } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { HardenedService, HardenedServiceProps } from '../../lib/workloads';
export { prng } from '../fixtures/prng';

export const GATEWAY: GatewayDeclaration = {
  name: 'public',
  namespace: 'gateway-system',
  podLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' },
  serviceAccount: 'public-istio',
  listeners: [{ name: 'https', hostname: '*.shop.example' }],
};

export const INGRESS: IngressControllerDeclaration = { ingressClass: 'nginx', namespace: 'ingress-nginx' };

export interface EdgeAppOptions {
  readonly gateway?: GatewayDeclaration;
  readonly ingressController?: IngressControllerDeclaration;
  /** Environment props over the defaults (domain 'shop.example', issuer 'letsencrypt'). */
  readonly env?: Partial<EnvironmentProps>;
  readonly clusterMesh?: EnvironmentProps['mesh'];
}

/** Builds an app with one target (`prod`, namespace `shop`); `build` creates the services. */
export function edgeApp(options: EdgeAppOptions, build: (ns: PlatformNamespace, scope: Chart) => void): GitOpsApp<'prod'> {
  const app = new GitOpsApp({
    environments: Environments.define({
      prod: {
        clusters: [{
          name: 'prod',
          server: 'https://prod.k8s.example',
          gateway: 'gateway' in options ? options.gateway : GATEWAY,
          ingressController: options.ingressController,
          mesh: options.clusterMesh,
        }],
        domain: 'shop.example',
        certificateIssuer: { name: 'letsencrypt' },
        ...options.env,
      },
    }),
  });
  app.forEachTarget((scope) => build(new PlatformNamespace(scope, 'shop'), scope));
  return app;
}

/** Builds and renders; returns the manifests. */
export function renderEdgeApp(options: EdgeAppOptions, build: (ns: PlatformNamespace, scope: Chart) => void): any[] {
  return edgeApp(options, build).render().map((o) => o.manifest);
}

export function service(ns: PlatformNamespace, name: string, props: Partial<HardenedServiceProps> = {}): HardenedService {
  return new HardenedService(ns, name, { image: `ghcr.io/acme/${name}:1.0.0`, port: 8080, ...props });
}

/** Objects of `kind` (and `name`). */
export function ofKind(objects: any[], kind: string, name?: string): any[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** A random DNS label of 1..12 characters. */
export function label(rand: () => number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const n = 1 + Math.floor(rand() * 12);
  let s = pick(rand, 'abcdefghijklmnopqrstuvwxyz'.split(''));
  for (let i = 1; i < n; i++) s += i === n - 1 ? pick(rand, chars.split('')) : pick(rand, `${chars}-`.split(''));
  return s;
}
