// `npm run bench:review` — how long the change report takes: the example platform (target < 2 s) and the bench
// platform at N = 100 and 1000 services (target: linear, time(1000)/time(100) <= 11), a new image version for
// every tenth service in prod. Prints figures; never run as a timed test.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import { buildApp } from '../apps/main';
import { buildBenchApp } from '../apps/bench';
import { buildChangeReport, reportHtml, reportMarkdown } from '../lib/review';
import { bumpApiInProd } from './review-demo';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Milliseconds of one full report (model, Markdown, HTML). */
function time(base: Map<string, string>, head: Map<string, string>): { ms: number; bytes: number } {
  const t0 = process.hrtime.bigint();
  const report = buildChangeReport({ base, head });
  const bytes = reportMarkdown(report).length + reportHtml(report).length;
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes };
}

/** The bench tree with every tenth service of prod at a new version (image tag and version label). */
function bumpBench(files: Map<string, string>): Map<string, string> {
  const out = new Map(files);
  for (const [file, text] of files) {
    const m = /^prod\/team-\d+\/svc-(\d+)\.yaml$/.exec(file);
    if (m && Number(m[1]) % 10 === 0) out.set(file, text.replace(/(ghcr\.io\/acme\/svc-\d+:)1\./g, '$12.').replace(/(app\.kubernetes\.io\/version: )1\./g, '$12.'));
  }
  return out;
}

function main(): void {
  const runs = Number(process.env.RUNS ?? 3);
  const example = buildApp().synthFiles();
  const exampleHead = bumpApiInProd(example);
  const ex = Array.from({ length: runs }, () => time(example, exampleHead));
  const exMs = median(ex.map((r) => r.ms));
  process.stdout.write(`example platform: ${example.size} files, report ${exMs.toFixed(0)} ms (median of ${runs}) ${exMs < 2000 ? 'PASS' : 'FAIL'} (< 2000 ms)\n`);
  const perN: { n: number; ms: number }[] = [];
  for (const n of [100, 1000]) {
    const files = buildBenchApp(n).synthFiles();
    const head = bumpBench(files);
    const r = Array.from({ length: runs }, () => time(files, head));
    const ms = median(r.map((x) => x.ms));
    perN.push({ n, ms });
    process.stdout.write(`bench N=${n}: ${files.size} files, report ${ms.toFixed(0)} ms, ${((ms * 1000) / files.size).toFixed(0)} us/file, ${(r[0].bytes / 1024).toFixed(0)} KiB of report\n`);
  }
  const ratio = perN[1].ms / perN[0].ms;
  process.stdout.write(`time(1000)/time(100) = ${ratio.toFixed(1)} ${ratio <= 11 ? 'PASS' : 'FAIL'} (<= 11: linear)\n`);
}

main();
