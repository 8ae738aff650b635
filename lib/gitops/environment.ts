// The environment model moved to lib/environments (the foundation every capability builds on).
/** @deprecated import from lib/environments; this re-export goes in the next release. */
export { DEFAULT_PROMETHEUS_ADDRESS, Environment, Environments, setTarget, targetIdOf, targetOf, withPickScope } from '../environments/environment';
/** @deprecated import from lib/environments; this re-export goes in the next release. */
export type { ClusterProps, EnvironmentProps, Target } from '../environments/environment';
