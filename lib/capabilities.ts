// The registry's one list: every capability folder that contributes settings, synth stages, apply-order edges,
// diff or review knowledge registers here, with one line (see docs/architecture.md). lib/index.ts imports this
// file; an app that imports capability folders directly imports it once too (`import '<lib>/capabilities'`).
// Stages run in this order: schema before policy (a misspelled field is the cause, the policy findings it would
// trigger are only symptoms).
import { configCapability } from './config/capability';
import { registerCapability } from './environments/capability';
import { exposureCapability } from './exposure/capability';
import { meshCapability } from './mesh/capability';
import { observabilityCapability } from './observability/capability';
import { policyCapability } from './policy/capability';
import { scalingCapability } from './scaling/capability';
import { schemaCapability } from './schema/capability';
import { secretsCapability } from './secrets/capability';
import { storageCapability } from './storage/capability';
import { tenancyCapability } from './tenancy/capability';
import { workloadsCapability } from './workloads/capability';

registerCapability(workloadsCapability);
registerCapability(storageCapability);
registerCapability(configCapability);
registerCapability(secretsCapability);
registerCapability(meshCapability);
registerCapability(exposureCapability);
registerCapability(observabilityCapability);
registerCapability(scalingCapability);
registerCapability(tenancyCapability);
registerCapability(schemaCapability);
registerCapability(policyCapability);
