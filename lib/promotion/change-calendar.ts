import { IConstruct } from 'constructs';
import { configError } from '../core';
import { FreezeWindow, OpenWindow } from './freeze-window';

/**
 * The one change calendar of a platform: freeze windows per environment. `Promotion` enforces it when it checks
 * the ledger at synth and when `npm run promote` writes it, and compiles it to Argo CD AppProject sync windows.
 *
 * @example ChangeCalendar.of({ prod: [FreezeWindow.yearly({ name: 'year-end', from: '12-20', until: '01-04' })] })
 */
export class ChangeCalendar {
  /** Freeze windows by environment name. */
  public static of(freezes: { readonly [env: string]: readonly FreezeWindow[] }): ChangeCalendar {
    return new ChangeCalendar(freezes);
  }

  /** An empty calendar: no environment ever freezes. */
  public static none(): ChangeCalendar {
    return new ChangeCalendar({});
  }

  private readonly freezes: ReadonlyMap<string, readonly FreezeWindow[]>;

  private constructor(freezes: { readonly [env: string]: readonly FreezeWindow[] }) {
    this.freezes = new Map(Object.keys(freezes ?? {}).map((env) => [env, [...(freezes[env] ?? [])]]));
  }

  /** The environments the calendar names. */
  public get environments(): string[] {
    return [...this.freezes.keys()];
  }

  /** The freeze windows of one environment. */
  public windowsOf(env: string): readonly FreezeWindow[] {
    return this.freezes.get(env) ?? [];
  }

  /** The open freeze window of `env` at `at` (the first declared one when several are open), else undefined. */
  public frozen(env: string, at: Date): OpenWindow | undefined {
    for (const w of this.windowsOf(env)) {
      const open = w.openAt(at);
      if (open) return open;
    }
    return undefined;
  }

  /** Throws unless every environment is known and every window well formed. */
  public validate(scope: IConstruct, environments: readonly string[]): void {
    for (const [env, windows] of this.freezes) {
      if (!environments.includes(env)) {
        throw configError(scope, `calendar.${env}`, 'names no environment', env, `use one of ${environments.join(', ')}`);
      }
      const names = new Set<string>();
      windows.forEach((w, i) => {
        if (!(w instanceof FreezeWindow)) throw configError(scope, `calendar.${env}[${i}]`, 'must be a FreezeWindow', w, 'use FreezeWindow.yearly({...}) or FreezeWindow.cron({...})');
        w.validate(scope, `calendar.${env}[${i}]`);
        if (names.has(w.name)) throw configError(scope, `calendar.${env}[${i}].name`, 'is used twice in the environment', w.name, 'give every window its own name');
        names.add(w.name);
      });
    }
  }
}
