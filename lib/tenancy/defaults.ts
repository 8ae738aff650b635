import { TEAM_GROUPS_ANNOTATION } from '../policy/tenancy-rules';

/** One RBAC rule in wire format (explicit groups, resources and verbs; never `*`). */
export interface PolicyRuleSpec {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/** What every team member may read in the team's namespaces (no Secrets). */
const VIEW: readonly PolicyRuleSpec[] = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'events', 'resourcequotas', 'limitranges'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  { apiGroups: ['argoproj.io'], resources: ['rollouts', 'analysisruns', 'analysistemplates'], verbs: READ },
];

/** Developers deploy and operate: restart pods, scale, promote or abort rollouts, run one-off jobs. */
const EDIT: readonly PolicyRuleSpec[] = [
  ...VIEW,
  { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
  { apiGroups: [''], resources: ['services', 'configmaps'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
  { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['update', 'patch'] },
];

/** Admins also handle Secrets, exec into pods and read the namespace's RBAC. */
const ADMIN: readonly PolicyRuleSpec[] = [
  ...EDIT,
  { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
  { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: READ },
];

/**
 * The one table of tenancy defaults. Constructors resolve against it once; every `@default` quotes it.
 */
export const TENANCY_DEFAULTS = {
  /**
   * Identity-provider groups are written `oidc:<name>`: the API server's `--oidc-groups-prefix`, so a group of
   * the IdP can never be mistaken for a Kubernetes system group (`system:masters`).
   */
  groupPrefix: 'oidc:',
  /** After the prefix: letters, digits, '.', '_', '-', '@' and '/', starting and ending alphanumeric, at most 128. */
  groupName: /^[A-Za-z0-9]([A-Za-z0-9._@/-]{0,126}[A-Za-z0-9])?$/,
  /** Groups with this prefix are Kubernetes' own (`system:authenticated`, `system:masters`): never a team's. */
  systemGroupPrefix: 'system:',
  /** Team names that would replace a controller's built-in object (Argo CD's `default` AppProject). */
  reservedTeamNames: ['default'],
  /**
   * Namespaces no team may claim: the control plane's, `default` (every object that names no namespace), and the
   * GitOps controllers' own.
   */
  reservedNamespaces: {
    prefixes: ['kube-'],
    names: [
      { name: 'default', why: "'default' is where every object that names no namespace lands" },
      { name: 'flux-system', why: "'flux-system' holds Flux and its cluster-wide account" },
      { name: 'argocd', why: "'argocd' holds Argo CD, its Applications and AppProjects" },
    ],
  },
  /** Role presets by team role: viewers read, developers deploy, admins also manage Secrets. */
  presets: { view: VIEW, edit: EDIT, admin: ADMIN },
  /** Role names of the presets in every team namespace; RoleBindings are `<team>-<role>s`. */
  roleNames: { view: 'team-view', edit: 'team-edit', admin: 'team-admin' },
  /**
   * A team namespace's quota when the team gives none: room for a handful of small services. Size it per
   * environment with `env.pick` for real teams.
   */
  quota: {
    requestsCpu: '4',
    requestsMemory: '8Gi',
    limitsMemory: '16Gi',
    requestsStorage: '50Gi',
    pods: 40,
    objectCounts: { persistentvolumeclaims: 10, services: 20, configmaps: 50, secrets: 50 },
  },
  /** Flux impersonates `flux-<team>` in its own namespace, bound to the built-in `admin` ClusterRole in the team's namespaces only. */
  flux: { namespace: 'flux-system', serviceAccountPrefix: 'flux-', clusterRole: 'admin' },
  /** Annotation on a team Namespace listing the groups bound in it (read by the `tenancy-rolebinding-subjects` rule). */
  groupsAnnotation: TEAM_GROUPS_ANNOTATION,
  /** Verbs a workload may be granted (the API's resource verbs; no escalate, bind or impersonate). */
  grantVerbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  /**
   * PriorityClasses of `PriorityClasses` when none are given. critical preempts lower classes (user-facing
   * services keep running when nodes are full); default is the global default (pods with no class); batch never
   * preempts anyone (a nightly job waits rather than evicting a service) and is evicted first.
   * Values stay far below the system classes (2000000000 and up).
   */
  priorityClasses: [
    { name: 'critical', value: 100000, preemptionPolicy: 'PreemptLowerPriority', globalDefault: false, description: 'User-facing services that must keep running: preempts lower classes when nodes are full.' },
    { name: 'default', value: 1000, preemptionPolicy: 'PreemptLowerPriority', globalDefault: true, description: 'Every pod that names no class.' },
    { name: 'batch', value: 100, preemptionPolicy: 'Never', globalDefault: false, description: 'Batch work: waits for room instead of preempting, evicted first.' },
  ],
  /** Built-in classes every cluster has. */
  systemPriorityClasses: ['system-cluster-critical', 'system-node-critical'],
} as const;
