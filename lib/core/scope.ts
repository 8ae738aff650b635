import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

const NAMESPACE = Symbol.for('typed-manifests.namespace');

/** Declares that constructs below `scope` live in `namespace` (set by PlatformNamespace). */
export function setNamespace(scope: IConstruct, namespace: string): void {
  Object.defineProperty(scope, NAMESPACE, { value: namespace, enumerable: false });
}

/** The closest ancestor (or `scope` itself) that declared a namespace with `setNamespace`, if any. */
export function namespaceScopeOf(scope: IConstruct): { readonly scope: IConstruct; readonly namespace: string } | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    const ns = (c as any)[NAMESPACE];
    if (ns) return { scope: c, namespace: ns };
  }
  return undefined;
}

/** The namespace a construct lives in: the closest declaring ancestor, else its chart's namespace. */
export function namespaceOf(scope: IConstruct): string | undefined {
  for (let c: IConstruct | undefined = scope.node.scope; c; c = c.node.scope) {
    const ns = (c as any)[NAMESPACE];
    if (ns) return ns;
    if (Chart.isChart(c) && c.namespace) return c.namespace;
  }
  return undefined;
}
