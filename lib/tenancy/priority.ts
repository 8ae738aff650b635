import { assertDnsSubdomain } from '../core';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';

/**
 * A workload's priority class: `use: [Priority.of('critical')]`. The class must be rendered in the target
 * (by `PriorityClasses`); policy rule `tenancy-priority-class-declared` checks it.
 */
export class Priority implements IWorkloadExtension {
  public static of(className: string): Priority {
    return new Priority(className);
  }

  private constructor(public readonly className: string) {}

  public bind(workload: IWorkload): void {
    workload.pod.setPriorityClassName(assertDnsSubdomain(workload, 'priorityClassName', this.className));
  }
}
