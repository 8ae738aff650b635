import { Construct } from 'constructs';
import { WORKLOAD_DEFAULTS as D } from './defaults';
import { LongRunningProps, LongRunningWorkload } from './long-running-workload';
import { assertPort } from './probe';

export interface HardenedWorkerProps extends LongRunningProps {
  /**
   * Port of the worker's health endpoint; probes hit it. It is not exposed: no Service, no ingress.
   * @default 8080
   */
  readonly healthPort?: number;
}

/**
 * A background worker (queue consumer, stream processor): like HardenedService but with no Service and no
 * ingress at all. Probes default to HTTP /healthz on the health port.
 */
export class HardenedWorker extends LongRunningWorkload {
  public readonly healthPort: number;

  constructor(scope: Construct, id: string, props: HardenedWorkerProps) {
    const healthPort = props.healthPort ?? D.workerHealthPort;
    super(scope, id, props, 'worker', { name: 'health', port: healthPort, prop: 'healthPort' }, 'HardenedWorkerProps');
    this.healthPort = assertPort(this, 'healthPort', healthPort);
    this.use(...(props.use ?? []));
  }
}
