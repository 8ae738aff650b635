import type { HardenedService } from './hardened-service';

/**
 * How a service's new versions reach users. The default is the Deployment's rolling update; progressive
 * strategies (lib/delivery: `Delivery.canary(...)`, `Delivery.blueGreen(...)`, `Delivery.flagger(...)`)
 * implement this on the same hardened pod template.
 */
export interface IDeliveryStrategy {
  /** Called once, at the end of the service's constructor, to add or rewire objects. */
  bind(service: HardenedService): void;
}
