import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MESH_DEFAULTS as D } from './defaults';
import { MtlsMode } from './mesh-options';
import { checkProps } from '../core';

export interface MeshNamespaceProps {
  readonly namespace: string;
  /** @default 'STRICT' */
  readonly mtls?: MtlsMode;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * Zero trust for one namespace: a PeerAuthentication (`default`, mTLS STRICT unless relaxed for a migration) and
 * an AuthorizationPolicy `deny-all` with an empty spec, which denies every request no ALLOW policy matches.
 */
export class MeshNamespace extends Construct {
  public readonly peerAuthentication: ApiObject;
  public readonly denyAll: ApiObject;

  constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    super(scope, id);
    checkProps(this, 'MeshNamespaceProps', props);
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined });
    this.peerAuthentication = new ApiObject(this, 'PeerAuthentication', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: metadata(D.peerAuthenticationName),
      spec: { mtls: { mode: props.mtls ?? D.mtls } },
    });
    // an empty spec matches no request as ALLOW, and the mere presence of a policy denies all others
    this.denyAll = new ApiObject(this, 'DenyAll', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: metadata(D.denyAllName),
      spec: {},
    });
  }
}
