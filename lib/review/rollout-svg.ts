import { REVIEW_DEFAULTS as D } from './defaults';
import { formatDuration, RolloutPhase, RolloutPlan } from './rollout-plan';

const COLORS: Record<RolloutPhase['kind'], string> = {
  'weight': '#2f6fdb',
  'pause': '#9aa3ad',
  'analysis': '#1f9d55',
  'header-route': '#8a4bd6',
  'mirror': '#e08a00',
  'scale': '#0f8b8d',
  'preview': '#8a4bd6',
  'promote': '#1d3f8f',
  'batch': '#2f6fdb',
  'done': '#1d3f8f',
};

/** Escapes text for XML content and attributes. */
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

/** Splits a label into lines of about `width` characters; a word longer than that is split, never cut. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  const words = text.split(/\s+/).flatMap((w) => (w.length <= width ? [w] : w.match(new RegExp(`.{1,${width}}`, 'g')) ?? [w]));
  for (const word of words) {
    if (line && (line + ' ' + word).length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}

/**
 * A rollout plan as a timeline: one column per phase, the bar's height the share of traffic on the new version
 * after it; analysis gates are marked with a diamond, manual waits with a hand-stop bar, durations below.
 */
export function rolloutSvg(plan: RolloutPlan, title: string): string {
  const { stepWidth, marginLeft, marginTop, chartHeight } = D.svg;
  const width = marginLeft + Math.max(plan.phases.length, 1) * stepWidth + 16;
  // labels in full: the picture grows by a line for each line the longest label needs beyond two
  const labels = plan.phases.map((p) => wrap(p.label, 15));
  const lines = Math.max(2, ...labels.map((l) => l.length));
  const height = D.svg.height + (lines - 2) * 12;
  const base = marginTop + chartHeight;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  parts.push(`<title>${xml(title)}</title>`);
  parts.push(`<text x="4" y="14" font-size="12" font-weight="bold">${xml(title)}</text>`);
  for (const pct of [0, 50, 100]) {
    const y = base - (pct / 100) * chartHeight;
    parts.push(`<line x1="${marginLeft - 4}" y1="${y}" x2="${width - 8}" y2="${y}" stroke="#dde1e6" stroke-width="1"/>`);
    parts.push(`<text x="${marginLeft - 8}" y="${y + 4}" text-anchor="end" fill="#55606e">${pct}%</text>`);
  }
  plan.phases.forEach((p, i) => {
    const x = marginLeft + i * stepWidth;
    const h = Math.max((p.weight / 100) * chartHeight, 2);
    const color = COLORS[p.kind];
    const tip = [p.label, p.seconds !== undefined && p.seconds > 0 ? formatDuration(p.seconds) : '', ...(p.measures ?? [])].filter(Boolean).join(' — ');
    parts.push(`<g class="phase phase-${p.kind}"><title>${xml(tip)}</title>`);
    parts.push(`<rect x="${x + 6}" y="${base - h}" width="${stepWidth - 12}" height="${h}" rx="3" fill="${color}" opacity="${p.kind === 'pause' ? 0.55 : 0.9}"/>`);
    if (p.kind === 'analysis') {
      const cx = x + stepWidth / 2;
      const cy = base - h - 10;
      parts.push(`<path d="M ${cx} ${cy - 7} L ${cx + 7} ${cy} L ${cx} ${cy + 7} L ${cx - 7} ${cy} Z" fill="#1f9d55" stroke="#fff" stroke-width="1"/>`);
    }
    if (p.manual) parts.push(`<rect x="${x + 4}" y="${marginTop}" width="4" height="${chartHeight}" fill="#c62828"/>`);
    parts.push(`<text x="${x + stepWidth / 2}" y="${base - h - (p.kind === 'analysis' ? 22 : 4)}" text-anchor="middle" fill="#222">${p.weight}%</text>`);
    labels[i].forEach((line, j) => {
      parts.push(`<text x="${x + stepWidth / 2}" y="${base + 14 + j * 12}" text-anchor="middle" fill="#222">${xml(line)}</text>`);
    });
    const dur = p.manual ? 'manual' : p.seconds ? formatDuration(p.seconds) : '';
    if (dur) parts.push(`<text x="${x + stepWidth / 2}" y="${base + 18 + lines * 12}" text-anchor="middle" fill="${p.manual ? '#c62828' : '#55606e'}">${xml(dur)}</text>`);
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}
