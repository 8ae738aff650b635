import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps } from '../core';
import type { SecretKeyRef } from '../workloads/workload-props';

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

/**
 * One authentication parameter of a scaler: from a key of a declared Secret, or a constant that KEDA only reads
 * from a TriggerAuthentication (it goes into a ConfigMap rendered beside it, never a Secret).
 */
export type TriggerAuthParameter =
  | { readonly parameter: string; readonly from: SecretKeyRef }
  | { readonly parameter: string; readonly value: string };

export interface KedaTriggerAuthenticationProps {
  readonly name: string;
  readonly namespace: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /**
   * Parameters from keys of one Secret.
   * @default - none (then `parameters` must give some)
   */
  readonly secret?: TriggerSecret;
  /**
   * Parameters from keys of declared Secrets, and constants.
   * @default - none
   */
  readonly parameters?: readonly TriggerAuthParameter[];
}

/**
 * A KEDA TriggerAuthentication: parameters from Secret keys (`secretTargetRef`), and constants KEDA reads only
 * from a TriggerAuthentication (RabbitMQ's `tls`, an OAuth token endpoint, a custom header name) from a ConfigMap
 * of the same name (`configMapTargetRef`).
 */
export class KedaTriggerAuthentication extends Construct {
  public readonly resource: ApiObject;
  /** The ConfigMap of constant parameters, when there are any. */
  public readonly constants?: ApiObject;

  constructor(scope: Construct, id: string, props: KedaTriggerAuthenticationProps) {
    super(scope, id);
    checkProps(this, 'KedaTriggerAuthenticationProps', props);
    const params: TriggerAuthParameter[] = [
      ...Object.entries(props.secret?.keys ?? {}).map(([parameter, key]) => ({ parameter, from: { secret: props.secret!.secret, key } })),
      ...(props.parameters ?? []),
    ].sort((a, b) => (a.parameter < b.parameter ? -1 : a.parameter > b.parameter ? 1 : 0));
    const fromSecrets = params.filter((p): p is Extract<TriggerAuthParameter, { from: SecretKeyRef }> => 'from' in p);
    const constants = params.filter((p): p is Extract<TriggerAuthParameter, { value: string }> => 'value' in p);
    const labels = props.labels ? { ...props.labels } : undefined;
    if (constants.length > 0) {
      this.constants = new ApiObject(this, 'Constants', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: props.name, namespace: props.namespace, labels },
        data: Object.fromEntries(constants.map((c) => [c.parameter, c.value])),
      });
    }
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        ...(fromSecrets.length > 0 ? { secretTargetRef: fromSecrets.map((p) => ({ parameter: p.parameter, name: p.from.secret, key: p.from.key })) } : {}),
        ...(constants.length > 0 ? { configMapTargetRef: constants.map((c) => ({ parameter: c.parameter, name: props.name, key: c.parameter })) } : {}),
      },
    });
  }
}
