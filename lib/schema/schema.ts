import { IConstruct } from 'constructs';
import { configError } from '../core/errors';

const KNOWN = Symbol.for('typed-manifests.schema-known-kinds');

/** A kind declared known without a schema, and why. */
export interface KnownKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly reason: string;
  /** Path of the construct the declaration was made on. */
  readonly scopePath: string;
}

/**
 * Schema declarations. Synth validates every object against its schema; a kind with no vendored schema (a
 * CRD the repository does not carry, a beta API) fails synth unless declared known here, with a reason.
 */
export class Schema {
  /**
   * Declares that objects of `apiVersion`/`kind` at or below `scope` have no vendored schema on purpose: they
   * are written as they are, unchecked.
   *
   * @example Schema.declareKnown(backups, 'velero.io/v1', 'Restore', 'restores are written by hand during incidents')
   * @param scope the construct (a chart, a service, a single ApiObject) the declaration covers
   * @param reason why no schema is needed (required, shown to reviewers)
   */
  public static declareKnown(scope: IConstruct, apiVersion: string, kind: string, reason: string): void {
    if (typeof apiVersion !== 'string' || !/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion)) {
      throw configError(scope, 'apiVersion', 'must be an API version (`<group>/<version>` or `v1`)', apiVersion, "use e.g. 'velero.io/v1'");
    }
    if (typeof kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
      throw configError(scope, 'kind', 'must be a kind name in PascalCase', kind, "use e.g. 'Restore'");
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw configError(scope, 'reason', `must say why ${apiVersion} ${kind} needs no schema`, reason,
        "pass a sentence a reviewer can check, e.g. 'the vendor publishes no CRD schema for this beta API'");
    }
    let own: KnownKind[] | undefined = (scope as any)[KNOWN];
    if (!own) {
      own = [];
      Object.defineProperty(scope, KNOWN, { value: own, enumerable: false });
    }
    own.push({ apiVersion, kind, reason: reason.trim(), scopePath: scope.node.path });
  }

  /** The declaration that covers `apiVersion`/`kind` at `scope` (its own or an ancestor's), if any. */
  public static knownFor(scope: IConstruct, apiVersion: string, kind: string): KnownKind | undefined {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const own: KnownKind[] | undefined = (c as any)[KNOWN];
      const hit = own?.find((k) => k.apiVersion === apiVersion && k.kind === kind);
      if (hit) return hit;
    }
    return undefined;
  }

  private constructor() {}
}
