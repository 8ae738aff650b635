// Extracts the openAPIV3Schema of the CRD kinds the library renders into test/fixtures/crd-schemas/, so that
// tests validate rendered objects against the real schemas on a clean clone (where ../shared/crds is absent).
//
//   npx tsx scripts/extract-crd-schemas.ts            # reads vendor/crds (or $CRDS_DIR)
//
// Run it after a CRD upgrade, together with `npm run import`, and commit the result.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** CRD file (in the CRD folder) -> kinds to extract, at the version imports/ renders. */
const WANTED: Record<string, { readonly kind: string; readonly version: string }[]> = {
  'argo-rollouts.yaml': [{ kind: 'Rollout', version: 'v1alpha1' }, { kind: 'AnalysisTemplate', version: 'v1alpha1' }],
  'flagger.yaml': [{ kind: 'Canary', version: 'v1beta1' }, { kind: 'MetricTemplate', version: 'v1beta1' }],
  'istio.yaml': [
    { kind: 'VirtualService', version: 'v1' }, { kind: 'DestinationRule', version: 'v1' },
    { kind: 'PeerAuthentication', version: 'v1' }, { kind: 'AuthorizationPolicy', version: 'v1' },
  ],
  'gateway-api.yaml': [{ kind: 'HTTPRoute', version: 'v1' }, { kind: 'GRPCRoute', version: 'v1' }, { kind: 'ReferenceGrant', version: 'v1beta1' }],
  'cert-manager.yaml': [{ kind: 'Certificate', version: 'v1' }],
  'velero.yaml': [{ kind: 'Schedule', version: 'v1' }],
  'flux.yaml': [{ kind: 'Kustomization', version: 'v1' }],
  // --- secrets ---
  'external-secrets.yaml': [{ kind: 'ExternalSecret', version: 'v1' }, { kind: 'SecretStore', version: 'v1' }, { kind: 'ClusterSecretStore', version: 'v1' }],
  'sealed-secrets.yaml': [{ kind: 'SealedSecret', version: 'v1alpha1' }],
  'prometheus-operator.yaml': [{ kind: 'ServiceMonitor', version: 'v1' }, { kind: 'PodMonitor', version: 'v1' }, { kind: 'PrometheusRule', version: 'v1' }],
  'keda.yaml': [{ kind: 'ScaledObject', version: 'v1alpha1' }, { kind: 'ScaledJob', version: 'v1alpha1' }, { kind: 'TriggerAuthentication', version: 'v1alpha1' }],
  // tenancy: the teams' Argo CD projects and applications
  'argo-cd.yaml': [{ kind: 'AppProject', version: 'v1alpha1' }, { kind: 'Application', version: 'v1alpha1' }],
};

const root = path.resolve(__dirname, '..');
const crds = path.resolve(root, process.env.CRDS_DIR ?? 'vendor/crds');
const out = path.join(root, 'test', 'fixtures', 'crd-schemas');

if (!fs.existsSync(crds)) {
  console.error(`extract-crd-schemas: no CRD folder at '${crds}'; set CRDS_DIR to the folder holding argo-rollouts.yaml etc.`);
  process.exit(1);
}

/** Keys in sorted order, so the committed files only change when a schema does. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as any)[k])]));
  }
  return value;
}

fs.mkdirSync(out, { recursive: true });
for (const [file, kinds] of Object.entries(WANTED)) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(crds, file), 'utf8')).map((d) => d.toJS());
  for (const { kind, version } of kinds) {
    const crd = docs.find((d) => d?.kind === 'CustomResourceDefinition' && d.spec?.names?.kind === kind);
    const v = crd?.spec?.versions?.find((x: any) => x.name === version);
    const schema = v?.schema?.openAPIV3Schema;
    if (!schema) {
      console.error(`extract-crd-schemas: ${file} has no ${kind} ${version} schema`);
      process.exit(1);
    }
    const name = `${crd.spec.group}_${version}_${kind}.json`;
    fs.writeFileSync(path.join(out, name), JSON.stringify(sorted({ group: crd.spec.group, version, kind, schema })) + '\n');
    console.log(`extract-crd-schemas: ${name}`);
  }
}
