import { IConstruct } from 'constructs';
import { configError } from './errors';
import { qualifiedNameProblem, isLabelValue } from './names';
import { INT64_SAFE_MAX, isIntInRange } from './numbers';

/** Toleration operators and taint effects the API server accepts. */
export const TOLERATION_OPERATORS = ['Equal', 'Exists'] as const;
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** Throws unless `value` is one of `allowed` (enum-like string fields: policies, operators, effects). */
export function assertOneOf<T extends string>(scope: IConstruct, prop: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw configError(scope, prop, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value, `use e.g. '${allowed[0]}'`);
  }
  return value as T;
}

/** A toleration in wire format (the fields the API server validates). */
export interface TolerationLike {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/**
 * Throws unless `t` is a toleration the API server accepts: a label-key `key` (empty only with `Exists`),
 * `operator` Equal or Exists (Exists takes no value), a label-value `value`, an effect from the taint effects, and
 * `tolerationSeconds` only with `NoExecute`.
 */
export function assertToleration(scope: IConstruct, prop: string, t: TolerationLike): TolerationLike {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) {
    throw configError(scope, prop, 'must be a toleration object', t, "write it like { key: 'pool', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }");
  }
  const operator = t.operator ?? 'Equal';
  assertOneOf(scope, `${prop}.operator`, operator, TOLERATION_OPERATORS);
  if (t.key !== undefined && t.key !== '') {
    const problem = qualifiedNameProblem(t.key);
    if (problem) throw configError(scope, `${prop}.key`, `is not a valid taint key (${problem})`, t.key, "write it like 'dedicated' or 'acme.example/pool'");
  } else if (operator !== 'Exists') {
    throw configError(scope, `${prop}.key`, "may be empty only with operator 'Exists'", t.key, "set a key, or operator: 'Exists' to tolerate every taint");
  }
  if (operator === 'Exists' && t.value !== undefined && t.value !== '') {
    throw configError(scope, `${prop}.value`, "must be empty with operator 'Exists'", t.value, "remove value, or use operator: 'Equal'");
  }
  if (t.value !== undefined && !isLabelValue(t.value)) {
    throw configError(scope, `${prop}.value`, 'must be a valid label value (at most 63 characters: letters, digits, \'-\', \'_\' and \'.\')', t.value, 'use the value of the node taint');
  }
  if (t.effect !== undefined && t.effect !== '') assertOneOf(scope, `${prop}.effect`, t.effect, TAINT_EFFECTS);
  if (t.tolerationSeconds !== undefined) {
    if (t.effect !== 'NoExecute') {
      throw configError(scope, `${prop}.tolerationSeconds`, "applies only to effect 'NoExecute'", t.tolerationSeconds, "set effect: 'NoExecute' or remove tolerationSeconds");
    }
    if (!isIntInRange(t.tolerationSeconds, -INT64_SAFE_MAX, INT64_SAFE_MAX)) {
      throw configError(scope, `${prop}.tolerationSeconds`, 'must be an integer number of seconds', t.tolerationSeconds, 'use e.g. 300');
    }
  }
  return t;
}

/** Node selector requirement operators (node affinity terms). */
export const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;

/**
 * Throws unless `term` is a node selector term the API server accepts: each `matchExpressions` entry has a label
 * key, an operator from the enum, values for In/NotIn (label values), none for Exists/DoesNotExist, and one integer
 * for Gt/Lt.
 */
export function assertNodeSelectorTerm(scope: IConstruct, prop: string, term: { readonly matchExpressions?: readonly any[]; readonly matchFields?: readonly any[] }): void {
  if (term === null || typeof term !== 'object' || Array.isArray(term)) {
    throw configError(scope, prop, 'must be a node selector term', term, "write it like { matchExpressions: [{ key: 'pool', operator: 'In', values: ['batch'] }] }");
  }
  for (const list of ['matchExpressions', 'matchFields'] as const) {
    const reqs = term[list];
    if (reqs === undefined) continue;
    if (!Array.isArray(reqs)) throw configError(scope, `${prop}.${list}`, 'must be a list', reqs, "write it like [{ key: 'pool', operator: 'In', values: ['batch'] }]");
    reqs.forEach((r, i) => {
      const at = `${prop}.${list}[${i}]`;
      const problem = qualifiedNameProblem(r?.key);
      if (problem) throw configError(scope, `${at}.key`, `is not a valid label key (${problem})`, r?.key, "write it like 'kubernetes.io/arch'");
      const op = assertOneOf(scope, `${at}.operator`, r.operator, NODE_SELECTOR_OPERATORS);
      const values: unknown = r.values;
      if (values !== undefined && !Array.isArray(values)) throw configError(scope, `${at}.values`, 'must be a list of strings', values, "write it like ['amd64']");
      const v = (values ?? []) as unknown[];
      if ((op === 'In' || op === 'NotIn') && (v.length === 0 || v.some((x) => typeof x !== 'string' || !isLabelValue(x)))) {
        throw configError(scope, `${at}.values`, `must list label values for operator '${op}'`, values, "write it like ['amd64']");
      }
      if ((op === 'Exists' || op === 'DoesNotExist') && v.length > 0) {
        throw configError(scope, `${at}.values`, `must be empty for operator '${op}'`, values, 'remove values');
      }
      if ((op === 'Gt' || op === 'Lt') && (v.length !== 1 || typeof v[0] !== 'string' || !/^-?[0-9]+$/.test(v[0] as string))) {
        throw configError(scope, `${at}.values`, `must be one integer, as a string, for operator '${op}'`, values, "write it like ['4']");
      }
    });
  }
}
