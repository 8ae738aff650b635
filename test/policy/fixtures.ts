import { evaluateManifests, Manifest, ObjectRef, PolicyFinding } from '../../lib/policy';

/** Test fixtures: a workload that passes every rule, as plain manifests that tests break one field at a time. */

export const LABELS = {
  'app.kubernetes.io/name': 'web',
  'app.kubernetes.io/instance': 'web-dev',
  'app.kubernetes.io/version': '1.4.2',
  'app.kubernetes.io/component': 'frontend',
  'app.kubernetes.io/part-of': 'shop',
  'app.kubernetes.io/managed-by': 'cdk8s',
};

export const SELECTOR = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web-dev' };

export function compliantContainer(name = 'web'): any {
  return {
    name,
    image: 'ghcr.io/acme/web:1.4.2',
    ports: [{ containerPort: 8080, name: 'http' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    lifecycle: { preStop: { sleep: { seconds: 5 } } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

export function compliantPodSpec(): any {
  return {
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 30,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    topologySpreadConstraints: [{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: SELECTOR },
    }],
    containers: [compliantContainer()],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
  };
}

export function deployment(name = 'web', namespace = 'shop'): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { ...LABELS } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { ...SELECTOR } },
      template: { metadata: { labels: { ...LABELS } }, spec: compliantPodSpec() },
    },
  };
}

export function pdb(namespace = 'shop', spec: any = { maxUnavailable: 1, selector: { matchLabels: { ...SELECTOR } } }): any {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace, labels: { ...LABELS } }, spec };
}

export function defaultDeny(namespace = 'shop'): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

export function service(namespace = 'shop'): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace, labels: { ...LABELS } },
    spec: { selector: { ...SELECTOR }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

/** A compliant environment: the workload plus what the cross-object rules look for. */
export interface Bundle {
  workload: any;
  pdb: any;
  netpol: any;
  service: any;
  extra: any[];
}

export function bundle(workload: any = deployment()): Bundle {
  return { workload, pdb: pdb(), netpol: defaultDeny(), service: service(), extra: [] };
}

export function manifestsOf(b: Bundle): Manifest[] {
  return [b.workload, b.pdb, b.netpol, b.service, ...b.extra].filter((m) => m !== undefined);
}

export function findings(b: Bundle | Manifest[], rule?: string): PolicyFinding[] {
  const list = Array.isArray(b) ? b : manifestsOf(b);
  const all = evaluateManifests(list.map((manifest) => ({ folder: 'dev', manifest })));
  return rule ? all.filter((f) => f.rule === rule) : all;
}

/** The pod spec of the fixture's Deployment. */
export const podOf = (b: Bundle): any => b.workload.spec.template.spec;
/** Its first container. */
export const containerOf = (b: Bundle): any => podOf(b).containers[0];

export const CONTAINER = 'spec.template.spec.containers[0]';
export const POD = 'spec.template.spec';

/** The fixture's pod template as a CronJob (jobs need no probes, budget or spread). */
export function cronJob(name = 'report', namespace = 'shop'): any {
  const d = deployment(name, namespace);
  const spec = d.spec.template.spec;
  delete spec.topologySpreadConstraints;
  for (const c of spec.containers) {
    delete c.readinessProbe;
    delete c.livenessProbe;
    delete c.lifecycle;
  }
  spec.restartPolicy = 'Never';
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: d.metadata,
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: d.spec.template } } },
  };
}

export function hpa(target: { kind: string; name: string }, minReplicas: number | undefined, namespace = 'shop'): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target.name, namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', ...target },
      ...(minReplicas === undefined ? {} : { minReplicas }),
      maxReplicas: 10,
    },
  };
}

/** An Argo Rollout that takes its pods from the Deployment `web` (workloadRef). */
export function rolloutRef(replicas: number, namespace = 'shop'): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace, labels: { ...LABELS } },
    spec: {
      replicas,
      selector: { matchLabels: { ...SELECTOR } },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      strategy: { canary: { steps: [{ setWeight: 20 }] } },
    },
  };
}

export const DIGEST = `sha256:${'a1'.repeat(32)}`;

/** One case of a rule: a change to the compliant bundle and the fields the rule must then report. */
export interface RuleCase {
  readonly name: string;
  readonly mutate: (b: Bundle) => void;
  /** Fields the rule must report, exactly (empty: the rule must stay silent). */
  readonly fields: readonly string[];
  /** The object the findings are about. @default the Deployment shop/web */
  readonly object?: ObjectRef;
}

export const WEB: ObjectRef = { kind: 'Deployment', namespace: 'shop', name: 'web' };

/**
 * A describe block per rule, a test per case: exactly the expected fields are reported, about the expected
 * object, with a lowercase message that quotes the value found and a fix.
 */
export function describeRuleCases(cases: { readonly [rule: string]: readonly RuleCase[] }): void {
  for (const [rule, list] of Object.entries(cases)) {
    describe(rule, () => {
      for (const c of list) {
        test(c.name, () => {
          const b = bundle();
          c.mutate(b);
          const found = findings(b, rule);
          expect(found.map((f) => f.field).sort()).toEqual([...c.fields].sort());
          for (const f of found) {
            expect(f.object).toEqual(c.object ?? WEB);
            expect(f.message).toMatch(/^[a-z]/);
            expect(f.message).toMatch(/got /);
            expect(f.fix.length).toBeGreaterThan(10);
          }
        });
      }
    });
  }
}

