import { IConstruct } from 'constructs';
import { assertDnsLabel, assertLabels, configError } from '../core';
import { targetOf } from '../environments/environment';
import { OBSERVABILITY_DEFAULTS as D } from './defaults';

/** The monitoring settings of the environment `scope` renders into, defaults filled in. */
export interface ResolvedMonitoring {
  readonly namespace: string;
  readonly prometheusPodLabels: Record<string, string>;
  readonly selectorLabels: Record<string, string>;
  readonly runbookBaseUrl: string;
  readonly paging: boolean;
  readonly dashboards: boolean;
  /** The environment's name (the `environment` label of alerts); undefined outside a GitOpsApp. */
  readonly environment?: string;
}

/** @internal Resolves (and checks) the environment's `monitoring` settings for a construct below it. */
export function monitoringOf(scope: IConstruct): ResolvedMonitoring {
  const env = targetOf(scope)?.env;
  const m = env?.monitoring ?? {};
  const prop = `environments.${env?.name ?? '?'}.monitoring`;
  const runbookBaseUrl = m.runbookBaseUrl ?? D.monitoring.runbookBaseUrl;
  if (!/^https?:\/\/\S+[^/]$/.test(runbookBaseUrl)) {
    throw configError(scope, `${prop}.runbookBaseUrl`, 'must be an http(s) URL without a trailing slash', runbookBaseUrl, `use e.g. '${D.monitoring.runbookBaseUrl}'`);
  }
  return {
    namespace: assertDnsLabel(scope, `${prop}.namespace`, m.namespace ?? D.monitoring.namespace),
    prometheusPodLabels: { ...assertLabels(scope, `${prop}.prometheusPodLabels`, m.prometheusPodLabels ?? { ...D.monitoring.prometheusPodLabels }) },
    selectorLabels: { ...assertLabels(scope, `${prop}.selectorLabels`, m.selectorLabels ?? {}) },
    runbookBaseUrl,
    paging: m.paging ?? env?.production ?? false,
    dashboards: m.dashboards ?? D.monitoring.dashboards,
    environment: env?.name,
  };
}
