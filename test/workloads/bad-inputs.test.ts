// Bad input through the real constructs: every row must fail at construction with a message that names the
// construct path, the prop, the value received (as typed) and a fix, in the one format of configError.
import { Construct } from 'constructs';
import { ConfigError, show } from '../../lib/core';
import { PlatformNamespace } from '../../lib/platform';
import { GatewayCanaryRoute } from '../../lib/traffic';
import { DisruptionBudget, HardenedCronJob, HardenedService, HardenedWorker, NetworkPeer, Probe } from '../../lib/workloads';
import { makeChart } from '../helpers';

const image = 'ghcr.io/acme/api:1.4.2';

type Build = (scope: Construct) => unknown;
const service = (props: object): Build => (c) => new HardenedService(c, 'api', { image, port: 8080, ...props });
const worker = (props: object): Build => (c) => new HardenedWorker(c, 'jobs', { image, ...props });
const cronJob = (props: object): Build => (c) => new HardenedCronJob(c, 'report', { image, schedule: '0 3 * * *', ...props });
const jsonKey = (key: string) => JSON.parse(`{${JSON.stringify(key)}: "x"}`) as Record<string, string>;

/** [what, construct, path, prop (as in the message), value (as received), fix fragment] */
const ROWS: [string, Build, string, string, unknown, string][] = [
  // labels
  ['label value over 63 characters', service({ labels: { team: 'x'.repeat(64) } }), 'test/api', 'labels["team"]', 'x'.repeat(64), 'shorten'],
  ['label value with a space', service({ labels: { team: 'shop team' } }), 'test/api', 'labels["team"]', 'shop team', 'shorten'],
  ['label key with two slashes', service({ labels: { 'a/b/c': 'x' } }), 'test/api', 'labels key', 'a/b/c', "'acme.example/team'"],
  ['label key with an uppercase prefix', service({ labels: { 'Acme.io/team': 'x' } }), 'test/api', 'labels key', 'Acme.io/team', "'acme.example/team'"],
  ['label key with an empty prefix', service({ labels: { '/team': 'x' } }), 'test/api', 'labels key', '/team', "'acme.example/team'"],
  ['label key __proto__ (from JSON)', service({ labels: jsonKey('__proto__') }), 'test/api', 'labels key', '__proto__', "'acme.example/team'"],
  // annotations
  ['annotation key __proto__ (from JSON)', service({ podAnnotations: jsonKey('__proto__') }), 'test/api', 'podAnnotations key', '__proto__', "'acme.example/owner'"],
  ['annotation key with a space', service({ podAnnotations: { 'my key': 'x' } }), 'test/api', 'podAnnotations key', 'my key', "'acme.example/owner'"],
  ['annotation value not a string', service({ podAnnotations: { 'acme.example/n': 3 } }), 'test/api', 'podAnnotations["acme.example/n"]', 3, 'quote it'],
  // node selection
  ['nodeSelector value over 63', service({ nodeSelector: { pool: 'p'.repeat(64) } }), 'test/api', 'nodeSelector["pool"]', 'p'.repeat(64), 'shorten'],
  ['nodeSelector bad key', service({ nodeSelector: { 'kubernetes.io/': 'x' } }), 'test/api', 'nodeSelector key', 'kubernetes.io/', "'acme.example/team'"],
  ['priorityClassName with a space', service({ priorityClassName: 'Bad Name' }), 'test/api', 'priorityClassName', 'Bad Name', "'bad-name'"],
  ['toleration operator outside the enum', service({ tolerations: [{ key: 'pool', operator: 'In', value: 'x' }] }), 'test/api', 'tolerations[0].operator', 'In', "'Equal'"],
  ['toleration effect outside the enum', service({ tolerations: [{ key: 'pool', operator: 'Equal', value: 'x', effect: 'NoRun' }] }), 'test/api', 'tolerations[0].effect', 'NoRun', "'NoSchedule'"],
  ['toleration Exists with a value', service({ tolerations: [{ key: 'pool', operator: 'Exists', value: 'x' }] }), 'test/api', 'tolerations[0].value', 'x', "operator: 'Equal'"],
  ['toleration Equal without a key', service({ tolerations: [{ operator: 'Equal', value: 'x' }] }), 'test/api', 'tolerations[0].key', undefined, 'set a key'],
  ['tolerationSeconds without NoExecute', service({ tolerations: [{ key: 'pool', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }] }), 'test/api', 'tolerations[0].tolerationSeconds', 30, "effect: 'NoExecute'"],
  ['node affinity operator outside the enum', service({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'Equals', values: ['a'] }] }] } } } }),
    'test/api', 'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator', 'Equals', "'In'"],
  ['node affinity Gt with a word', service({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'cpus', operator: 'Gt', values: ['four'] }] } }] } } }),
    'test/api', 'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values', ['four'], "['4']"],
  ['node affinity weight 0', service({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }] } } }),
    'test/api', 'affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight', 0, 'use e.g. 50'],
  ['required node term with a bad key', (c) => service({})(c) && (c.node.findChild('api') as HardenedService).pod.addRequiredNodeAffinityTerm({ matchExpressions: [{ key: 'a b', operator: 'Exists' }] }),
    'test/api', 'requiredNodeAffinityTerm.matchExpressions[0].key', 'a b', "'kubernetes.io/arch'"],
  ['added toleration with an unknown effect', (c) => service({})(c) && (c.node.findChild('api') as HardenedService).pod.addToleration({ key: 'pool', operator: 'Exists', effect: 'NoRun' }),
    'test/api', 'tolerations.effect', 'NoRun', "'NoSchedule'"],
  ['added node selector value over 63', (c) => service({})(c) && (c.node.findChild('api') as HardenedService).pod.addNodeSelector('pool', 'p'.repeat(64)),
    'test/api', 'nodeSelector["pool"]', 'p'.repeat(64), 'shorten'],
  ['priority class set later with a space', (c) => service({})(c) && (c.node.findChild('api') as HardenedService).pod.setPriorityClassName('Bad Name'),
    'test/api', 'priorityClassName', 'Bad Name', "'bad-name'"],
  ['mount subPath escaping with ..', (c) => service({})(c) && (c.node.findChild('api') as HardenedService).pod.addVolume({ name: 'conf', emptyDir: {} }, { mountPath: '/etc/app', subPath: '../etc' }),
    'test/api', 'volumes.conf.subPath', '../etc', "'conf/app.yaml'"],
  // env and secrets
  ['env name with =', service({ env: { 'A=B': 'x' } }), 'test/api', 'env.A=B', 'A=B', "'LOG_LEVEL'"],
  ['env name starting with a digit', service({ env: { '1ST': 'x' } }), 'test/api', 'env.1ST', '1ST', "'LOG_LEVEL'"],
  ['env value not a string', service({ env: { PORT: 8080 } }), 'test/api', 'env.PORT', 8080, 'quote it'],
  ['secretEnv name with =', service({ secretEnv: { 'X=Y': { secret: 'db', key: 'password' } } }), 'test/api', 'secretEnv.X=Y', 'X=Y', "'LOG_LEVEL'"],
  ['secretEnv key with a slash', service({ secretEnv: { DB: { secret: 'db', key: 'a/b' } } }), 'test/api', 'secretEnv.DB.key', 'a/b', "'application.yaml'"],
  ['secretEnv secret name uppercase', service({ secretEnv: { DB: { secret: 'DB', key: 'password' } } }), 'test/api', 'secretEnv.DB.secret', 'DB', "'db'"],
  // ports
  ['portName with --', service({ portName: 'my--port' }), 'test/api', 'portName', 'my--port', "'http'"],
  ['portName without a letter', service({ portName: '8080' }), 'test/api', 'portName', '8080', "'http'"],
  ['portName over 15 characters', service({ portName: 'a-very-long-port-name' }), 'test/api', 'portName', 'a-very-long-port-name', "'http'"],
  ['extra port name with --', service({ extraPorts: [{ name: 'm--x', port: 9090 }] }), 'test/api', 'extraPorts[0].name', 'm--x', "'http'"],
  ['extra port 0', service({ extraPorts: [{ name: 'metrics', port: 0 }] }), 'test/api', 'extraPorts[0].port', 0, 'use e.g. 8080'],
  ['service port 65536', service({ port: 65536 }), 'test/api', 'port', 65536, 'use e.g. 8080'],
  ['egress port 70000', service({ egress: [{ peer: NetworkPeer.namespace('db'), ports: [70000] }] }), 'test/api', 'egress[0].ports[0]', 70000, 'use e.g. 8080'],
  ['egress port 0', service({ egress: [{ peer: NetworkPeer.namespace('db'), ports: [0] }] }), 'test/api', 'egress[0].ports[0]', 0, 'use e.g. 8080'],
  ['ingress port -1', (c) => service({})(c) && (c.node.findChild('api') as HardenedService).pod.addIngress({ peer: NetworkPeer.namespace('edge'), ports: [-1] }), 'test/api', 'ingress[0].ports[0]', -1, 'use e.g. 8080'],
  ['egress protocol outside the enum', service({ egress: [{ peer: NetworkPeer.namespace('db'), ports: [5432], protocol: 'ICMP' }] }), 'test/api', 'egress[0].protocol', 'ICMP', "'TCP'"],
  // CIDRs and peers
  ['ipBlock CIDR /33', service({ egress: [{ peer: NetworkPeer.ipBlock('10.0.0.0/33') }] }), 'test/api', 'egress[0].peer.cidr', '10.0.0.0/33', "'10.20.0.0/16'"],
  ['ipBlock CIDR without prefix', service({ egress: [{ peer: NetworkPeer.ipBlock('10.0.0.1') }] }), 'test/api', 'egress[0].peer.cidr', '10.0.0.1', "'10.20.0.0/16'"],
  ['ipBlock except /33', service({ egress: [{ peer: NetworkPeer.ipBlock('10.0.0.0/8', ['10.1.0.0/33']) }] }), 'test/api', 'egress[0].peer.except[0]', '10.1.0.0/33', "'10.20.0.0/16'"],
  ['ipBlock except outside the block', service({ egress: [{ peer: NetworkPeer.ipBlock('10.0.0.0/8', ['192.168.0.0/16']) }] }), 'test/api', 'egress[0].peer.except[0]', '192.168.0.0/16', 'inside 10.0.0.0/8'],
  ['peer namespace not a DNS label', service({ egress: [{ peer: NetworkPeer.namespace('Billing') }] }), 'test/api', 'egress[0].peer.namespace', 'Billing', "'billing'"],
  ['peer pod labels bad value', service({ egress: [{ peer: NetworkPeer.pods({ app: 'a b' }) }] }), 'test/api', 'egress[0].peer.labels["app"]', 'a b', 'shorten'],
  // counts and ranges
  ['replicas NaN', service({ replicas: NaN }), 'test/api', 'replicas', NaN, 'use e.g. 2'],
  ['replicas above int32', service({ replicas: 2 ** 31 }), 'test/api', 'replicas', 2 ** 31, 'use e.g. 2'],
  ['replicas 1.5', worker({ replicas: 1.5 }), 'test/jobs', 'replicas', 1.5, 'use e.g. 2'],
  ['maxReplicas above int32', service({ autoscaling: { maxReplicas: 2 ** 31 } }), 'test/api', 'autoscaling.maxReplicas', 2 ** 31, 'use e.g. 6'],
  ['grace period above int64-safe', service({ terminationGracePeriodSeconds: 2 ** 63 }), 'test/api', 'terminationGracePeriodSeconds', 2 ** 63, 'use e.g. 30'],
  ['drainSeconds Infinity', service({ drainSeconds: Infinity }), 'test/api', 'drainSeconds', Infinity, 'use e.g. 5'],
  ['probe period above int32', service({ readiness: Probe.http('/ready', { periodSeconds: 2 ** 31 }) }), 'test/api', 'readiness.periodSeconds', 2 ** 31, 'use e.g. 5'],
  ['disruption budget 150%', service({ disruptionBudget: DisruptionBudget.maxUnavailable('150%') }), 'test/api', 'disruptionBudget.maxUnavailable', '150%', "'25%'"],
  ['runAsUser above int64-safe', service({ security: { runAsUser: 2 ** 64 } }), 'test/api', 'security.runAsUser', 2 ** 64, 'use e.g. 10001'],
  ['imagePullPolicy outside the enum', service({ imagePullPolicy: 'Never' }), 'test/api', 'imagePullPolicy', 'Never', "'IfNotPresent'"],
  ['image tag that cannot be a label value', service({ image: 'ghcr.io/acme/api:1.0-' }), 'test/api', 'image', 'ghcr.io/acme/api:1.0-', "version: '1.2.3'"],
  ['image untagged', service({ image: 'ghcr.io/acme/api' }), 'test/api', 'image', 'ghcr.io/acme/api', "'ghcr.io/acme/api:1.2.3'"],
  ['version label too long', service({ version: 'v'.repeat(64) }), 'test/api', 'version', 'v'.repeat(64), 'shorten'],
  // cron jobs
  ['cron hour 25', cronJob({ schedule: '0 25 * * *' }), 'test/report', 'schedule', '0 25 * * *', "'30 2 * * *'"],
  ['cron all 99', cronJob({ schedule: '99 99 99 99 99' }), 'test/report', 'schedule', '99 99 99 99 99', "'30 2 * * *'"],
  ['cron month and weekday words', cronJob({ schedule: '0 0 * xyz abc' }), 'test/report', 'schedule', '0 0 * xyz abc', "'30 2 * * *'"],
  ['activeDeadlineSeconds above int64-safe', cronJob({ activeDeadlineSeconds: 2 ** 60 }), 'test/report', 'activeDeadlineSeconds', 2 ** 60, 'use e.g. 3600'],
  ['backoffLimit above int32', cronJob({ backoffLimit: 2 ** 31 }), 'test/report', 'backoffLimit', 2 ** 31, 'use e.g. 2'],
  ['concurrencyPolicy outside the enum', cronJob({ concurrencyPolicy: 'Never' }), 'test/report', 'concurrencyPolicy', 'Never', "'Forbid'"],
  ['timeZone with a space', cronJob({ timeZone: 'Central European' }), 'test/report', 'timeZone', 'Central European', "'Europe/Berlin'"],
  // other capabilities
  ['namespace label value bad', (c) => new PlatformNamespace(c, 'shop', { labels: { tier: '-x' } }), 'test/shop', 'labels["tier"]', '-x', 'shorten'],
  ['namespace team bad', (c) => new PlatformNamespace(c, 'shop', { team: 'Shop Team' }), 'test/shop', 'team', 'Shop Team', 'shorten'],
  ['route port 0', (c) => new GatewayCanaryRoute(c, 'route', { name: 'web', namespace: 'shop', port: 0, stableService: 'web', canaryService: 'web-canary', parents: [] } as any), 'test/route', 'port', 0, 'use e.g. 8080'],
  ['route hostname with _', (c) => new GatewayCanaryRoute(c, 'route', { name: 'web', namespace: 'shop', port: 80, stableService: 'web', canaryService: 'web-canary', parents: [], hostnames: ['shop_1.acme.example'] } as any), 'test/route', 'hostnames[0]', 'shop_1.acme.example', "'shop.acme.example'"],
];

