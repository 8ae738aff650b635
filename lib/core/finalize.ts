import { IConstruct } from 'constructs';

const FINALIZERS = Symbol.for('typed-manifests.finalizers');

/**
 * Registers `fn` to run once the construct tree is built, before anything renders: for objects derived from
 * the whole of a target (mesh authorization from the complete connection graph). GitOpsApp runs them after each
 * `forEachTarget` and before rendering; each runs once.
 */
export function addFinalizer(scope: IConstruct, fn: () => void): void {
  const root = scope.node.root as any;
  if (!root[FINALIZERS]) Object.defineProperty(root, FINALIZERS, { value: [], enumerable: false });
  root[FINALIZERS].push(fn);
}

/** Runs (and forgets) the finalizers registered below `scope`'s root, in registration order. */
export function runFinalizers(scope: IConstruct): void {
  const list = (scope.node.root as any)[FINALIZERS] as (() => void)[] | undefined;
  while (list && list.length > 0) list.shift()!();
}
