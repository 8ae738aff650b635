// Jest's order, but where it has no timings from an earlier run (a fresh clone, CI) and falls back to file size,
// the files that start processes (synth, the cdk8s CLI, kubectl, scripts, a nested jest) go first: they take
// longest whatever their size, and one of them started last leaves a worker running alone at the end.
const fs = require('fs');
const Sequencer = require('@jest/test-sequencer').default;

const STARTS_PROCESSES = /\b(spawn|spawnSync|execFileSync|execSync|scriptBundle)\(/;

class ProcessesFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const untimed = sorted.filter((t) => t.duration == null && !this.hasFailed(t));
    if (untimed.length === 0) return sorted;
    const starts = new Set(untimed.filter((t) => STARTS_PROCESSES.test(fs.readFileSync(t.path, 'utf8'))));
    // the default puts untimed tests first (after failed ones), biggest first: keep that, processes ahead
    const first = sorted.filter((t) => this.hasFailed(t));
    return [...first, ...untimed.filter((t) => starts.has(t)), ...untimed.filter((t) => !starts.has(t)), ...sorted.filter((t) => !first.includes(t) && !untimed.includes(t))];
  }
}

module.exports = ProcessesFirst;
