import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertDnsSubdomain, assertInt, checkProps, configError, markUnit } from '../core';
import { TENANCY_DEFAULTS as D } from './defaults';

/** One PriorityClass. */
export interface PriorityClassOptions {
  readonly name: string;
  /** Higher runs first; at most 1000000000 (the system classes sit above). */
  readonly value: number;
  /**
   * `Never`: the class waits for room instead of evicting lower pods.
   * @default 'PreemptLowerPriority'
   */
  readonly preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  /** The class of pods that name none; at most one class may be the global default. @default false */
  readonly globalDefault?: boolean;
  /** @default - none */
  readonly description?: string;
}

export interface PriorityClassesProps {
  /**
   * The platform's classes, declared once (a constant shared by every target).
   * @default - TENANCY_DEFAULTS.priorityClasses: critical (100000, preempts), default (1000, global default), batch (100, never preempts)
   */
  readonly classes?: readonly PriorityClassOptions[];
}

/**
 * The platform's PriorityClasses, rendered cluster-scoped into a target (`_cluster/priority-classes.yaml`).
 * A workload naming a class that is not rendered in its target fails policy rule `tenancy-priority-class-declared`.
 */
export class PriorityClasses extends Construct {
  /** The class names, in declaration order. */
  public readonly names: readonly string[];
  public readonly objects: ReadonlyMap<string, ApiObject>;

  constructor(scope: Construct, id: string, props: PriorityClassesProps = {}) {
    super(scope, id);
    checkProps(this, 'PriorityClassesProps', props);
    markUnit(this, 'priority-classes');
    const classes = props.classes ?? D.priorityClasses;
    if (classes.length === 0) throw configError(this, 'classes', 'lists no class', classes, 'omit classes for the defaults, or declare at least one');
    const objects = new Map<string, ApiObject>();
    classes.forEach((c, i) => {
      assertDnsSubdomain(this, `classes[${i}].name`, c.name);
      if (c.name.startsWith('system-')) throw configError(this, `classes[${i}].name`, "uses the 'system-' prefix reserved for Kubernetes", c.name, 'pick another name');
      if (objects.has(c.name)) throw configError(this, `classes[${i}].name`, 'is declared twice', c.name, 'declare each class once');
      assertInt(this, `classes[${i}].value`, c.value, -2147483648, 1000000000, 1000);
      const policy = c.preemptionPolicy ?? 'PreemptLowerPriority';
      if (policy !== 'PreemptLowerPriority' && policy !== 'Never') {
        throw configError(this, `classes[${i}].preemptionPolicy`, 'must be PreemptLowerPriority or Never', c.preemptionPolicy, "use 'Never' for work that should wait");
      }
      objects.set(c.name, new ApiObject(this, c.name, {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: c.name, labels: { 'app.kubernetes.io/managed-by': 'cdk8s' } },
        value: c.value,
        preemptionPolicy: policy,
        globalDefault: c.globalDefault ?? false,
        description: c.description,
      }));
    });
    const defaults = classes.filter((c) => c.globalDefault);
    if (defaults.length > 1) {
      throw configError(this, 'classes', 'marks more than one class globalDefault', defaults.map((c) => c.name), 'keep globalDefault on one class');
    }
    this.names = [...objects.keys()];
    this.objects = objects;
  }
}
