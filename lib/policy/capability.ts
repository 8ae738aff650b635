import type { Capability, ExemptionNote } from '../environments/capability';
import { checkPolicy, evaluate } from './check';
import { isNamespacedKind } from './kind-scope';

/**
 * The policy capability's registration (lib/capabilities.ts; essential: synth refuses to run without it): the
 * rules run on every rendered object before anything is written, and the review lists the exemptions in effect.
 */
export const policyCapability: Capability = {
  name: 'policy',
  check: (objects) => checkPolicy(objects),
  isNamespaced: (manifest) => isNamespacedKind(manifest),
  exemptionsOf: (objects) => {
    const out: ExemptionNote[] = [];
    const seen = new Set<string>();
    for (const f of evaluate(objects, { includeExempted: true })) {
      if (!f.exemption) continue;
      const object = `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
      const k = `${f.folder}|${object}|${f.rule}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ folder: f.folder, object, rule: f.rule, reason: f.exemption.reason });
    }
    return out;
  },
};
