import { checkProps, configError } from '../core';
import { HardenedService } from '../workloads/hardened-service';
import type { IWorkload, IWorkloadExtension } from '../workloads/workload';
import { ExposedRoute, ExposureOptions } from './exposed-route';

/**
 * Exposes a service on host names of its environment, attached in `use: [...]`:
 *
 * ```ts
 * new HardenedService(ns, 'web', { ..., use: [Exposure.http({ hosts: ['{domain}'] })] });
 * ```
 *
 * Renders an `ExposedRoute` below the service (construct id `Exposure`).
 */
export class Exposure implements IWorkloadExtension {
  /** HTTP(S) routes (a GRPCRoute when the service's port is named grpc). */
  public static http(options: ExposureOptions = {}): Exposure {
    checkProps('Exposure.http', 'ExposureOptions', options);
    return new Exposure(options);
  }

  /** A GRPCRoute. */
  public static grpc(options: Omit<ExposureOptions, 'protocol' | 'paths'> = {}): Exposure {
    return new Exposure({ ...options, protocol: 'grpc' });
  }

  /** The route of the last workload this exposure was bound to. */
  public route?: ExposedRoute;
  /** The route a canary splits is this one: bind after the delivery strategy registered its backends. */
  public readonly bindAfterDelivery = true;

  private constructor(public readonly options: ExposureOptions) {}

  public bind(workload: IWorkload): void {
    if (!(workload instanceof HardenedService)) {
      throw configError(workload, 'use', `exposes a ${workload.component} without a Service (${workload.controller.kind} '${workload.name}'), so there is nothing to route to`,
        'Exposure', 'expose a HardenedService, or give the workload a port by making it one');
    }
    this.route = new ExposedRoute(workload, 'Exposure', { ...this.options, service: workload });
  }
}
