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

/** The unit of an API object: its name, and the path of the construct that gave it (for clash errors). */
export interface UnitRef {
  readonly name: string;
  readonly ownerPath: string;
}

/** The unit of an API object: its closest marked ancestor, else its chart (named after the chart's id). */
export function unitRefOf(obj: ApiObject): UnitRef {
  for (let c: IConstruct | undefined = obj.node.scope; c; c = c.node.scope) {
    const name = (c as any)[UNIT];
    if (name) return { name, ownerPath: c.node.path };
    if (Chart.isChart(c)) return { name: c.node.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-'), ownerPath: c.node.path };
  }
  return { name: 'objects', ownerPath: obj.node.path };
}
