// Tests import capability folders directly (not the entry module lib/index.ts): register every capability once,
// as an app does with `import '<lib>/capabilities'`.
import '../lib/capabilities';
