// What synth hands to the stages capabilities register: rendered objects, objects laid out into dist/, and the
// previous dist/. Plain data, so that capabilities (below gitops) and gitops share it without importing each other.
import * as fs from 'fs';
import * as path from 'path';
import type { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** One API object as it will be written. */
export interface RenderedObject {
  readonly apiObject: ApiObject;
  /** The manifest, as written to disk. */
  readonly manifest: any;
  /** Folder below dist/ (`dev`, `prod/prod-eu-1`, `argocd`). */
  readonly folder: string;
  /** File below the folder (`storefront/web.yaml`, `_cluster/storefront.yaml`). */
  readonly file: string;
}

/** An object as laid out into dist/ (what `layoutFiles` takes). */
export interface LaidOutObject {
  /** Target folder below dist/ (`dev`, `prod/prod-eu-1`). */
  readonly folder: string;
  /** File below the folder (`storefront/api.yaml`). */
  readonly file: string;
  readonly manifest: any;
  /** The construct that rendered it: its policy exemptions also cover objects derived from it. */
  readonly apiObject?: IConstruct;
}

/** Reads a file of the previous dist/ by its path below dist/; undefined when there is none. */
export type PreviousTree = (file: string) => string | undefined;

/** The previous tree in folder `dir` (a missing folder or file reads as undefined). */
export function previousTreeIn(dir: string): PreviousTree {
  return (file) => {
    try {
      return fs.readFileSync(path.join(dir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The previous tree held in memory (path below dist/ -> content). */
export function previousTreeOf(files: ReadonlyMap<string, string>): PreviousTree {
  return (file) => files.get(file);
}
