import { IConstruct } from 'constructs';
import { Target, targetOf } from '../environments/environment';
import { KubernetesVersion, SCHEMA_DEFAULTS as D } from './defaults';
import { fieldRule, minorNumber } from './version-rules';

/** A fallback the library chose for a target because its Kubernetes version is older than a feature needs. */
export interface CompatibilityNote {
  /** The VERSION_RULES id (`lifecycle-sleep-action`). */
  readonly rule: string;
  /** Minor the feature needs. */
  readonly needs: KubernetesVersion;
  /** What was rendered instead. */
  readonly fallback: string;
  /** How many objects got the fallback. */
  readonly count: number;
}

const NOTES = new WeakMap<object, Map<string, number>>();

/** The Kubernetes minor a construct renders for: its target cluster's, else the default (`'1.36'`). */
export function kubernetesVersionOf(scope: IConstruct): KubernetesVersion {
  return targetOf(scope)?.cluster.kubernetesVersion ?? D.kubernetesVersion;
}

/**
 * Version-aware rendering: constructs ask whether their target supports a feature of VERSION_RULES and record
 * the fallback they render when it does not; synth lists the fallbacks per target.
 */
export class Compatibility {
  /** Whether the scope's target version has the feature `ruleId` (a `field` row of VERSION_RULES). */
  public static supports(scope: IConstruct, ruleId: string): boolean {
    return minorNumber(kubernetesVersionOf(scope)) >= minorNumber(fieldRule(ruleId).since);
  }

  /** Records that `scope` rendered the documented fallback of `ruleId` (listed by synth for its target). */
  public static recordFallback(scope: IConstruct, ruleId: string): void {
    fieldRule(ruleId); // unknown ids are a library bug
    const key = targetOf(scope) ?? scope.node.root;
    let notes = NOTES.get(key);
    if (!notes) NOTES.set(key, (notes = new Map()));
    notes.set(ruleId, (notes.get(ruleId) ?? 0) + 1);
  }

  /**
   * The fallbacks recorded for a target (the `Target` object of a GitOpsApp), or for constructs outside any
   * target, for their root construct.
   */
  public static notesOf(targetOrRoot: object): CompatibilityNote[] {
    const notes = NOTES.get(targetOrRoot);
    if (!notes) return [];
    return [...notes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([rule, count]) => {
      const r = fieldRule(rule);
      return { rule, needs: r.since, fallback: r.fallback ?? '', count };
    });
  }

  private constructor() {}
}

/** The version fallbacks the library chose, per target (e.g. the preStop drain on a 1.29 cluster); was `GitOpsApp.compatibilityNotes()`. */
export function compatibilityNotesOf<T extends Target<any, any>>(targets: readonly T[]): { readonly target: T; readonly notes: CompatibilityNote[] }[] {
  return targets.map((target) => ({ target, notes: Compatibility.notesOf(target) })).filter((x) => x.notes.length > 0);
}

/** The compatibility notes as synth prints them (empty when there are none). */
export function formatCompatibilityNotes(list: readonly { readonly target: Target<any, any>; readonly notes: readonly CompatibilityNote[] }[]): string {
  if (list.length === 0) return '';
  const lines = ['compatibility notes (fallbacks for older Kubernetes versions):'];
  for (const { target, notes } of list) {
    for (const n of notes) {
      lines.push(`  ${target.path} (Kubernetes ${target.cluster.kubernetesVersion}): ${n.rule} needs ${n.needs}, fallback used ${n.count} time${n.count === 1 ? '' : 's'}: ${n.fallback}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
