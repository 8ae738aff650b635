import { IConstruct } from 'constructs';
import { assertCron, assertDnsLabel, checkProps, configError, parseGoDuration } from '../core';
import { PROMOTION_DEFAULTS as D } from './defaults';

/** A freeze window as a cron schedule that opens it and how long it stays open (Argo CD's sync window terms). */
export interface FreezeWindowProps {
  /** Name quoted in errors and in the Argo CD window's description (a DNS label: `year-end`). */
  readonly name: string;
  /** Five-field cron expression (or a macro like `@weekly`) that opens the window, read in `timeZone`. */
  readonly schedule: string;
  /** How long the window stays open, as a Go duration (`336h`). At most a year. */
  readonly duration: string;
  /**
   * IANA time zone of the schedule.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Why changes stop then, for people (Argo CD shows it).
   * @default - the name
   */
  readonly description?: string;
}

/** Options of `FreezeWindow.yearly`: a window that opens and closes on the same calendar days every year. */
export interface YearlyFreezeOptions {
  readonly name: string;
  /** First frozen day, `MM-DD` (`12-20`), from midnight. */
  readonly from: string;
  /** First day changes are allowed again, `MM-DD` (`01-04`); before `from` means the next year. */
  readonly until: string;
  /** @default 'UTC' */
  readonly timeZone?: string;
  /** @default - the name */
  readonly description?: string;
}

/** When a window is open. */
export interface OpenWindow {
  readonly window: FreezeWindow;
  readonly opened: Date;
  readonly closes: Date;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const NAMES = [
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
];

/**
 * A period in which an environment takes no change: synth and `npm run promote` refuse to change a stage of it
 * (an emergency is recorded in the ledger with a reason), and Argo CD gets the same window as an AppProject
 * deny `syncWindow`. Flux has no windows: for Flux, the rendered tree not changing is the gate.
 */
export class FreezeWindow {
  /** A window opened by a cron schedule (`'0 18 * * 5'` for 64h: the weekend). */
  public static cron(props: FreezeWindowProps): FreezeWindow {
    checkProps('FreezeWindow.cron', 'FreezeWindowProps', props);
    return new FreezeWindow(props);
  }

  /** The same calendar days every year (`from: '12-20', until: '01-04'`: the year-end freeze). */
  public static yearly(options: YearlyFreezeOptions): FreezeWindow {
    checkProps('FreezeWindow.yearly', 'YearlyFreezeOptions', options);
    const day = (text: string) => {
      const m = /^(\d{2})-(\d{2})$/.exec(typeof text === 'string' ? text : '');
      const month = m ? Number(m[1]) : NaN;
      const date = m ? Number(m[2]) : NaN;
      const valid = m !== null && month >= 1 && month <= 12 && date >= 1 && date <= new Date(Date.UTC(2024, month, 0)).getUTCDate();
      return valid ? { month, date } : undefined;
    };
    const from = day(options.from);
    const until = day(options.until);
    const base = { name: options.name, timeZone: options.timeZone, description: options.description };
    if (!from || !until) {
      const prop = from ? 'until' : 'from';
      return new FreezeWindow({ ...base, schedule: '0 0 1 1 *', duration: '1h' }, { prop, value: from ? options.until : options.from, problem: 'must be a calendar day MM-DD', fix: "write it like '12-20'" });
    }
    // days between, in a non-leap year (a Feb 29 boundary is read as Mar 1)
    const start = Date.UTC(2023, from.month - 1, from.date);
    let end = Date.UTC(2023, until.month - 1, until.date);
    if (end <= start) end = Date.UTC(2024, until.month - 1, until.date);
    const hours = Math.round((end - start) / 3_600_000);
    return new FreezeWindow({ ...base, schedule: `0 0 ${from.date} ${from.month} *`, duration: `${hours}h` });
  }

  public readonly name: string;
  public readonly schedule: string;
  public readonly duration: string;
  public readonly timeZone: string;
  public readonly description: string;
  private readonly durationMinutes: number;
  private readonly fields: readonly (ReadonlySet<number> | undefined)[];
  private readonly dayStar: boolean;
  private readonly format?: Intl.DateTimeFormat;

