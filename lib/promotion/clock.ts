import { ConfigError, show } from '../core';
import { PROMOTION_DEFAULTS as D } from './defaults';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The instant an ISO 8601 timestamp with a zone names, or undefined when it is not one. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !ISO.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** A timestamp as the ledger writes it: UTC, whole seconds (`2026-12-06T08:00:00Z`). */
export function formatTimestamp(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * "Now" for synth, promote and review: the ISO 8601 timestamp in `TYPED_MANIFESTS_NOW` when set, else the wall
 * clock (whole seconds, so what the ledger records compares equal to what it is compared with).
 */
export function promotionNow(env: NodeJS.ProcessEnv = process.env): Date {
  const text = env[D.nowVariable];
  if (text === undefined || text === '') return new Date(Math.floor(Date.now() / 1000) * 1000);
  const at = parseTimestamp(text);
  if (!at) {
    throw new ConfigError('<env>', D.nowVariable, `${D.nowVariable} must be an ISO 8601 timestamp with a time zone, got ${show(text)}; use e.g. 2026-12-06T08:00:00Z or unset it`);
  }
  return at;
}

/** `3h 20m`, `2d 4h`, `45s`: a duration for people. */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', !d && !h && !m ? `${s % 60}s` : ''].filter(Boolean);
  return parts.slice(0, 2).join(' ');
}
