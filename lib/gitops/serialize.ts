import * as YAML from 'yaml';

// Same options as cdk8s's Yaml.stringify, so files match what `cdk8s synth` would write byte for byte:
// YAML 1.1 quoting (kubectl's reader is YAML 1.1: "yes", "on", "0755" stay strings), no line folding.
const OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

/** Serializes manifests as a multi-document YAML file. */
export function toYaml(docs: readonly unknown[]): string {
  return docs.map((d) => YAML.stringify(d, OPTIONS)).join('---\n');
}
