import type { Chart } from 'cdk8s';
import { addEnvironmentSettings, EnvironmentSettings, Target } from './environment';

/**
 * What one capability (a folder of lib/ such as storage or tenancy) contributes to the platform, registered once
 * with `registerCapability`. The environment model, the GitOps app, the diff and the review read the registry and
 * name no capability. Every part is optional.
 */
export interface Capability extends EnvironmentSettings {
  /** The capability's name, its folder name (`storage`): named in errors and in the registry listing. */
  readonly name: string;
  /**
   * Objects the capability renders once per target from its cluster and environment settings (a platform-owned
   * Gateway), called when the GitOps app creates the target's chart, before the app's own constructs.
   * @default - none
   */
  readonly renderTarget?: (chart: Chart, target: Target<any, any>) => void;
}

const registry: Capability[] = [];

/**
 * Adds a capability to the registry (once; registering the same object again changes nothing). A second, different
 * capability with a taken name is refused: its contributions would run twice.
 */
export function registerCapability(capability: Capability): void {
  if (registry.includes(capability)) return;
  const taken = registry.find((c) => c.name === capability.name);
  if (taken) throw new Error(`registerCapability: a capability named '${capability.name}' is already registered; give each capability its own name`);
  registry.push(capability);
  addEnvironmentSettings(capability);
}

/** The registered capabilities, in registration order (the order their contributions run in). */
export function registeredCapabilities(): readonly Capability[] {
  return registry;
}
