import { ChangeReport, collapseVersionChurn, groupRisks, Risk, stageCells, TargetReport } from './change-report';
import { mdCode, mdHtml, mdText } from './escape';
import { fieldChangeTexts } from './field-changes';
import { formatDuration, RolloutPlan } from './rollout-plan';

/** Every user string goes through one of these (see escape.ts): text, code spans, raw HTML. */
const cell = mdText;
const code = (s: string) => mdCode(s, true);
const span = (s: string) => mdCode(s);

/** One risk, with every target it occurs in (the same change in each cluster of an environment is one line). */
function riskLine(r: Risk, folders: readonly string[]): string {
  const tag = r.level === 'high' ? (r.acknowledged === undefined ? '**HIGH**' : 'high (acknowledged)') : 'medium';
  const ack = r.acknowledged !== undefined ? ` — acknowledged: _${cell(r.acknowledged)}_` : '';
  return `- ${tag} ${folders.map(span).join(', ')} ${span(r.object)} **${cell(r.kind)}**: ${cell(r.message)}${ack}`;
}

/** One line per phase: `5% → header route x: always → pause 10m → analysis gate (…) → …`. */
export function planText(plan: RolloutPlan): string {
  const steps = plan.phases.map((p) => {
    const measures = p.measures && p.measures.length > 0 ? ` (${p.measures.map(cell).join('; ')})` : '';
    return `${cell(p.label)}${measures}`;
  });
  const min = plan.manual ? `at least ${formatDuration(plan.minSeconds)} plus manual promotion` : `at least ${formatDuration(plan.minSeconds)}`;
  const bg = plan.background ? ` Background analysis: ${plan.background.map(cell).join('; ')}.` : '';
  return `**${cell(plan.workload)}** (${cell(plan.strategy)}, ${min}): ${steps.join(' → ')}.${bg}${plan.notes.length > 0 ? ` ${plan.notes.map(cell).join('; ')}.` : ''}`;
}

function restartsText(t: TargetReport): string {
  if (t.restarts.length === 0) return '0';
  const min = t.restarts.reduce((s, r) => s + Math.max(r.min, 0), 0);
  const max = t.restarts.reduce((s, r) => s + Math.max(r.max, 0), 0);
  const daemon = t.restarts.some((r) => r.max < 0) ? ' + every node' : '';
  return `${min === max ? `${max}` : `${min}-${max}`}${daemon}`;
}

/**
 * The report as Markdown for a pull-request comment: a summary table per target, risks first, details and
 * rollout plans collapsed.
 */
export function reportMarkdown(report: ChangeReport): string {
  const out: string[] = [];
  out.push(`## Change review: ${cell(report.baseLabel)} → ${cell(report.headLabel)}`, '');
  if (report.empty) {
    out.push('No change: both trees hold the same bytes.', '');
    return out.join('\n');
  }
  const high = report.unacknowledgedHigh.length;
  out.push(high > 0 ? `**${high} unacknowledged high risk(s).** Acknowledge each in code with a reason (\`Review.acknowledge(scope, kind, reason)\`) or change the code.` : 'No unacknowledged high risk.', '');
  out.push(`${report.totals.added} added, ${report.totals.changed} changed, ${report.totals.removed} removed; ${report.totals.restarts} pod(s) restart at most.`, '');
  out.push('| target | added | changed | removed | pods restarting | config generations | risks | min. rollout |');
  out.push('| --- | ---: | ---: | ---: | ---: | --- | --- | --- |');
  for (const t of report.targets) {
    const highs = t.risks.filter((r) => r.level === 'high' && r.acknowledged === undefined).length;
    const risks = t.risks.length === 0 ? '' : `${highs > 0 ? `**${highs} high**, ` : ''}${t.risks.length} total`;
    const gens = t.configAdded.length + t.configRetired.length === 0 ? '' : `+${t.configAdded.length} / -${t.configRetired.length}`;
    out.push(`| ${code(t.folder)} | ${t.added.length} | ${t.changed.length} | ${t.removed.length} | ${restartsText(t)} | ${gens} | ${risks} | ${t.plans.length > 0 ? formatDuration(t.minSeconds) : ''} |`);
  }
  out.push('');
  if (report.risks.length > 0) {
    out.push('### Risks', '');
    for (const g of groupRisks(report.risks)) out.push(riskLine(g.risk, g.folders));
    out.push('');
  }
  const moved = report.promotion.rows.filter((row) => [...row.versions.values()].some(([a, b]) => a !== b));
  if (moved.length > 0) {
    out.push('### Promotion', '');
    out.push(`| workload | ${report.promotion.folders.map(code).join(' | ')} |`);
    out.push(`| --- | ${report.promotion.folders.map(() => '---').join(' | ')} |`);
    for (const row of moved) {
      const cells = report.promotion.folders.map((f) => {
        const [a, b] = row.versions.get(f) ?? [undefined, undefined];
        if (a === b) return cell(a ?? '');
        return `**${cell(a ?? '(none)')} → ${cell(b ?? '(removed)')}**`;
      });
      out.push(`| ${code(row.workload)} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  if (report.promotion.stages.length > 0) {
    out.push('### Promotion stages', '');
    out.push('| stage | runs | candidate (waiting on) | exemptions |');
    out.push('| --- | --- | --- | --- |');
    // ledger text is free text: markup stays text
    for (const stage of report.promotion.stages) {
      const c = stageCells(stage);
      out.push(`| ${code(stage.name)} | ${cell(c.runs)} | ${cell(c.candidates)} | ${c.exemptions ? `**${cell(c.exemptions)}**` : ''} |`);
    }
    out.push('');
  }
  out.push('### Details', '');
  for (const t of report.targets) {
    out.push(`<details><summary><code>${mdHtml(t.folder)}</code>: ${t.added.length} added, ${t.changed.length} changed, ${t.removed.length} removed</summary>`, '');
    for (const a of t.added) out.push(`- added ${span(a)}`);
    const { churn, rest } = collapseVersionChurn(t.changed);
    for (const v of churn) out.push(`- version label only: ${span(v.workload)} ${cell(v.from)} → ${cell(v.to)} on ${v.objects.length} object${v.objects.length === 1 ? '' : 's'}`);
    for (const c of rest) {
      const { shown, more } = fieldChangeTexts(c.changes);
      out.push(`- changed ${span(c.object)}: ${shown.map(span).join('; ')}${more > 0 ? `; and ${more} more field${more === 1 ? '' : 's'}` : ''}`);
    }
    for (const r of t.removed) out.push(`- removed ${span(r)}`);
    for (const r of t.restarts) out.push(`- restarts ${span(r.workload)}: ${r.max < 0 ? 'one pod per node' : r.min === r.max ? `${r.max} pod(s)` : `${r.min}-${r.max} pods`}`);
    for (const c of t.configAdded) out.push(`- new config generation ${span(c)}`);
    for (const c of t.configRetired) out.push(`- retired config generation ${span(c)}`);
    if (t.plans.length > 0) {
      out.push('', 'Rollout plan:', '');
      for (const p of t.plans) out.push(`- ${planText(p)}`);
    }
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
