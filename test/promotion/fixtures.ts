// A platform for promotion tests: dev -> staging -> prod (two clusters, one ring each), an `api` service with config
// files and a `worker`, in namespace `shop`. Builds the tree only (no policy or schema: promotion checks run as the
// tree is finished), unless `render` is asked for.
import { ConfigFiles } from '../../lib/config';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { PlatformNamespace } from '../../lib/platform';
import { ChangeCalendar, Promotion, PromotionLedger } from '../../lib/promotion';
import { HardenedService, HardenedWorker } from '../../lib/workloads';

export const STAGES = ['dev', 'staging', 'prod/1', 'prod/2'];

export const environments = Environments.define({
  dev: { clusters: [{ name: 'dev', server: 'https://dev.k8s.example' }] },
  staging: { clusters: [{ name: 'staging', server: 'https://staging.k8s.example' }] },
  prod: {
    production: true,
    clusters: [{ name: 'prod-a', server: 'https://prod-a.k8s.example' }, { name: 'prod-b', server: 'https://prod-b.k8s.example' }],
  },
});

export interface PromotionAppOptions {
  /** Versions the code declares. */
  readonly api?: string;
  readonly worker?: string;
  /** Config the api carries (a change gives a new config generation). */
  readonly apiConfig?: string;
  readonly ledger: PromotionLedger | string;
  readonly now: string;
  readonly soak?: { readonly [stage: string]: string };
  readonly calendar?: ChangeCalendar;
  readonly rings?: any;
  readonly withWorker?: boolean;
}

export const image = (name: string, version: string) => `ghcr.io/acme/${name}:${version}`;

export function promotionApp(o: PromotionAppOptions): { app: GitOpsApp<any>; promotion: Promotion } {
  const app = new GitOpsApp({ environments, outdir: 'dist-unused' });
  const promotion = new Promotion(app, 'promotion', {
    environments,
    rings: o.rings ?? { prod: [{ clusters: ['prod-a'] }, { clusters: ['prod-b'] }] },
    soak: o.soak,
    calendar: o.calendar,
    ledger: typeof o.ledger === 'string' ? PromotionLedger.parse(o.ledger, 'promotion.yaml') : o.ledger,
    now: new Date(o.now),
  });
  app.forEachTarget((scope) => {
    const ns = new PlatformNamespace(scope, 'shop', { team: 'shop' });
    new HardenedService(ns, 'api', {
      image: image('api', o.api ?? '1.0.0'), port: 8080,
      use: [ConfigFiles.of({ files: { 'app.conf': o.apiConfig ?? 'mode=a' } })],
    });
    if (o.withWorker !== false) new HardenedWorker(ns, 'worker', { image: image('worker', o.worker ?? '1.0.0') });
  });
  return { app, promotion };
}

/** Builds the app and runs the check synth runs before writing (the promotion capability's stage). */
export function checked(o: PromotionAppOptions): { app: GitOpsApp<any>; promotion: Promotion } {
  const built = promotionApp(o);
  built.promotion.verify();
  return built;
}

/** The image each target folder's workload runs (`dev|shop/api` -> image). */
export function imagesOf(app: GitOpsApp<any>): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of app.targets) {
    for (const c of app.chartFor(t).node.findAll()) {
      if (c instanceof HardenedService || c instanceof HardenedWorker) out.set(`${t.path}|${c.namespace}/${c.name}`, c.pod.imageReference);
    }
  }
  return out;
}

/** The message of what `fn` throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
