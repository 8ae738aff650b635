import { ApiObject, App, Chart } from 'cdk8s';

/** A chart in namespace `shop`, for constructing one workload. */
export function makeChart(namespace = 'shop'): Chart {
  return new Chart(new App(), 'test', { namespace });
}

/** Every object below `chart`, rendered, in construction order. */
export function render(chart: Chart): any[] {
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
}

/** The one object of `kind` (throws if there is not exactly one). */
export function only(objects: any[], kind: string): any {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

export function kinds(objects: any[]): string[] {
  return objects.map((o) => o.kind).sort();
}

/** The pod spec of any pod-bearing object. */
export function podSpec(obj: any): any {
  return obj.kind === 'CronJob' ? obj.spec.jobTemplate.spec.template.spec : obj.spec.template.spec;
}
