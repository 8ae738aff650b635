import { IConstruct } from 'constructs';
import { configError } from '../core';
import { REVIEW_DEFAULTS } from './defaults';

/** What a change can risk; `REVIEW_DEFAULTS.riskLevels` says how serious each is. */
export type RiskKind = keyof typeof REVIEW_DEFAULTS.riskLevels;

export const RISK_KINDS = Object.keys(REVIEW_DEFAULTS.riskLevels) as RiskKind[];

/** A risk accepted on purpose, with the reason a reviewer reads. */
export interface Acknowledgement {
  readonly risk: RiskKind;
  readonly reason: string;
  /** Path of the construct the acknowledgement was declared on. */
  readonly scopePath: string;
  /**
   * Only objects whose `Kind/namespace/name` (or `Kind/name`) equals this; for objects the change removes,
   * which no longer have a construct to carry an acknowledgement.
   */
  readonly object?: string;
}

const ACKS = Symbol.for('typed-manifests.review-acknowledgements');

/**
 * Review acknowledgements: a high risk that `npm run review -- --check` would fail on is accepted in code, with
 * a reason, like a policy exemption. The acknowledgement covers risks on objects rendered at or below `scope`;
 * with `object`, also a removed object of the scope's targets.
 */
export class Review {
  /**
   * @example Review.acknowledge(db, 'pvc-template-change', 'storage grows to 50Gi; PVCs expanded by runbook RB-12')
   * @example Review.acknowledge(scope, 'data-loss', 'the legacy cache held no state', { object: 'StatefulSet/storefront/cache' })
   */
  public static acknowledge(scope: IConstruct, risk: RiskKind, reason: string, options: { readonly object?: string } = {}): void {
    if (!RISK_KINDS.includes(risk)) {
      throw configError(scope, 'risk', 'is not a review risk kind', risk, `use one of ${RISK_KINDS.join(', ')}`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw configError(scope, 'reason', `must say why the ${risk} risk is accepted`, reason, "write a sentence a reviewer can check, e.g. 'PVCs expanded by runbook RB-12'");
    }
    if (options.object !== undefined && !/^[A-Za-z][A-Za-z0-9]*\/[^/\s]+(\/[^/\s]+)?$/.test(options.object)) {
      throw configError(scope, 'object', 'must be Kind/namespace/name or Kind/name', options.object, "write it like 'StatefulSet/storefront/db'");
    }
    let own: Acknowledgement[] | undefined = (scope as any)[ACKS];
    if (!own) {
      own = [];
      Object.defineProperty(scope, ACKS, { value: own, enumerable: false });
    }
    own.push({ risk, reason: reason.trim(), scopePath: scope.node.path, ...(options.object ? { object: options.object } : {}) });
  }

  /** The acknowledgements declared at or above `scope`, closest first. */
  public static acknowledgementsOf(scope: IConstruct): Acknowledgement[] {
    const out: Acknowledgement[] = [];
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const own: Acknowledgement[] | undefined = (c as any)[ACKS];
      if (own) out.push(...own);
    }
    return out;
  }

  /** Every acknowledgement declared in the tree of `root`, in tree order. */
  public static allIn(root: IConstruct): Acknowledgement[] {
    return root.node.findAll().flatMap((c) => ((c as any)[ACKS] as Acknowledgement[] | undefined) ?? []);
  }

  private constructor() {}
}
