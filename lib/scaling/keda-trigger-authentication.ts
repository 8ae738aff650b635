import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps } from '../core';

/**
 * Credentials of a trigger: keys of a Secret the workload declares (`secretEnv`, a secret source), mapped to the
 * scaler's authentication parameters. Rendered as a TriggerAuthentication with `secretTargetRef`.
 */
export interface TriggerSecret {
  /** The Secret's name. */
  readonly secret: string;
  /** Authentication parameter -> key of the Secret (`{ host: 'url' }` for RabbitMQ, `{ sasl: 'sasl', username: 'user', password: 'password' }` for Kafka). */
  readonly keys: Record<string, string>;
}

export interface KedaTriggerAuthenticationProps {
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  readonly secret: TriggerSecret;
}

/** A KEDA TriggerAuthentication reading a trigger's credentials from keys of one Secret (`secretTargetRef`). */
export class KedaTriggerAuthentication extends Construct {
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: KedaTriggerAuthenticationProps) {
    super(scope, id);
    checkProps(this, 'KedaTriggerAuthenticationProps', props);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        secretTargetRef: Object.entries(props.secret.keys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([parameter, key]) => ({ parameter, name: props.secret.secret, key })),
      },
    });
  }
}
