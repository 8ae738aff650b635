import { ApiObject, Chart } from 'cdk8s';
import { teamOwnerOf, TeamRecord } from '../core/owner';
import { targetOf } from '../environments/environment';
import type { RenderedObject } from '../environments/rendered';
import { Policy } from './policy';
import { PolicyError } from './policy-error';
import { PolicyRules } from './policy-rules';
import { parseQuantity } from '../core';
import { EnvironmentFacts, Exemption, Manifest, PolicyFinding, Rule, RuleContext } from './rule';

/** A manifest and the environment folder it is deployed with (the objects a rule may relate it to). */
export interface ManifestInput {
  readonly folder: string;
  readonly manifest: Manifest;
  /** The folder's environment, for rules that depend on it (production, domain). @default - unknown: those rules pass */
  readonly environment?: EnvironmentFacts;
}

export interface EvaluateOptions {
  /**
   * The rules to run.
   * @default PolicyRules.all
   */
  readonly rules?: readonly Rule[];
  /**
   * Also return the findings an exemption lifts (with `exemption` set), e.g. to list exemptions in a review.
   * @default false
   */
  readonly includeExempted?: boolean;
}

interface Subject {
  readonly manifest: Manifest;
  readonly folder: string;
  readonly apiObject?: ApiObject;
  readonly environment?: EnvironmentFacts;
}

/**
 * Runs the policy over the rendered objects of an app and throws a `PolicyError` listing every finding that no
 * exemption lifts. Called by `GitOpsApp.render()` before anything is written.
 */
export function checkPolicy(objects: readonly RenderedObject[]): void {
  const findings = evaluate(objects);
  if (findings.length > 0) throw new PolicyError(findings);
}

/** The findings for rendered objects (exemptions declared with `Policy.exempt` applied), in a stable order. */
export function evaluate(objects: readonly RenderedObject[], options: EvaluateOptions = {}): PolicyFinding[] {
  return run(objects.map((o) => ({ manifest: o.manifest, folder: o.folder, apiObject: o.apiObject })), options);
}

/**
 * The findings for plain manifests, e.g. parsed back from dist/. Pass `{ folder, manifest }` pairs so that
 * rules relating objects (PodDisruptionBudget, NetworkPolicy, autoscalers) see each environment on its own;
 * bare manifests are treated as one folder. No exemptions apply: there are no constructs to carry them.
 */
export function evaluateManifests(inputs: readonly (ManifestInput | Manifest)[], options: EvaluateOptions = {}): PolicyFinding[] {
  return run(inputs.map((i) => (isInput(i) ? { manifest: i.manifest, folder: i.folder, environment: i.environment } : { manifest: i, folder: '' })), options);
}

function isInput(i: ManifestInput | Manifest): i is ManifestInput {
  return typeof (i as ManifestInput).folder === 'string' && typeof (i as ManifestInput).manifest === 'object' && (i as Manifest).kind === undefined;
}

function run(subjects: readonly Subject[], options: EvaluateOptions): PolicyFinding[] {
  const rules = options.rules ?? PolicyRules.all;
  const byFolder = new Map<string, Subject[]>();
  for (const s of subjects) {
    let list = byFolder.get(s.folder);
    if (!list) byFolder.set(s.folder, (list = []));
    list.push(s);
  }
  const out: PolicyFinding[] = [];
  for (const [folder, list] of byFolder) {
    const target = list[0].apiObject ? targetOf(list[0].apiObject) : undefined;
    const owners = new Map<Manifest, TeamRecord | undefined>();
    for (const s of list) if (s.apiObject) owners.set(s.manifest, teamOwnerOf(s.apiObject));
    const context: RuleContext = {
      folder,
      objects: list.map((s) => s.manifest),
      ...(target ? { cluster: target.cluster, environment: environmentFacts(target.env, target.cluster) } : {}),
      ...(!target && list[0].environment ? { environment: list[0].environment } : {}),
      ownerOf: (m) => owners.get(m),
    };
    for (const s of list) {
      let constructPath: string | undefined;
      for (const rule of rules) {
        const findings = rule.check(s.manifest, context);
        if (findings.length === 0) continue;
        for (const f of findings) {
          // a value exemption lifts only the finding at its path
          const exemption = s.apiObject ? exemptionOf(s.apiObject, rule, owners.get(s.manifest), f.field) : undefined;
          if (exemption && !options.includeExempted) continue;
          constructPath ??= s.apiObject?.node.path;
          out.push({ ...f, folder, ...(constructPath !== undefined ? { constructPath } : {}), ...(exemption ? { exemption } : {}) });
        }
      }
    }
  }
  return out.sort(compareFindings);
}

/** The exemption that lifts `rule` for the object, honouring the rule's exemption scope. */
function exemptionOf(apiObject: ApiObject, rule: Rule, owner: TeamRecord | undefined, field: string): Exemption | undefined {
  if ((rule.exemption ?? 'scope') === 'scope') return Policy.exemptionFor(apiObject, rule.id, field);
  if (owner) return undefined;
  // the object, or a construct that holds nothing but it (an imported L1 class's `Resource`); never a chart
  const parent = apiObject.node.scope;
  const own = [apiObject.node.path, ...(parent && !Chart.isChart(parent) && parent.node.children.length === 1 ? [parent.node.path] : [])];
  return Policy.exemptionsOf(apiObject).find((e) => e.rule === rule.id && own.includes(e.scopePath) && (e.field === undefined || e.field === field));
}

function compareFindings(a: PolicyFinding, b: PolicyFinding): number {
  return cmp(a.folder, b.folder)
    || cmp(a.object.namespace ?? '', b.object.namespace ?? '')
    || cmp(a.object.kind, b.object.kind)
    || cmp(a.object.name, b.object.name)
    || cmp(a.rule, b.rule)
    || cmp(a.field, b.field)
    || cmp(a.message, b.message);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Istio's default sidecar proxy resources (`global.proxy.resources`). */
const ISTIO_SIDECAR = { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '2', memoryLimit: '1Gi' };

interface MeshView { readonly istio?: boolean; readonly sidecar?: Partial<typeof ISTIO_SIDECAR> }

/** What rules read of an environment and cluster (plain-manifest checks pass it per folder). */
export function environmentFacts(env: { readonly name: string; readonly production: boolean; readonly domain?: string }, cluster: object): EnvironmentFacts {
  // scaling's and the mesh's settings, read by name (declared by lib/scaling and lib/mesh; policy imports neither)
  const allow = (env as { readonly scaling?: { readonly allowScaleToZero?: boolean } }).scaling?.allowScaleToZero;
  const envMesh = (env as { readonly mesh?: MeshView }).mesh ?? {};
  const clusterMesh = (cluster as { readonly mesh?: MeshView }).mesh ?? {};
  const istio = clusterMesh.istio ?? envMesh.istio ?? false;
  const sidecar = { ...ISTIO_SIDECAR, ...envMesh.sidecar, ...clusterMesh.sidecar };
  const q = (v: string) => parseQuantity(String(v)) ?? 0;
  return {
    name: env.name,
    production: env.production,
    ...(env.domain ? { domain: env.domain } : {}),
    ...(allow !== undefined ? { allowsScaleToZero: allow } : {}),
    ...(istio ? { meshSidecar: { 'requests.cpu': q(sidecar.cpuRequest), 'requests.memory': q(sidecar.memoryRequest), 'limits.cpu': q(sidecar.cpuLimit), 'limits.memory': q(sidecar.memoryLimit) } } : {}),
  };
}
