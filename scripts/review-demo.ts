// `npm run review:demo` — the review of a sample change to the example platform (the API at a new version in
// prod), written to review/demo/ (ignored by git) and, with Chromium, pictured in review/demo/report.png.
// `npm run review:demo -- --update-docs` also replaces the committed picture docs/review-example.png.
import '../lib/capabilities'; // every capability's registration (synth stages, settings)
import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../apps/main';
import { buildChangeReport, reportHtml, reportMarkdown } from '../lib/review';
import { findChromium, inspectPage } from './chromium';

/** The example's dist/ with the API at `version` in prod: the image tag and version label of its files. */
export function bumpApiInProd(files: ReadonlyMap<string, string>, from = '3.8.1', to = '3.9.0'): Map<string, string> {
  const out = new Map(files);
  const esc = from.replace(/\./g, '\\.');
  for (const [file, text] of files) {
    if (/^prod\/([^/]+\/)?storefront\/api\.yaml$/.test(file)) {
      out.set(file, text.replace(new RegExp(`storefront-api:${esc}`, 'g'), `storefront-api:${to}`)
        .replace(new RegExp(`app\\.kubernetes\\.io/version: ${esc}`, 'g'), `app.kubernetes.io/version: ${to}`));
    }
  }
  return out;
}

async function main(): Promise<void> {
  const base = buildApp().synthFiles();
  const head = bumpApiInProd(base);
  const report = buildChangeReport({ base, head, baseLabel: 'main', headLabel: 'storefront-api 3.9.0 in prod' });
  const out = path.join('review', 'demo');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'report.md'), reportMarkdown(report));
  fs.writeFileSync(path.join(out, 'report.html'), reportHtml(report));
  process.stdout.write(`review:demo: wrote ${out}/report.md and ${out}/report.html\n`);
  const chromium = findChromium();
  if (!chromium) {
    process.stdout.write('review:demo: no chromium, no screenshot (apt-get install chromium)\n');
    return;
  }
  const picture = path.join(out, 'report.png');
  const page = await inspectPage(chromium, path.join(out, 'report.html'), { screenshot: picture, width: 1100 });
  if (page.errors.length > 0) throw new Error(`the page has errors: ${page.errors.join('; ')}`);
  process.stdout.write(`review:demo: wrote ${picture}\n`);
  if (process.argv.includes('--update-docs')) {
    // the tracked picture changes only when asked
    fs.copyFileSync(picture, path.join('docs', 'review-example.png'));
    process.stdout.write('review:demo: replaced docs/review-example.png\n');
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`review:demo: ${e.message ?? e}\n`);
    process.exit(1);
  });
}
