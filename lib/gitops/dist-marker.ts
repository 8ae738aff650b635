import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { configError } from '../core';

/**
 * The file in the output folder that names the app which rendered it. Not YAML or JSON: neither Argo CD's
 * directory source (`*.yaml`, `*.yml`, `*.json`) nor kustomize (only what a kustomization.yaml lists) reads it,
 * and the `cdk8s synth` CLI lists only `.yaml` files.
 */
export const DIST_MARKER = '.rendered-by';

/**
 * The app being run: the entry `scripts/run.js` was given (relative to the repository), else the script node
 * runs. Two apps writing one folder is the mistake the marker catches.
 */
export function currentAppId(env: NodeJS.ProcessEnv = process.env): string {
  const entry = env.TYPED_MANIFESTS_APP ?? process.argv[1] ?? '<unknown>';
  const rel = path.isAbsolute(entry) ? path.relative(process.cwd(), entry) : entry;
  return rel.split(path.sep).join('/');
}

export function markerText(appId: string): string {
  return `# The app that rendered this folder (written by synth; another app refuses to write here).\napp: ${JSON.stringify(appId)}\n`;
}

/** The app named by the marker in `outdir`, or undefined (no marker: a new folder, or one from before markers). */
export function markedApp(outdir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(outdir, DIST_MARKER), 'utf8');
  } catch {
    return undefined;
  }
  const m = /^app: (".*")$/m.exec(text);
  try {
    return m ? JSON.parse(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Throws when `outdir` was rendered by another app: writing would replace that app's output. */
export function assertSameApp(scope: IConstruct, outdir: string, appId: string): void {
  const other = markedApp(outdir);
  if (other === undefined || other === appId) return;
  throw configError(scope, 'outdir', `is the output folder of another app (${other}, says ${path.join(outdir, DIST_MARKER)}); writing it would replace that app's manifests`,
    outdir, `give this app its own folder: new GitOpsApp({ outdir: 'dist-<name>', ... }) (and a repository path to match); or delete ${DIST_MARKER} there if the folder really changes hands`);
}
