import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertConfigKey, assertDnsLabel, assertDnsSubdomain, checkProps, configError, markUnit, namespaceOf } from '../core';
import { SECRETS_DEFAULTS as D } from './defaults';
import { definitionHash } from './hash';
import type { ISecretSource } from './secret-source';

/** Who may decrypt the ciphertext: `strict` binds it to the Secret's name and namespace. */
export type SealedSecretScope = 'strict' | 'namespace-wide' | 'cluster-wide';

export interface SealedSecretProps {
  /**
   * Ciphertext per key, exactly as `kubeseal` wrote it (base64). Seal with the target cluster's public key,
   * for this name and namespace (scope strict).
   */
  readonly encryptedData: { readonly [key: string]: string };
  /** Name of the SealedSecret and of the Secret the controller writes. @default - the construct id */
  readonly name?: string;
  /** @default 'strict' */
  readonly scope?: SealedSecretScope;
  /** @default 'Opaque' */
  readonly type?: string;
  /** @default - the enclosing PlatformNamespace, else the chart's namespace */
  readonly namespace?: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Why `text` is not sealed-secrets ciphertext, or undefined when it plausibly is: base64 of a 2-byte big-endian
 * length, an RSA-OAEP block of that length (2048, 3072 or 4096-bit key) and AES-GCM ciphertext with its tag.
 */
export function sealedCiphertextProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.length === 0) return 'must be a non-empty string';
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return 'is not base64';
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length < D.minSealedBytes) return `is too short for kubeseal output (${bytes.length} bytes, at least ${D.minSealedBytes})`;
  const rsa = bytes.readUInt16BE(0);
  if (![256, 384, 512].includes(rsa)) return `does not start with the length of an RSA block (got ${rsa})`;
  if (bytes.length < 2 + rsa + 17) return `is shorter than its RSA block and an AES-GCM tag (${bytes.length} bytes)`;
  return undefined;
}

/**
 * A Secret encrypted with kubeseal for the cluster's Sealed Secrets controller: the ciphertext is passed
 * through unchanged, only the controller in the cluster can decrypt it.
 */
export class SealedSecret extends Construct implements ISecretSource {
  public readonly secretName: string;
  public readonly secretNamespace: string;
  public readonly secretKeys: readonly string[];
  public readonly definitionHash: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    checkProps(this, 'SealedSecretProps', props);
    this.secretName = assertDnsSubdomain(this, 'name', props.name ?? id);
    const namespace = props.namespace ?? namespaceOf(this);
    if (namespace === undefined) {
      throw configError(this, 'namespace', 'is required (no PlatformNamespace or chart namespace encloses this SealedSecret)', namespace, 'create it inside a PlatformNamespace');
    }
    this.secretNamespace = assertDnsLabel(this, 'namespace', namespace);
    markUnit(this, this.secretName);
    const scopeName = props.scope ?? D.sealedScope;
    if (!['strict', 'namespace-wide', 'cluster-wide'].includes(scopeName)) {
      throw configError(this, 'scope', "must be 'strict', 'namespace-wide' or 'cluster-wide'", scopeName, "use 'strict' (the default) and seal for this name and namespace");
    }
    const keys = Object.keys(props.encryptedData ?? {}).sort();
    if (keys.length === 0) throw configError(this, 'encryptedData', 'must hold at least one key', props.encryptedData, 'paste the encryptedData kubeseal wrote');
    const encryptedData: Record<string, string> = {};
    for (const key of keys) {
      const prop = `encryptedData[${JSON.stringify(key)}]`;
      assertConfigKey(this, prop, key);
      const value = props.encryptedData[key];
      const problem = sealedCiphertextProblem(value);
      if (problem) {
        throw configError(this, prop, `is not Sealed Secrets ciphertext (${problem})`, shorten(value),
          `seal the value: kubectl create secret generic ${this.secretName} -n ${namespace} --from-literal=${key}=... --dry-run=client -o yaml | kubeseal -o yaml, and paste spec.encryptedData`);
      }
      encryptedData[key] = value.replace(/\s+/g, '');
    }
    this.secretKeys = keys;
    const annotations = scopeName === 'strict' ? undefined : { [`sealedsecrets.bitnami.com/${scopeName}`]: 'true' };
    const spec = {
      encryptedData,
      template: {
        metadata: { name: this.secretName, namespace: this.secretNamespace, ...(annotations ? { annotations } : {}) },
        type: props.type ?? 'Opaque',
      },
    };
    this.definitionHash = definitionHash(spec);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: {
        name: this.secretName, namespace: this.secretNamespace,
        labels: { 'app.kubernetes.io/name': this.secretName, 'app.kubernetes.io/managed-by': 'cdk8s' },
        ...(annotations ? { annotations } : {}),
      },
      spec,
    });
  }

  public get description(): string {
    return `SealedSecret ${this.secretName}`;
  }
}

/** Never print a value that might be plaintext: its length only. */
function shorten(value: unknown): unknown {
  return typeof value === 'string' ? `<${value.length} characters, not shown>` : value;
}
