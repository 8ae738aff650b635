// The version model lives with the environments (every cluster has a version); re-exported here, where the
// schema capability has always exported it.
export { isKubernetesVersion, kubernetesVersionProblem, minorOf, newerVersions, supportedRange } from '../environments/kubernetes-version';
