/**
 * The one table of promotion defaults. Every `@default` of the promotion props quotes these values.
 */
export const PROMOTION_DEFAULTS = {
  /** The committed ledger, relative to the working directory (the repository root for npm scripts). */
  ledgerFile: 'promotion.yaml',
  /** Environment variable that fixes "now" (ISO 8601) for synth, promote and review: tests and CI are deterministic. */
  nowVariable: 'TYPED_MANIFESTS_NOW',
  /** Time zone of freeze-window schedules. */
  timeZone: 'UTC',
  /** Minimum soak time of a stage when none is declared: a verified release may move on at once. */
  soak: '0s',
  /** Whether Argo CD still allows a manual sync inside a freeze window (the emergency path is the ledger). */
  manualSyncInFreeze: false,
  /** Longest freeze window: a year (minutes are scanned back from now to find the opening). */
  maxFreezeHours: 366 * 24,
  /** The command that rewrites the ledger, as error messages quote it. */
  command: 'npm run promote --',
} as const;
