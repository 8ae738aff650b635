import { ArgoBlueGreen, ArgoBlueGreenOptions } from './argo-blue-green';
import { ArgoCanary, ArgoCanaryOptions } from './argo-canary';
import { FlaggerCanary, FlaggerOptions } from './flagger-canary';
import { RollingUpdate } from './rolling-update';

/**
 * How a service's new versions reach users, chosen per environment on the same hardened pod template:
 *
 * ```ts
 * delivery: env.pick({
 *   dev: Delivery.rollingUpdate(),
 *   staging: Delivery.canary({ trafficRouting: TrafficRouting.istio(), slo }),
 *   prod: Delivery.canary({ trafficRouting: TrafficRouting.istio(), slo, steps: [...] }),
 * })
 * ```
 */
export class Delivery {
  /** The Deployment's rolling update (what a service without `delivery` does). */
  public static rollingUpdate(): RollingUpdate {
    return new RollingUpdate();
  }

  /** An Argo Rollouts canary: weighted steps, optional Istio or Gateway API routing, analysis from the SLO. */
  public static canary(options: ArgoCanaryOptions = {}): ArgoCanary {
    return new ArgoCanary(options);
  }

  /** An Argo Rollouts blue-green deployment: active and preview Services, promotion analysis from the SLO. */
  public static blueGreen(options: ArgoBlueGreenOptions = {}): ArgoBlueGreen {
    return new ArgoBlueGreen(options);
  }

  /** A Flagger Canary (canary or, with `iterations`, blue-green mode), checked against the SLO. */
  public static flagger(options: FlaggerOptions): FlaggerCanary {
    return new FlaggerCanary(options);
  }

  private constructor() {}
}
