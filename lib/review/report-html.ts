import { ChangeReport, collapseVersionChurn, groupRisks, Risk, stageCells } from './change-report';
import { fieldChangeTexts } from './field-changes';
import { formatDuration } from './rollout-plan';
import { rolloutSvg, xml } from './rollout-svg';

const STYLE = `
body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1f2328;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
td.num{text-align:right}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;background:#f6f8fa;padding:1px 4px;border-radius:4px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.high{background:#c62828}.acked{background:#8c6d1f}.medium{background:#9a6700}.ok{background:#1f883d}
.moved{font-weight:700;background:#fff8c5}.plan{margin:10px 0 18px}.plan p{margin:4px 0}
.muted{color:#57606a}ul{margin:4px 0 8px;padding-left:22px}details{margin:6px 0}summary{cursor:pointer}
`;

function badge(r: Risk): string {
  if (r.level === 'high') return r.acknowledged === undefined ? '<span class="badge high">HIGH</span>' : '<span class="badge acked">high, acknowledged</span>';
  return '<span class="badge medium">medium</span>';
}

/**
 * The report as one static HTML page: no scripts, no network, no external fonts; the rollout timelines are
 * inline SVG.
 */
export function reportHtml(report: ChangeReport): string {
  const h: string[] = [];
  h.push('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">');
  h.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  h.push(`<title>Change review: ${xml(report.baseLabel)} → ${xml(report.headLabel)}</title><style>${STYLE}</style></head><body>`);
  h.push(`<h1>Change review</h1><p class="muted"><code>${xml(report.baseLabel)}</code> → <code>${xml(report.headLabel)}</code></p>`);
  if (report.empty) {
    h.push('<p>No change: both trees hold the same bytes.</p></body></html>');
    return h.join('\n');
  }
  const high = report.unacknowledgedHigh.length;
  h.push(`<p>${high > 0 ? `<span class="badge high">${high} unacknowledged high risk(s)</span>` : '<span class="badge ok">no unacknowledged high risk</span>'}
 ${report.totals.added} added, ${report.totals.changed} changed, ${report.totals.removed} removed; at most ${report.totals.restarts} pod(s) restart.</p>`);

  h.push('<h2>Summary</h2><table><thead><tr><th>target</th><th>added</th><th>changed</th><th>removed</th><th>pods restarting</th><th>config generations</th><th>risks</th><th>min. rollout</th></tr></thead><tbody>');
  for (const t of report.targets) {
    const min = t.restarts.reduce((s, r) => s + Math.max(r.min, 0), 0);
    const max = t.restarts.reduce((s, r) => s + Math.max(r.max, 0), 0);
    const restarts = `${min === max ? max : `${min}-${max}`}${t.restarts.some((r) => r.max < 0) ? ' + every node' : ''}`;
    const highs = t.risks.filter((r) => r.level === 'high' && r.acknowledged === undefined).length;
    h.push(`<tr><td><code>${xml(t.folder)}</code></td><td class="num">${t.added.length}</td><td class="num">${t.changed.length}</td><td class="num">${t.removed.length}</td>`
      + `<td class="num">${restarts}</td><td>${t.configAdded.length + t.configRetired.length > 0 ? `+${t.configAdded.length} / -${t.configRetired.length}` : ''}</td>`
      + `<td>${highs > 0 ? `<span class="badge high">${highs} high</span> ` : ''}${t.risks.length > 0 ? `${t.risks.length} total` : ''}</td><td>${t.plans.length > 0 ? formatDuration(t.minSeconds) : ''}</td></tr>`);
  }
  h.push('</tbody></table>');

  if (report.risks.length > 0) {
    h.push('<h2>Risks</h2><table><thead><tr><th>level</th><th>target</th><th>object</th><th>risk</th><th>what</th></tr></thead><tbody>');
    for (const { risk: r, folders } of groupRisks(report.risks)) {
      h.push(`<tr class="risk risk-${r.kind}"><td>${badge(r)}</td><td>${folders.map((f) => `<code>${xml(f)}</code>`).join(', ')}</td><td><code>${xml(r.object)}</code></td><td>${xml(r.kind)}</td>`
        + `<td>${xml(r.message)}${r.acknowledged !== undefined ? `<br><em>acknowledged: ${xml(r.acknowledged)}</em>` : ''}</td></tr>`);
    }
    h.push('</tbody></table>');
  }

  const withPlans = report.targets.filter((t) => t.plans.length > 0);
  if (withPlans.length > 0) {
    h.push('<h2>Rollout plans</h2>');
    for (const t of withPlans) {
      h.push(`<h3><code>${xml(t.folder)}</code> — at least ${formatDuration(t.minSeconds)}${t.plans.some((p) => p.manual) ? ' plus manual promotion' : ''}</h3>`);
      for (const p of t.plans) {
        h.push('<div class="plan">');
        h.push(rolloutSvg(p, `${p.workload} — ${p.strategy}, at least ${formatDuration(p.minSeconds)}${p.manual ? ' + manual' : ''}`));
        const gates = p.phases.filter((x) => x.measures && x.measures.length > 0);
        if (gates.length > 0) h.push(`<p>Analysis gates: ${gates.map((g) => `at ${g.weight}%: ${g.measures!.map(xml).join(', ')}`).join('; ')}</p>`);
        if (p.background) h.push(`<p>Background analysis: ${p.background.map(xml).join('; ')}</p>`);
        if (p.notes.length > 0) h.push(`<p class="muted">${p.notes.map(xml).join('; ')}</p>`);
        h.push('</div>');
      }
    }
  }

  const rows = report.promotion.rows.filter((r) => [...r.versions.values()].some(([a, b]) => a !== b));
  h.push('<h2>Promotion</h2>');
  if (rows.length === 0) {
    h.push('<p class="muted">No version moves in this change.</p>');
  } else {
    h.push(`<table><thead><tr><th>workload</th>${report.promotion.folders.map((f) => `<th><code>${xml(f)}</code></th>`).join('')}</tr></thead><tbody>`);
    for (const r of report.promotion.rows) {
      const cells = report.promotion.folders.map((f) => {
        const [a, b] = r.versions.get(f) ?? [undefined, undefined];
        return a === b ? `<td>${xml(a ?? '')}</td>` : `<td class="moved">${xml(a ?? '(none)')} → ${xml(b ?? '(removed)')}</td>`;
      });
      h.push(`<tr><td><code>${xml(r.workload)}</code></td>${cells.join('')}</tr>`);
    }
    h.push('</tbody></table>');
  }

  if (report.promotion.stages.length > 0) {
    h.push('<h3>Promotion stages</h3>');
    h.push('<table><thead><tr><th>stage</th><th>runs</th><th>candidate (waiting on)</th><th>exemptions</th></tr></thead><tbody>');
    for (const stage of report.promotion.stages) {
      const c = stageCells(stage);
      h.push(`<tr><td><code>${xml(stage.name)}</code></td><td>${xml(c.runs)}</td><td>${xml(c.candidates)}</td><td${c.exemptions ? ' class="moved"' : ''}>${xml(c.exemptions)}</td></tr>`);
    }
    h.push('</tbody></table>');
  }

  h.push('<h2>Details</h2>');
  for (const t of report.targets) {
    h.push(`<details><summary><code>${xml(t.folder)}</code>: ${t.added.length} added, ${t.changed.length} changed, ${t.removed.length} removed</summary><ul>`);
    for (const a of t.added) h.push(`<li>added <code>${xml(a)}</code></li>`);
    const { churn, rest } = collapseVersionChurn(t.changed);
    for (const v of churn) h.push(`<li>version label only: <code>${xml(v.workload)}</code> ${xml(v.from)} → ${xml(v.to)} on ${v.objects.length} object${v.objects.length === 1 ? '' : 's'}</li>`);
    for (const c of rest) {
      const { shown, more } = fieldChangeTexts(c.changes);
      h.push(`<li>changed <code>${xml(c.object)}</code>: ${shown.map((x) => `<code>${xml(x)}</code>`).join('; ')}${more > 0 ? `; and ${more} more field${more === 1 ? '' : 's'}` : ''}</li>`);
    }
    for (const r of t.removed) h.push(`<li>removed <code>${xml(r)}</code></li>`);
    for (const r of t.restarts) h.push(`<li>restarts <code>${xml(r.workload)}</code>: ${r.max < 0 ? 'one pod per node' : r.min === r.max ? `${r.max} pod(s)` : `${r.min}-${r.max} pods`}</li>`);
    for (const c of t.configAdded) h.push(`<li>new config generation <code>${xml(c)}</code></li>`);
    for (const c of t.configRetired) h.push(`<li>retired config generation <code>${xml(c)}</code></li>`);
    h.push('</ul></details>');
  }
  h.push('</body></html>');
  return h.join('\n');
}