describe('bad input through the real constructs', () => {
  test('the table covers more than 40 cases', () => {
    expect(ROWS.length).toBeGreaterThan(40);
  });

  test.each(ROWS)('%s', (_what, build, path, prop, value, fix) => {
    const chart = makeChart();
    let error: unknown;
    try { build(chart); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.constructPath).toBe(path);
    expect(e.prop).toBe(prop);
    expect(e.message.startsWith(`${path}: ${prop} `)).toBe(true);
    expect(e.message).toContain(`, got ${show(value)}; `);
    expect(e.message.slice(e.message.indexOf(`, got ${show(value)}; `))).toContain(fix);
  });

  test('NaN is shown as NaN, not null', () => {
    expect(() => service({ replicas: NaN })(makeChart())).toThrow('got NaN;');
  });
});

describe('maps from the props are copied key by key', () => {
  test('a valid key named like an Object.prototype member is kept, not taken for an existing annotation', () => {
    const chart = makeChart();
    const svc = new HardenedService(chart, 'api', { image, port: 8080, podAnnotations: { toString: 'x' }, nodeSelector: { hasOwnProperty: 'y' } });
    svc.pod.addPodAnnotation('hasOwnProperty', 'z');
    svc.pod.addNodeSelector('valueOf', 'v');
    const template = (chart.toJson().find((o: any) => o.kind === 'Deployment') as any).spec.template;
    expect(template.metadata.annotations).toEqual({ toString: 'x', hasOwnProperty: 'z' });
    expect(template.spec.nodeSelector).toEqual({ hasOwnProperty: 'y', valueOf: 'v' });
  });
});

describe('environment definitions', () => {
  const { Environments } = require('../../lib/gitops');
  test.each([
    ['region with a space', { clusters: [{ name: 'dev', server: 'https://k.example', region: 'eu west' }] }, 'clusters[0].region', '"eu west"', "'eu-west-1'"],
    ['domain with a scheme', { clusters: [{ name: 'dev', server: 'https://k.example' }], domain: 'https://shop.example' }, 'domain', '"https://shop.example"', "'shop.acme.example'"],
  ])('%s', (_what, dev, prop, value, fix) => {
    let error: any;
    try { Environments.define({ dev }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.prop).toBe(prop);
    expect(error.message.startsWith(`environments.dev: ${prop} `)).toBe(true);
    expect(error.message).toContain(`got ${value}; `);
    expect(error.message).toContain(fix);
  });
});
