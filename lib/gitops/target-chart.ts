import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { namespaceScopeOf } from '../core';

/** Path parts cdk8s itself leaves out of generated names (cdk8s-plus puts its object at `<id>/Resource`). */
const HIDDEN = new Set(['Resource', 'Default']);

/**
 * The chart of one environment target. Objects that stock cdk8s-plus or generated (imports/) constructs create
 * without a name inside one of the library's namespace scopes (PlatformNamespace, a team's namespace) get a human
 * name from their path below that scope (`web`, `web-service`) instead of cdk8s's path-plus-hash, so names do not
 * change when the code around the scope is refactored. Elsewhere, cdk8s's naming applies.
 */
export class TargetChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  public generateObjectName(apiObject: ApiObject): string {
    const owner = namespaceScopeOf(apiObject);
    if (owner) {
      const name = humanName(apiObject, owner.scope, apiObject.kind === 'CronJob' ? 52 : 63);
      if (name) return name;
    }
    return super.generateObjectName(apiObject);
  }
}

/** The DNS-1123 label of the path from `below` (exclusive) to `c`, or undefined when none fits in `maxLen`. */
function humanName(c: Construct, below: Construct, maxLen: number): string | undefined {
  const parts: string[] = [];
  for (let x: Construct | undefined = c; x && x !== below; x = x.node.scope as Construct | undefined) {
    if (!HIDDEN.has(x.node.id)) parts.unshift(x.node.id);
  }
  const name = parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return name.length > 0 && name.length <= maxLen ? name : undefined;
}
