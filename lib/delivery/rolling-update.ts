import type { IDeliveryStrategy } from '../workloads/delivery-strategy';
import type { HardenedService } from '../workloads/hardened-service';

/** The Deployment's own rolling update (the default when a service has no delivery strategy): adds nothing. */
export class RollingUpdate implements IDeliveryStrategy {
  public bind(_service: HardenedService): void {
    // the Deployment already rolls out with maxSurge 25% and maxUnavailable 0 (lib/workloads/defaults.ts)
  }
}
