import * as YAML from 'yaml';
import { ApiObject, App, Chart } from 'cdk8s';
import { Environments, GitOpsApp } from '../../lib/gitops';
import { ConfigError } from '../../lib/core';
import { KyvernoPolicies, Policy, PolicyRules } from '../../lib/policy';
import { addBundle, makeApp } from './app-fixtures';

function policiesIn(props: ConstructorParameters<typeof KyvernoPolicies>[2] = {}) {
  const app = makeApp();
  let policies!: KyvernoPolicies;
  app.forEachTarget((scope) => {
    addBundle(scope);
    policies = new KyvernoPolicies(scope, 'kyverno', props);
  });
  return { app, policies };
}

describe('KyvernoPolicies', () => {
  test('writes one ClusterPolicy per enforced rule into the cluster-scoped file, and the app still passes policy', () => {
    const { app } = policiesIn();
    const files = app.synthFiles();
    const docs = YAML.parseAllDocuments(files.get('dev/_cluster/kyverno-policies.yaml')!).map((d) => d.toJSON());
    expect(docs.map((d) => [d.apiVersion, d.kind, d.metadata.name])).toEqual([
      'hygiene-automount-service-account-token', 'hygiene-image-pinned', 'hygiene-image-pull-policy', 'hygiene-probes',
      'hygiene-read-only-root-filesystem', 'hygiene-recommended-labels', 'hygiene-resources', 'hygiene-service-account',
      'hygiene-stable-selectors', 'pss-restricted',
    ].map((n) => ['kyverno.io/v1', 'ClusterPolicy', n]));
  });

  test('enforces Pod Security Standards restricted at the latest version with Kyverno\'s podSecurity check', () => {
    const { policies } = policiesIn({ failureAction: 'Enforce' });
    const pss = policies.policies.get('pss-restricted')!.toJson();
    expect(pss.spec.rules).toEqual([{
      name: 'restricted',
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      exclude: { any: [{ resources: { namespaces: ['kube-system'] } }] },
      validate: {
        failureAction: 'Enforce',
        message: 'Pods must satisfy the Pod Security Standards restricted profile (rules pss-*)',
        podSecurity: { level: 'restricted', version: 'latest' },
      },
    }]);
  });

  test('accounts for every rule: enforced at admission or CI-only', () => {
    expect([...KyvernoPolicies.enforcedRules, ...KyvernoPolicies.ciOnlyRules].sort()).toEqual(PolicyRules.ids().sort());
    expect(KyvernoPolicies.ciOnlyRules).toEqual([
      'hygiene-pdb-required', 'hygiene-pdb-allows-disruption', 'hygiene-topology-spread', 'hygiene-network-policy', 'hygiene-pre-stop-sleep',
      'hygiene-namespaced-object', 'hygiene-scale-target', 'hygiene-workload-ref', 'hygiene-network-port', 'hygiene-storage-class-declared',
      'hygiene-route-host-path-unique', 'hygiene-connection-namespace-exists',
      // exposure: they need the environment (domain, production) or the other routes and the Gateway
      'hygiene-route-host-in-domain', 'hygiene-route-tls-in-production', 'hygiene-route-host-owner', 'hygiene-route-kind-per-host', 'hygiene-gateway-references',
      // mesh and placement rules of issue 25: not yet emitted for admission
      'hygiene-mesh-principal-wildcard', 'hygiene-mesh-allow-everyone', 'hygiene-mesh-mtls-not-disabled', 'hygiene-mesh-mtls-strict-in-production', 'hygiene-ingress-not-world',
      // secrets: the operators create Secrets with data in the cluster, so these judge Git only
      'hygiene-no-plaintext-secret', 'hygiene-no-plaintext-credentials', 'hygiene-secret-reference-resolves',
      // cross-object (scaler and scaled workload): CI only
      'hygiene-scaled-replicas',
      'tenancy-quota-fits', 'tenancy-rbac-no-wildcards', 'tenancy-rolebinding-subjects', 'tenancy-priority-class-declared', 'tenancy-node-pool-placement',
      'tenancy-no-system-priority', 'tenancy-no-node-name', 'hygiene-scale-to-zero-in-production', 'tenancy-spot-interruption-tolerant',
      // ownership by scope is a property of the construct tree: the cluster's side is the team's AppProject / Flux tenant
      'tenancy-rbac-escalation-verbs', 'tenancy-rbac-aggregation', 'tenancy-rbac-token-create', 'tenancy-rbac-pod-exec',
      'tenancy-rbac-secrets-cluster-wide', 'tenancy-rbac-built-in-admin', 'tenancy-rbac-system-subjects', 'tenancy-flux-tenant', 'tenancy-argo-project',
      'tenancy-team-platform-kinds',
    ]);
  });

  test('by default enforces in production environments and audits in the others (tenancy)', () => {
    const app = new GitOpsApp({ environments: Environments.define({
      dev: { clusters: [{ name: 'dev', server: 'https://dev.k.example' }] },
      prod: { production: true, clusters: [{ name: 'prod', server: 'https://prod.k.example' }] },
    }) });
    const actions = new Map<string, Set<string>>();
    app.forEachTarget((scope, { env }) => {
      const p = new KyvernoPolicies(scope, 'kyverno');
      actions.set(env.name, new Set([...p.policies.values()].flatMap((x) => x.toJson().spec.rules.map((r: any) => r.validate.failureAction))));
    });
    expect(actions.get('dev')).toEqual(new Set(['Audit']));
    expect(actions.get('prod')).toEqual(new Set(['Enforce']));
    // outside an environment target: Enforce, as before
    const plain = new KyvernoPolicies(new Chart(new App(), 'c'), 'kyverno');
    expect(new Set([...plain.policies.values()].flatMap((x) => x.toJson().spec.rules.map((r: any) => r.validate.failureAction)))).toEqual(new Set(['Enforce']));
  });

  test('audits instead of enforcing when asked, on every rule', () => {
    const { policies } = policiesIn({ failureAction: 'Audit' });
    const actions = [...policies.policies.values()].flatMap((p) => p.toJson().spec.rules.map((r: any) => r.validate.failureAction));
    expect(new Set(actions)).toEqual(new Set(['Audit']));
  });

  test('skips the rules it is told to skip and excludes the given namespaces', () => {
    const { policies } = policiesIn({ skipRules: ['hygiene-probes'], excludeNamespaces: ['kube-system', 'monitoring'] });
    expect(policies.policies.has('hygiene-probes')).toBe(false);
    expect(policies.policies.get('hygiene-resources')!.toJson().spec.rules[0].exclude).toEqual({ any: [{ resources: { namespaces: ['kube-system', 'monitoring'] } }] });
  });

  test('matches pod rules on Pods (Kyverno auto-generates the controller rules) and probes on long-running kinds only', () => {
    const { policies } = policiesIn();
    const kinds = (id: string) => policies.policies.get(id)!.toJson().spec.rules.map((r: any) => r.match.any[0].resources.kinds);
    expect(kinds('hygiene-read-only-root-filesystem')).toEqual([['Pod']]);
    expect(kinds('hygiene-probes')).toEqual([['Deployment', 'StatefulSet', 'DaemonSet', 'argoproj.io/v1alpha1/Rollout']]);
  });

  test('throws on an unknown skipped rule, a CI-only one included', () => {
    expect(() => policiesIn({ skipRules: ['hygiene-network-policy'] })).toThrow(ConfigError);
    expect(() => policiesIn({ skipRules: ['hygiene-network-policy'] })).toThrow(/^dev\/kyverno: skipRules names a policy this construct does not emit, got "hygiene-network-policy"; use one of pss-restricted, /);
  });

  test('throws on a bad failure action or namespace', () => {
    expect(() => policiesIn({ failureAction: 'enforce' as any })).toThrow(/^dev\/kyverno: failureAction must be Enforce or Audit, got "enforce"/);
    expect(() => policiesIn({ excludeNamespaces: ['Kube_System'] })).toThrow(/^dev\/kyverno: excludeNamespaces\[0\] must be a DNS-1123 label/);
  });

  test('renders stable YAML', () => {
    const { app } = policiesIn();
    expect(app.synthFiles().get('dev/_cluster/kyverno-policies.yaml')).toMatchSnapshot();
    expect(app.node.findAll().filter((c) => c instanceof ApiObject).length).toBeGreaterThan(10);
  });
});

