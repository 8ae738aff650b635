// Vendors the schemas that synth validates every object against (developers only; the result is committed):
//
//   npx tsx scripts/import-schemas.ts        # or: npm run import:schemas
//
// 1. Kubernetes: copies the trimmed OpenAPI definitions `k8s-v<minor>.0.json` (with SOURCES.md and the licence)
//    from $K8S_SCHEMAS_DIR into vendor/k8s-schemas/. Skipped when it is not set (a clean clone already has the
//    vendored copies): `K8S_SCHEMAS_DIR=/path/to/schemas npm run import:schemas`.
// 2. Custom resources: extracts the openAPIV3Schema of every kind of every CRD in vendor/crds/*.yaml into
//    vendor/crd-schemas/<group>_<version>_<Kind>.json plus index.json (kind -> file, and the sha256 of each CRD
//    file it was made from, so a test notices a CRD update without re-parsing megabytes of YAML).
//
// To add a Kubernetes version: put k8s-v1.NN.0.json (same reduction, see vendor/k8s-schemas/SOURCES.md) into
// $K8S_SCHEMAS_DIR, run this script, then add '1.NN' to SUPPORTED_KUBERNETES_VERSIONS in lib/schema/defaults.ts.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

const root = path.resolve(__dirname, '..');
const k8sIn = process.env.K8S_SCHEMAS_DIR ? path.resolve(process.env.K8S_SCHEMAS_DIR) : undefined;
const k8sOut = path.join(root, 'vendor', 'k8s-schemas');
const crdIn = path.join(root, 'vendor', 'crds');
const crdOut = path.join(root, 'vendor', 'crd-schemas');

/** Keys in sorted order, so the committed files only change when a schema does. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as any)[k])]));
  }
  return value;
}

if (k8sIn && fs.existsSync(k8sIn)) {
  fs.mkdirSync(k8sOut, { recursive: true });
  const files = fs.readdirSync(k8sIn).filter((f) => /^k8s-v1\.\d+\.\d+\.json$/.test(f) || f === 'SOURCES.md' || f.startsWith('LICENSE'));
  for (const f of files.sort()) {
    fs.copyFileSync(path.join(k8sIn, f), path.join(k8sOut, f));
    console.log(`import-schemas: vendor/k8s-schemas/${f}`);
  }
} else {
  console.log(k8sIn ? `import-schemas: no folder at '${k8sIn}', keeping vendor/k8s-schemas as it is`
    : 'import-schemas: K8S_SCHEMAS_DIR is not set, keeping vendor/k8s-schemas as it is (set it to the folder of k8s-v1.NN.0.json files to import)');
}

fs.rmSync(crdOut, { recursive: true, force: true });
fs.mkdirSync(crdOut, { recursive: true });
const index: { sources: Record<string, string>; kinds: Record<string, string> } = { sources: {}, kinds: {} };
for (const file of fs.readdirSync(crdIn).filter((f) => f.endsWith('.yaml')).sort()) {
  const text = fs.readFileSync(path.join(crdIn, file), 'utf8');
  index.sources[file] = crypto.createHash('sha256').update(text).digest('hex');
  for (const doc of YAML.parseAllDocuments(text).map((d) => d.toJS())) {
    if (doc?.kind !== 'CustomResourceDefinition') continue;
    for (const v of doc.spec?.versions ?? []) {
      const schema = v.schema?.openAPIV3Schema;
      if (!schema) continue;
      const name = `${doc.spec.group}_${v.name}_${doc.spec.names.kind}.json`;
      const key = `${doc.spec.group}/${v.name}/${doc.spec.names.kind}`;
      fs.writeFileSync(path.join(crdOut, name), JSON.stringify(sorted({ apiVersion: `${doc.spec.group}/${v.name}`, kind: doc.spec.names.kind, source: file, schema })) + '\n');
      index.kinds[key] = name;
    }
  }
}
index.kinds = sorted(index.kinds) as Record<string, string>;
fs.writeFileSync(path.join(crdOut, 'index.json'), JSON.stringify(index, null, 1) + '\n');
console.log(`import-schemas: vendor/crd-schemas/ (${Object.keys(index.kinds).length} kinds from ${Object.keys(index.sources).length} CRD files)`);
