import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

const UNIT = Symbol.for('typed-manifests.unit');

/**
 * Marks a construct as a unit of output: all API objects below it are written to one file named after it
 * (`<namespace>/<name>.yaml`). The library's service, worker, cron job and namespace constructs are units.
 */
export function markUnit(scope: IConstruct, name: string): void {
  Object.defineProperty(scope, UNIT, { value: name, enumerable: false });
}

/** The unit name of an API object: its closest marked ancestor, else its chart's id. */
export function unitOf(obj: ApiObject): string {
  for (let c: IConstruct | undefined = obj.node.scope; c; c = c.node.scope) {
    const name = (c as any)[UNIT];
    if (name) return name;
    if (Chart.isChart(c)) return c.node.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  }
  return 'objects';
}
