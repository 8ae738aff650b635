// Parts every Argo Rollouts strategy shares: the Rollout itself, extra Services, the SLO analysis templates.
import { ApiObject, JsonPatch } from 'cdk8s';
import { Rollout, RolloutSpecStrategy } from '../../imports/argo-rollouts-argoproj.io';
import type { HardenedService } from '../workloads/hardened-service';
import { WORKLOAD_DEFAULTS as W } from '../workloads/defaults';
import { ResolvedAnalysis } from './analysis-options';
import { DELIVERY_DEFAULTS as D } from './defaults';
import { SloAnalysisTemplate } from './slo-analysis-template';

/**
 * The Rollout that runs the service's pods.
 *
 * It references the service's Deployment through `workloadRef` instead of carrying a copy of the pod template:
 * - the hardened pod template stays in one object, the same one a rolling update ships, so switching an
 *   environment between rolling update, canary and blue-green never changes the template (and the policy
 *   engine checks it in one place: it follows workloadRef to the Deployment);
 * - the generated Rollout class converts its props when rendered, and its pod-template converter drops every
 *   int-or-string and quantity field given in wire format (probe ports, resources): an inline copy would lose
 *   them silently.
 * The Deployment is kept at 0 replicas (in Git, so Argo CD and Flux never fight Argo Rollouts over it); the
 * Rollout owns the replica count, or the autoscaler does, which is retargeted at the Rollout. The
 * PodDisruptionBudget and NetworkPolicy select `app.kubernetes.io/name` and `instance`, which the pods of
 * both ReplicaSets (stable and canary, or active and preview) carry.
 */
export function createRollout(service: HardenedService, strategy: RolloutSpecStrategy): Rollout {
  const rollout = new Rollout(service, 'Rollout', {
    metadata: service.pod.metadata(),
    spec: {
      replicas: service.replicas,
      revisionHistoryLimit: W.revisionHistoryLimit,
      progressDeadlineSeconds: W.progressDeadlineSeconds,
      progressDeadlineAbort: D.rollout.progressDeadlineAbort,
      selector: { matchLabels: { ...service.pod.selectorLabels } },
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
      strategy,
    },
  });
  // `add` replaces the member when it exists (fixed replicas) and creates it when it does not (autoscaled)
  service.deployment.addJsonPatch(JsonPatch.add('/spec/replicas', D.rollout.deploymentReplicas));
  service.retargetScaling({ apiVersion: Rollout.GVK.apiVersion, kind: Rollout.GVK.kind, name: service.name });
  return rollout;
}

/** A ClusterIP Service over all of the service's pods (Argo Rollouts narrows its selector to one ReplicaSet). */
export function createRolloutService(service: HardenedService, id: string, name: string, port: number = service.port): ApiObject {
  return new ApiObject(service, id, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: service.pod.metadata(name),
    spec: {
      type: 'ClusterIP',
      selector: { ...service.pod.selectorLabels },
      ports: [{ name: service.portName, port, targetPort: service.portName, protocol: 'TCP' }],
    },
  });
}

/** The Rollout-side reference to an analysis: templates and arguments. */
export interface AnalysisRef {
  readonly templates: { readonly templateName: string }[];
  readonly args: { readonly name: string; readonly value: string }[];
}

/**
 * The SLO analysis of one Rollout: creates each AnalysisTemplate the first time a part of the strategy refers
 * to it (counted runs for steps and promotion analysis, an open-ended one for background analysis).
 */
export class RolloutAnalysis {
  private counted?: SloAnalysisTemplate;
  private background?: SloAnalysisTemplate;

  constructor(private readonly service: HardenedService, private readonly analysis: ResolvedAnalysis,
    /** Measure by revision (the versions share one Service). */
    private readonly byRevision: boolean) {}

  /** A counted run measuring the callers of Service `measured`. */
  public run(measured: string): AnalysisRef {
    this.counted ??= this.template('AnalysisTemplate', D.analysis.templateSuffix, true);
    return this.ref(this.counted, measured);
  }

  /** An open-ended run (until the rollout ends) measuring the callers of Service `measured`. */
  public backgroundRun(measured: string): AnalysisRef {
    this.background ??= this.template('BackgroundAnalysisTemplate', D.analysis.backgroundTemplateSuffix, false);
    return this.ref(this.background, measured);
  }

  private template(id: string, suffix: string, counted: boolean): SloAnalysisTemplate {
    const s = this.service;
    return new SloAnalysisTemplate(s, id, {
      name: `${s.name}${suffix}`,
      namespace: s.namespace,
      labels: s.pod.labels,
      analysis: this.analysis,
      counted,
      byRevision: this.byRevision,
    });
  }

  private ref(template: SloAnalysisTemplate, measured: string): AnalysisRef {
    const args = [{ name: SloAnalysisTemplate.SERVICE_ARG, value: measured }];
    if (this.byRevision) {
      args.push({ name: SloAnalysisTemplate.REVISION_ARG, value: this.service.pod.labels['app.kubernetes.io/version'] });
    }
    return { templates: [{ templateName: template.name }], args };
  }
}
