import * as fs from 'fs';
import * as path from 'path';
import { checkProps } from '../core';
import { KubernetesVersion } from '../schema/defaults';
import { kubernetesVersionProblem } from '../schema/kubernetes-version';
import { checkFindings, CheckSubject, flatFindings } from './check-manifests';

/** What the cdk8s CLI hands a validation plugin (cdk8s-cli src/plugins/validation.ts), as far as it is used. */
export interface ValidationContextLike {
  readonly manifests: readonly string[];
  readonly metadata: { readonly [resourceName: string]: { readonly path: string } };
  readonly report: {
    addViolation(v: { ruleName: string; recommendation: string; fix: string; violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[] }): void;
    submit(status: 'success' | 'failure', metadata?: { [key: string]: string }): void;
  };
  readonly logger?: { log(message: string): void };
  parseManifest(manifestPath: string): any[];
}

export interface ManifestChecksOptions {
  /**
   * The Kubernetes minor every object is validated against.
   * @default '1.36' (SCHEMA_DEFAULTS.kubernetesVersion)
   */
  readonly kubernetesVersion?: KubernetesVersion;
}

/**
 * A cdk8s validation plugin running the library's schema and policy checks on whatever `cdk8s synth` rendered,
 * stock Charts and cdk8s-plus included. Name it in cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: ./scripts/cdk8s-validation.js
 *     version: 0.1.0
 *     class: ManifestChecks
 * ```
 *
 * Objects are grouped by folder like dist/'s environments (the closest folder holding a kustomization.yaml,
 * else the file's folder), so rules relating objects (a PodDisruptionBudget for a Deployment) see one unit.
 * Construct paths come from the CLI's construct metadata. Reads no network.
 */
export class ManifestChecks {
  private readonly version?: KubernetesVersion;

  constructor(properties: ManifestChecksOptions = {}) {
    checkProps('cdk8s.yaml validations[ManifestChecks].properties', 'ManifestChecksOptions', properties);
    if (properties.kubernetesVersion !== undefined) {
      const problem = kubernetesVersionProblem(properties.kubernetesVersion);
      if (problem) throw new Error(`cdk8s.yaml validations[ManifestChecks].properties.kubernetesVersion ${problem}`);
    }
    this.version = properties.kubernetesVersion;
  }

  public async validate(ctx: ValidationContextLike): Promise<void> {
    const subjects: (CheckSubject & { file: string })[] = [];
    for (const file of [...ctx.manifests].sort()) {
      // a GitOpsApp already checked what it copied for the CLI, with its exemptions (gitops-app.ts mirrorForCdk8s)
      if (checkedBySynth(file)) continue;
      const folder = folderOf(file);
      for (const manifest of ctx.parseManifest(file)) {
        if (manifest && typeof manifest === 'object' && manifest.kind !== 'Kustomization') subjects.push({ manifest, folder, file });
      }
    }
    const fileOf = new Map(subjects.map((s) => [s.manifest, s.file]));
    const found = checkFindings(subjects, this.version);
    const byObject = new Map<string, any>();
    for (const s of subjects) byObject.set(identity(s.folder, s.manifest.kind, s.manifest.metadata?.namespace, s.manifest.metadata?.name), s.manifest);
    const findings = flatFindings(found);
    for (const f of findings) {
      const manifest = byObject.get(identity(f.folder, f.kind, f.namespace, f.name));
      const manifestPath = (manifest && fileOf.get(manifest)) ?? '';
      const where = ctx.metadata[f.name]?.path;
      ctx.report.addViolation({
        ruleName: f.rule,
        recommendation: `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}${where ? ` (${where})` : ''}: ${f.field} ${f.problem}`,
        fix: f.fix,
        violatingResources: [{ resourceName: f.name, locations: [f.field], manifestPath }],
      });
    }
    ctx.report.submit(findings.length === 0 ? 'success' : 'failure', { objects: String(subjects.length), findings: String(findings.length) });
  }
}

function identity(folder: string, kind: unknown, namespace: unknown, name: unknown): string {
  return JSON.stringify([folder, kind, namespace ?? '', name ?? '']);
}

function checkedBySynth(file: string): boolean {
  let dir = path.dirname(path.resolve(file));
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, '.checked-by-synth'))) return true;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return false;
}

/** The outermost folder holding a kustomization.yaml (a dist/ environment), else the file's folder. */
function folderOf(file: string): string {
  let found: string | undefined;
  let dir = path.dirname(path.resolve(file));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'kustomization.yaml'))) found = dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return found ?? path.dirname(path.resolve(file));
}
