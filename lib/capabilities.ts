// The registry's one list: every capability folder that contributes settings, synth stages, apply-order edges or
// review knowledge registers here, with one line. lib/index.ts imports this file; an app that imports capability
// folders directly imports it once too (`import '<lib>/capabilities'`).
import { registerCapability } from './environments/capability';
import { exposureCapability } from './exposure/capability';
import { observabilityCapability } from './observability/capability';
import { scalingCapability } from './scaling/capability';
import { secretsCapability } from './secrets/capability';
import { tenancyCapability } from './tenancy/capability';

registerCapability(secretsCapability);
registerCapability(observabilityCapability);
registerCapability(scalingCapability);
registerCapability(tenancyCapability);
registerCapability(exposureCapability);
