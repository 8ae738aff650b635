import * as path from 'path';
import { ConfigError } from '../core';
import type { GitOpsApp } from './gitops-app';
import { objectKey, RenderedObject } from './layout';

/** One app of a repository that several apps render into, by the name errors use. */
export interface RepositoryApp {
  readonly name: string;
  readonly app: GitOpsApp<any, any>;
}

const MANAGEMENT_FOLDERS = new Set(['argocd', 'flux']);

/**
 * Checks that the apps of one GitOps repository can live side by side, the way the controllers will see them
 * (one Argo CD, one Flux, the same clusters): each writes its own output folder, read at its own repository
 * path, with its own Argo CD project and Flux name; no object is rendered by two apps (the controllers would
 * fight over it: Argo CD reports a shared resource, Flux flips it back and forth), cluster-scoped and platform
 * objects (StorageClasses, stores, argocd-cm) included, so a second app refers to them (`existing: true`,
 * `SecretStore.existing`, `applicationHealthCheck: false`) instead of rendering them again; and no namespace of
 * a cluster is written by two apps. Renders every app (validation and policy run); throws one ConfigError listing
 * every conflict, each naming both apps.
 */
export function checkSharedRepository(apps: readonly RepositoryApp[]): void {
  const problems: string[] = [];
  const seen = <T>(map: Map<string, T>, key: string, value: T): T | undefined => {
    const before = map.get(key);
    if (before === undefined) map.set(key, value);
    return before;
  };
  const outdirs = new Map<string, string>();
  const paths = new Map<string, string>();
  const projects = new Map<string, string>();
  const fluxNames = new Map<string, string>();
  for (const { name, app } of apps) {
    const outdir = path.resolve(app.outdir);
    const o = seen(outdirs, outdir, name);
    if (o) problems.push(`${name}: writes the output folder of ${o} (${app.outdir}); give each app its own outdir`);
    const p = seen(paths, app.repository.path, name);
    if (p) problems.push(`${name}: repository.path ${JSON.stringify(app.repository.path)} is ${p}'s too; the controllers would read one app's folder for both`);
    const project = app.argoCd?._tenancy.projectName;
    if (project !== undefined) {
      const other = seen(projects, project, name);
      if (other) problems.push(`${name}: Argo CD project ${JSON.stringify(project)} is ${other}'s too; set argoCd.project`);
    }
    const flux = app.flux?.gitRepository.metadata.name;
    if (flux !== undefined) {
      const other = seen(fluxNames, flux, name);
      if (other) problems.push(`${name}: Flux name ${JSON.stringify(flux)} is ${other}'s too; set flux.name`);
    }
  }

  const owners = new Map<string, { app: string; file: string }>();
  const namespaces = new Map<string, string>();
  for (const { name, app } of apps) {
    const serverOf = new Map(app.targets.map((t) => [t.path, t.cluster.server]));
    const claimed = new Set<string>();
    for (const o of app.render()) {
      const management = MANAGEMENT_FOLDERS.has(o.folder);
      const where = management ? `the ${o.folder} folder` : serverOf.get(o.folder) ?? o.folder;
      const key = `${where}|${objectKey(o.manifest)}`;
      const before = seen(owners, key, { app: name, file: `${o.folder}/${o.file}` });
      if (before && before.app !== name) {
        problems.push(`${name}: ${describe(o)} on ${where} is rendered by ${before.app} too (${before.file}); one owner: render it in one app and refer to it in the other`
          + ` (a StorageClass with existing: true, SecretStore.existing(...), argoCd.applicationHealthCheck: false)`);
      }
      if (management) continue;
      const ns = o.manifest?.kind === 'Namespace' ? o.manifest.metadata?.name : o.manifest?.metadata?.namespace;
      if (typeof ns === 'string') claimed.add(`${where}|${ns}`);
    }
    for (const c of [...claimed].sort()) {
      const other = seen(namespaces, c, name);
      if (other && other !== name) {
        const [server, ns] = c.split('|');
        problems.push(`${name}: namespace ${ns} on ${server} is ${other}'s; an app writes only into namespaces no other app of the repository writes into`);
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigError('repository', 'apps', `several apps, one repository:\n  ${[...new Set(problems)].join('\n  ')}`);
  }
}

function describe(o: RenderedObject): string {
  const m = o.manifest;
  return `${m?.kind} ${m?.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m?.metadata?.name}`;
}
