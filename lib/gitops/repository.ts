import { IConstruct } from 'constructs';
import { configError } from '../core';

/** The Git repository that holds dist/ and that Argo CD and Flux sync from. */
export interface RepositoryProps {
  /** Clone URL (`https://github.com/acme/platform-gitops.git` or `ssh://git@github.com/acme/platform-gitops.git`). */
  readonly url: string;
  /**
   * Branch, tag or commit the controllers follow. A 40-hex-digit value is a commit, `refs/heads/x` a branch,
   * `refs/tags/x` and version-like values (`v1.2.3`, `1.4`) tags, anything else a branch name.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Path of dist/ inside the repository (`dist`, `deploy/dist`; `.` when dist/ is the repository root).
   * @default 'dist'
   */
  readonly path?: string;
}

export const DEFAULT_REPOSITORY_URL = 'https://example.invalid/platform.git';
export const DEFAULT_REVISION = 'main';
export const DEFAULT_REPOSITORY_PATH = 'dist';

/** How Flux's GitRepository `spec.ref` names a revision. */
export type GitRef =
  | { readonly branch: string }
  | { readonly tag: string }
  | { readonly commit: string }
  | { readonly name: string };

/** Classifies a revision (see RepositoryProps.revision). */
export function gitRefOf(revision: string): GitRef {
  if (/^[0-9a-f]{40}$/.test(revision)) return { commit: revision };
  const head = /^refs\/heads\/(.+)$/.exec(revision);
  if (head) return { branch: head[1] };
  const tag = /^refs\/tags\/(.+)$/.exec(revision);
  if (tag) return { tag: tag[1] };
  if (revision.startsWith('refs/')) return { name: revision };
  if (/^v?\d+(\.\d+)+([-+][0-9A-Za-z.-]+)?$/.test(revision)) return { tag: revision };
  return { branch: revision };
}

/** The revision as Argo CD's `targetRevision` takes it: a plain branch, tag or commit. */
export function argoRevisionOf(revision: string): string {
  const ref = gitRefOf(revision);
  if ('branch' in ref) return ref.branch;
  if ('tag' in ref) return ref.tag;
  if ('commit' in ref) return ref.commit;
  return ref.name;
}

/** Validated repository settings, with defaults applied and the path normalized (`./dist/` -> `dist`, `.` -> ``). */
export function resolveRepository(scope: IConstruct, props: RepositoryProps | undefined): Required<RepositoryProps> {
  const url = props?.url ?? DEFAULT_REPOSITORY_URL;
  if (typeof url !== 'string' || !/^((https?|ssh|git|file):\/\/\S+|[\w.-]+@[\w.-]+:\S+)$/.test(url)) {
    throw configError(scope, 'repository.url', 'must be a Git clone URL', url, "use e.g. 'https://github.com/acme/platform-gitops.git'");
  }
  const revision = props?.revision ?? DEFAULT_REVISION;
  if (typeof revision !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._\/+-]*$/.test(revision) || revision.includes('..') || revision.endsWith('/')) {
    throw configError(scope, 'repository.revision', 'must be a branch, tag or commit', revision, "use e.g. 'main', 'v1.2.0' or a 40-digit commit");
  }
  if (revision === 'HEAD') {
    throw configError(scope, 'repository.revision', 'must name a branch, tag or commit (Flux has no HEAD)', revision, "name the branch, e.g. 'main'");
  }
  const raw = props?.path ?? DEFAULT_REPOSITORY_PATH;
  const segments = String(raw).split('/').filter((s) => s !== '' && s !== '.');
  if (typeof raw !== 'string' || raw.startsWith('/') || segments.some((s) => s === '..' || !/^[A-Za-z0-9._-]+$/.test(s))) {
    throw configError(scope, 'repository.path', 'must be a relative folder inside the repository', raw, "use e.g. 'dist' or 'deploy/dist'");
  }
  return { url, revision, path: segments.join('/') };
}

/** `<repository.path>/<folder>` (just `<folder>` when dist/ is the repository root). */
export function repositoryPathOf(repository: Required<RepositoryProps>, folder: string): string {
  return repository.path ? `${repository.path}/${folder}` : folder;
}
