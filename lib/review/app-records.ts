import type { GitOpsApp } from '../gitops/gitops-app';
import type { RenderedObject } from '../environments/rendered';
import { registeredCapabilities } from '../environments/capability';
import { AcknowledgementRecord, ExemptionRecord, objectId } from './change-report';
import { Review } from './review';

/** What the review needs from an app besides its files: the exemptions in effect and the acknowledged risks. */
export interface AppRecords {
  readonly exemptions: ExemptionRecord[];
  readonly acknowledgements: AcknowledgementRecord[];
}

/** Reads exemptions (the findings they lift) and acknowledgements from an app's rendered objects. */
export function appRecords(app: GitOpsApp<any, any>, objects: readonly RenderedObject[]): AppRecords {
  // the exemptions in effect, from the capabilities that grant them (policy)
  const exemptions: ExemptionRecord[] = registeredCapabilities().flatMap((c) => c.exemptionsOf?.(objects) ?? []);
  const targetPaths = app.targets.map((t) => ({ folder: t.path, chartPath: app.chartFor(t).node.path }));
  const acknowledgements = Review.allIn(app).map((a) => {
    const under = (p: string) => a.scopePath === '' || p === a.scopePath || p.startsWith(`${a.scopePath}/`);
    const covered = objects.filter((o) => under(o.apiObject.node.path));
    const folders = new Set(covered.map((o) => o.folder));
    // a target's folder is covered when the acknowledging construct is the target's chart, inside it, or above it
    for (const t of targetPaths) if (under(t.chartPath) || a.scopePath.startsWith(`${t.chartPath}/`)) folders.add(t.folder);
    return {
      risk: a.risk,
      reason: a.reason,
      scopePath: a.scopePath,
      covers: covered.map((o) => `${o.folder}|${objectId(o.manifest)}`),
      folders: [...folders].sort(),
      ...(a.object ? { object: a.object } : {}),
    };
  });
  return { exemptions, acknowledgements };
}
