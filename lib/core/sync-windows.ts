import { IConstruct } from 'constructs';

/**
 * A time window in which a controller must not sync, in Argo CD's AppProject `syncWindows` terms (a cron
 * schedule that opens it, a duration, the clusters it applies to by API server URL).
 */
export interface SyncWindowSpec {
  readonly kind: 'deny' | 'allow';
  /** Five-field cron expression that opens the window. */
  readonly schedule: string;
  /** How long it stays open, as a Go duration (`24h`). */
  readonly duration: string;
  /** IANA time zone of the schedule. */
  readonly timeZone: string;
  /** API server URLs of the clusters it applies to. */
  readonly clusters: readonly string[];
  /** Why the window exists (shown by Argo CD). */
  readonly description: string;
  /** Whether manual syncs stay allowed. */
  readonly manualSync: boolean;
}

const WINDOWS = Symbol.for('typed-manifests.sync-windows');

/**
 * Adds sync windows that every GitOps project of the app's tree carries (the Argo CD AppProjects render them as
 * `spec.syncWindows`); declared by capabilities that own a change calendar.
 */
export function addSyncWindows(scope: IConstruct, windows: readonly SyncWindowSpec[]): void {
  const root = scope.node.root as any;
  if (!root[WINDOWS]) Object.defineProperty(root, WINDOWS, { value: [], enumerable: false });
  root[WINDOWS].push(...windows);
}

/** The sync windows declared in `scope`'s tree, in declaration order. */
export function syncWindowsOf(scope: IConstruct): SyncWindowSpec[] {
  return [...((scope.node.root as any)[WINDOWS] ?? [])];
}
