import { IConstruct } from 'constructs';
import { configError } from '../core';

/** An image reference split into its parts. */
export interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

// [registry[:port]/]path[:tag][@sha256:<64 hex>]
const IMAGE = /^((?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/;

/** Parses an image reference and requires it to be pinned: a tag other than `latest`, or a digest. */
export function parsePinnedImage(scope: IConstruct, prop: string, image: string): ImageRef {
  const m = typeof image === 'string' ? IMAGE.exec(image) : null;
  if (!m) {
    throw configError(scope, prop, 'is not a valid image reference', image, "write it as 'registry/name:tag' or 'registry/name@sha256:<digest>'");
  }
  const [, repository, tag, digest] = m;
  if (!tag && !digest) {
    throw configError(scope, prop, 'must be pinned by a tag or a digest (an untagged image means latest)', image, `use e.g. '${repository}:1.2.3' or '${repository}@sha256:<digest>'`);
  }
  if (tag === 'latest' && !digest) {
    throw configError(scope, prop, "must not use the mutable 'latest' tag", image, `pin a version, e.g. '${repository}:1.2.3', or a digest`);
  }
  return { repository, tag, digest };
}

/**
 * The `app.kubernetes.io/version` label for an image: its tag, else the first 12 hex digits of its digest; undefined
 * when the tag cannot be a label value and there is no digest.
 */
export function versionOf(ref: ImageRef): string | undefined {
  if (ref.tag && ref.tag.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(ref.tag)) return ref.tag;
  return ref.digest ? `sha256-${ref.digest.slice('sha256:'.length, 'sha256:'.length + 12)}` : undefined;
}

/** A workload as an image resolver sees it: where it runs and the image its code declares. */
export interface ImageRequest {
  /** The workload's construct (its target says which environment and cluster it is rendered for). */
  readonly scope: IConstruct;
  readonly namespace: string;
  readonly name: string;
  /** The image reference the code declares. */
  readonly image: string;
}

/** Returns the image a workload runs where it is rendered (the declared one, or another release of it). */
export type ImageResolver = (request: ImageRequest) => string;

const RESOLVERS = Symbol.for('typed-manifests.image-resolvers');

/**
 * Registers a resolver for the images of every workload under `scope`'s root, consulted when the workload binds
 * (its pod template is built from the answer, so nothing is patched after rendering). Capabilities that decide
 * which release a target runs (promotion) register here; resolvers run in registration order.
 */
export function addImageResolver(scope: IConstruct, resolver: ImageResolver): void {
  const root = scope.node.root as any;
  if (!root[RESOLVERS]) Object.defineProperty(root, RESOLVERS, { value: [], enumerable: false });
  root[RESOLVERS].push(resolver);
}

/** The image a workload runs: the declared one passed through the resolvers registered on its root. */
export function resolveImage(request: ImageRequest): string {
  const list = (request.scope.node.root as any)[RESOLVERS] as ImageResolver[] | undefined;
  let image = request.image;
  for (const r of list ?? []) image = r({ ...request, image });
  return image;
}
