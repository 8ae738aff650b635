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