describe('KyvernoPolicies exceptions (admission parity)', () => {
  const exceptionsOf = (exempt: [string, string][], options: ConstructorParameters<typeof KyvernoPolicies>[2] = {}) => {
    const app = makeApp();
    app.forEachTarget((scope) => {
      new KyvernoPolicies(scope, 'kyverno', options);
      const { web } = addBundle(scope);
      for (const [rule, reason] of exempt) Policy.exempt(web, rule, reason);
    });
    return app.render().map((o) => o.manifest).filter((m) => m.kind === 'PolicyException');
  };

  test('a pss-* exemption exempts its Pod Security control only (images for container-level controls); pss-host-probes the restricted rule', () => {
    const [e] = exceptionsOf([['pss-capabilities', 'needs NET_BIND_SERVICE'], ['pss-host-namespaces', 'reads the host network']], { exceptionNamespace: 'policy-exceptions' });
    expect(e.metadata.namespace).toBe('policy-exceptions');
    expect(e.spec.exceptions).toEqual([{ policyName: 'pss-restricted', ruleNames: ['restricted', 'autogen-restricted', 'autogen-cronjob-restricted'] }]);
    expect(e.spec.podSecurity).toEqual([{ controlName: 'Host Namespaces' }, { controlName: 'Capabilities', images: ['ghcr.io/acme/web:1.4.2'] }]);
    expect(e.metadata.annotations['exemptions.typed-manifests.io/pss-capabilities']).toBe('needs NET_BIND_SERVICE (declared on web)');
    const [probes] = exceptionsOf([['pss-host-probes', 'probes the node']]);
    expect(probes.spec.podSecurity).toBeUndefined();
  });

  test('only policies with a rule for the object get an exception; no exemption, no exception; reasons stay data', () => {
    expect(exceptionsOf([])).toEqual([]);
    const hostile = 'line one\nline two: "quoted" <b>x</b>';
    const list = exceptionsOf([['hygiene-probes', hostile], ['hygiene-pdb-required', 'CI-only rule']]);
    expect(list.map((e) => `${e.metadata.name} ${e.spec.exceptions.map((x: any) => x.policyName).join(',')}`)).toEqual(['deployment-shop-web hygiene-probes']);
    expect(list[0].metadata.annotations['exemptions.typed-manifests.io/hygiene-probes']).toBe(`${hostile} (declared on web)`);
    expect(list[0].spec.match.any.map((f: any) => f.resources.kinds[0])).toEqual(['Deployment', 'ReplicaSet', 'Pod']);
  });
});
