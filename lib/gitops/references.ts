import { ConfigError } from '../core';
import { apiGroupOf, RenderedObject } from './layout';
import { RepositoryProps } from './repository';

/** A folder of dist/ that an Argo CD Application or a Flux Kustomization syncs from. */
export interface GitOpsReference {
  /** Construct path of the referencing object. */
  readonly from: string;
  /** `Application argocd/platform-dev`. */
  readonly object: string;
  /** The field that holds the path (`spec.source.path`). */
  readonly field: string;
  /** The path as written in the object (`dist/dev`, `./dist/dev`). */
  readonly path: string;
  /** The folder below dist/ it points at (`dev`); `''` for dist/ itself. */
  readonly folder: string;
}

/**
 * The dist/ folders that the rendered Argo CD Applications (`spec.source`, `spec.sources[]`) and Flux
 * Kustomizations point at, for sources that are `repository` (Kustomizations: via a rendered GitRepository
 * with its URL). Paths elsewhere in the repository (outside `repository.path`) are not ours to check.
 */
export function referencesOf(objects: readonly RenderedObject[], repository: Required<RepositoryProps>): GitOpsReference[] {
  const sameRepo = (url: unknown) => typeof url === 'string' && trimUrl(url) === trimUrl(repository.url);
  const gitRepos = new Set<string>();
  for (const o of objects) {
    const m = o.manifest;
    if (apiGroupOf(m.apiVersion) === 'source.toolkit.fluxcd.io' && m.kind === 'GitRepository' && sameRepo(m.spec?.url)) {
      gitRepos.add(`${m.metadata?.namespace ?? ''}/${m.metadata?.name}`);
    }
  }
  const refs: GitOpsReference[] = [];
  const add = (o: RenderedObject, field: string, p: unknown) => {
    if (typeof p !== 'string') return;
    const folder = folderOf(p, repository.path);
    if (folder === undefined) return;
    const m = o.manifest;
    refs.push({ from: o.apiObject.node.path, object: `${m.kind} ${m.metadata?.namespace ?? ''}/${m.metadata?.name}`, field, path: p, folder });
  };
  for (const o of objects) {
    const m = o.manifest;
    const group = apiGroupOf(m.apiVersion);
    if (group === 'argoproj.io' && m.kind === 'Application') {
      if (m.spec?.source && sameRepo(m.spec.source.repoURL)) add(o, 'spec.source.path', m.spec.source.path);
      (m.spec?.sources ?? []).forEach((s: any, i: number) => {
        if (sameRepo(s?.repoURL)) add(o, `spec.sources[${i}].path`, s.path);
      });
    }
    if (group === 'kustomize.toolkit.fluxcd.io' && m.kind === 'Kustomization') {
      const ref = m.spec?.sourceRef;
      const key = `${ref?.namespace ?? m.metadata?.namespace ?? ''}/${ref?.name}`;
      if (ref?.kind === 'GitRepository' && gitRepos.has(key)) add(o, 'spec.path', m.spec?.path ?? './');
    }
  }
  return refs;
}

/** The references whose folder has no kustomization.yaml among `files` (paths relative to dist/). */
export function unresolvedReferences(files: ReadonlyMap<string, unknown>, refs: readonly GitOpsReference[]): GitOpsReference[] {
  return refs.filter((r) => !files.has(r.folder ? `${r.folder}/kustomization.yaml` : 'kustomization.yaml'));
}

/** Throws unless every reference points at a folder that synth writes (with a kustomization.yaml). */
export function checkReferences(files: ReadonlyMap<string, unknown>, refs: readonly GitOpsReference[]): void {
  const missing = unresolvedReferences(files, refs);
  if (missing.length === 0) return;
  const folders = [...files.keys()].filter((f) => f.endsWith('/kustomization.yaml')).map((f) => f.slice(0, -'/kustomization.yaml'.length)).sort();
  const lines = missing.map((r) => `${r.from}: ${r.field} of ${r.object} points at a folder synth does not write, got ${JSON.stringify(r.path)}; use one of: ${folders.join(', ')}`);
  throw new ConfigError(missing[0].from, missing[0].field, lines.join('\n'));
}

/** The folder below dist/ that `p` names, or undefined when `p` is outside dist/. */
function folderOf(p: string, distPath: string): string | undefined {
  const clean = p.split('/').filter((s) => s !== '' && s !== '.').join('/');
  if (!distPath) return clean;
  if (clean === distPath) return '';
  return clean.startsWith(`${distPath}/`) ? clean.slice(distPath.length + 1) : undefined;
}

function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