  private constructor(props: FreezeWindowProps, private readonly problem?: { prop: string; value: unknown; problem: string; fix: string }) {
    this.name = props.name;
    this.schedule = props.schedule;
    this.duration = props.duration;
    this.timeZone = props.timeZone ?? D.timeZone;
    this.description = props.description ?? props.name;
    const seconds = parseGoDuration(props.duration);
    this.durationMinutes = seconds === undefined ? NaN : Math.ceil(seconds / 60);
    const expr = MACROS[props.schedule] ?? props.schedule;
    const parts = typeof expr === 'string' ? expr.split(' ') : [];
    this.fields = parts.length === 5 ? parts.map((f, i) => field(f, i)) : [];
    this.dayStar = parts[2] === '*' || parts[2] === '?' || parts[4] === '*' || parts[4] === '?';
    try {
      if (this.timeZone !== 'UTC') this.format = new Intl.DateTimeFormat('en-US', { timeZone: this.timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    } catch {
      this.format = undefined;
      this.timeZone = `invalid:${this.timeZone}`;
    }
  }

  /** Throws unless the window is well formed (called when a calendar is declared, with the calendar as scope). */
  public validate(scope: IConstruct, prop: string): void {
    if (this.problem) throw configError(scope, `${prop}.${this.problem.prop}`, this.problem.problem, this.problem.value, this.problem.fix);
    assertDnsLabel(scope, `${prop}.name`, this.name);
    assertCron(scope, `${prop}.schedule`, this.schedule);
    if (!Number.isFinite(this.durationMinutes) || this.durationMinutes <= 0 || this.durationMinutes > D.maxFreezeHours * 60) {
      throw configError(scope, `${prop}.duration`, `must be a Go duration between 1m and ${D.maxFreezeHours}h`, this.duration, "write it like '336h' (two weeks)");
    }
    if (this.timeZone.startsWith('invalid:')) {
      throw configError(scope, `${prop}.timeZone`, 'is not an IANA time zone', this.timeZone.slice('invalid:'.length), "use e.g. 'Europe/Berlin' or 'UTC'");
    }
    if (/[\r\n]/.test(this.description)) {
      throw configError(scope, `${prop}.description`, 'must be one line', this.description, 'remove the line breaks');
    }
  }

  /** The opening that contains `at` (the latest one when openings overlap), or undefined when the window is closed. */
  public openAt(at: Date): OpenWindow | undefined {
    const minute = 60_000;
    const now = Math.floor(at.getTime() / minute) * minute;
    // synth asks per stage and per ledger entry, mostly for the same minute: a window of days is a scan of
    // thousands of minutes each time
    if (this.openings.has(now)) return this.openings.get(now);
    const open = this.scanOpenAt(now);
    if (this.openings.size >= 10_000) this.openings.clear();
    this.openings.set(now, open);
    return open;
  }

  /** openAt by minute (bounded). */
  private readonly openings = new Map<number, OpenWindow | undefined>();

  private scanOpenAt(now: number): OpenWindow | undefined {
    const minute = 60_000;
    const [minutes, hours] = this.fields;
    let offsetHour = NaN;
    let offset = 0;
    for (let i = 0; i < this.durationMinutes; i++) {
      const t = now - i * minute;
      const hour = Math.floor(t / 3_600_000);
      if (hour !== offsetHour) {
        offsetHour = hour;
        offset = this.offsetAt(t);
      }
      // the local minute and hour from the minute count, before any Date: a window that opens at one minute of
      // one hour rejects the other minutes of a scan of days without building them
      const local = (t + offset) / minute;
      if (minutes && !minutes.has(mod(local, 60))) continue;
      if (hours && !hours.has(mod(Math.floor(local / 60), 24))) continue;
      if (this.matches(new Date(t + offset))) {
        return { window: this, opened: new Date(t), closes: new Date(t + this.durationMinutes * minute) };
      }
    }
    return undefined;
  }

  /** Whether the window is open at `at`. */
  public isOpen(at: Date): boolean {
    return this.openAt(at) !== undefined;
  }

  // local fields are read with getUTC* on the instant shifted by the zone's offset
  private matches(local: Date): boolean {
    const [minute, hour, dom, month, dow] = this.fields;
    if (!minute || !hour || !dom || !month || !dow) return false;
    if (!minute.has(local.getUTCMinutes()) || !hour.has(local.getUTCHours()) || !month.has(local.getUTCMonth() + 1)) return false;
    const domMatch = dom.has(local.getUTCDate());
    const dowMatch = dow.has(local.getUTCDay());
    // cron: both day fields restricted means either may match
    return this.dayStar ? domMatch && dowMatch : domMatch || dowMatch;
  }

  private offsetAt(t: number): number {
    if (!this.format) return 0;
    const p = Object.fromEntries(this.format.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
    return local - Math.floor(t / 60_000) * 60_000;
  }
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}

/** The values a cron field allows (`undefined` for a malformed field; `validate` reports it). */
function field(text: string, index: number): ReadonlySet<number> | undefined {
  const [min, max] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]][index];
  const names = index === 3 ? NAMES[0] : index === 4 ? NAMES[1] : undefined;
  const value = (v: string) => {
    if (/^\d{1,2}$/.test(v)) return Number(v);
    const i = names ? names.indexOf(v.toLowerCase()) : -1;
    return i >= 0 ? i + (index === 3 ? 1 : 0) : NaN;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo = min;
    let hi = max;
    if (range !== '*' && range !== '?') {
      const b = range.split('-').map(value);
      lo = b[0];
      hi = b.length > 1 ? b[1] : stepText === undefined ? b[0] : max;
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || !(step >= 1) || lo < min || hi > max) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(index === 4 && v === 7 ? 0 : v);
  }
  return out;
}
