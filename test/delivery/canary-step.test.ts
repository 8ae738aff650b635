import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { toJson_RolloutSpecStrategyCanarySteps } from '../../imports/argo-rollouts-argoproj.io';
import { CanaryStep } from '../../lib/delivery';

const scope = new Construct(new App(), 'svc');
const context = { analysis: () => ({ templates: [{ templateName: 'api-slo' }], args: [{ name: 'service', value: 'api-canary' }] }) };
// as the generated Rollout class converts it when rendering
const render = (step: CanaryStep) => toJson_RolloutSpecStrategyCanarySteps(step._render(scope, 'steps[0]', context));

describe('CanaryStep', () => {
  test.each([
    [CanaryStep.setWeight(20), { setWeight: 20 }],
    [CanaryStep.pause(), { pause: {} }],
    [CanaryStep.pause('30s'), { pause: { duration: '30s' } }],
    [CanaryStep.pause('1h'), { pause: { duration: '1h' } }],
    [CanaryStep.pause(300), { pause: { duration: '300s' } }],
    [CanaryStep.scaleCanary(25), { setCanaryScale: { weight: 25 } }],
    [CanaryStep.analysis(), { analysis: { templates: [{ templateName: 'api-slo' }], args: [{ name: 'service', value: 'api-canary' }] } }],
    [CanaryStep.mirror(), { setMirrorRoute: { name: 'mirror', percentage: 100, match: [{ path: { prefix: '/' } }] } }],
    [CanaryStep.headerRoute({ header: 'x-canary', value: 'always', name: 'qa' }),
      { setHeaderRoute: { name: 'qa', match: [{ headerName: 'x-canary', headerValue: { exact: 'always' } }] } }],
  ])('%# renders the Argo Rollouts step', (step, expected) => {
    expect(render(step)).toEqual(expected);
  });

  test('route steps name their managed route; others have none', () => {
    expect(CanaryStep.mirror().routeName).toBe('mirror');
    expect(CanaryStep.headerRoute({ header: 'h', value: 'v' }).routeName).toBe('test-group');
    expect(CanaryStep.setWeight(10).routeName).toBeUndefined();
    expect(CanaryStep.setWeight(10).weight).toBe(10);
  });

  test('a bad duration names the step', () => {
    expect(() => render(CanaryStep.pause('10 min'))).toThrow(`svc: steps[0].pause must be a positive duration: '30s', '5m', '1h' or a number of seconds, got "10 min"; write e.g. '5m' or 300`);
  });
});
