import type { RenderedObject } from '../gitops/layout';

/** Placeholder: the policy engine replaces this with the restricted + hygiene rules. */
export function checkPolicy(_objects: readonly RenderedObject[]): void {}
