/** A Markdown job summary, redacted and appended to `GITHUB_STEP_SUMMARY` in one write. */
import { appendSummary } from './runner.js';
import { redact } from './secrets.js';

function cell(value: unknown): string {
  return String(value ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export class Summary {
  private readonly parts: string[] = [];

  heading(text: string, level = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${text}`);
    return this;
  }

  text(markdown: string): this {
    this.parts.push(markdown);
    return this;
  }

  /** Key/value facts as a two-column table. */
  facts(rows: Array<[string, unknown]>): this {
    return this.table(['', ''], rows.map(([k, v]) => [`**${k}**`, v]));
  }

  table(headers: string[], rows: unknown[][], align?: Array<'left' | 'right' | 'center'>): this {
    if (rows.length === 0) return this;
    const rule = headers.map((_, i) => ({ left: ':--', right: '--:', center: ':-:' })[align?.[i] ?? 'left']);
    this.parts.push(
      [`| ${headers.map(cell).join(' | ')} |`, `| ${rule.join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n'),
    );
    return this;
  }

  list(items: string[]): this {
    if (items.length) this.parts.push(items.map((i) => `- ${i}`).join('\n'));
    return this;
  }

  details(title: string, body: string): this {
    this.parts.push(`<details><summary>${title}</summary>\n\n${body}\n\n</details>`);
    return this;
  }

  code(text: string, lang = ''): this {
    const fence = text.includes('```') ? '````' : '```';
    this.parts.push(`${fence}${lang}\n${text}\n${fence}`);
    return this;
  }

  /** A bar chart (Mermaid xychart), drawn by GitHub in the summary. */
  barChart(title: string, labels: string[], values: number[], yLabel: string): this {
    if (values.length === 0) return this;
    const quoted = labels.map((l) => `"${l.replace(/"/g, "'").slice(0, 24)}"`).join(', ');
    const max = Math.max(...values, 1);
    return this.code(
      `xychart-beta\n  title "${title}"\n  x-axis [${quoted}]\n  y-axis "${yLabel}" 0 --> ${Math.ceil(max * 1.1)}\n  bar [${values.map((v) => Math.round(v)).join(', ')}]`,
      'mermaid',
    );
  }

  /**
   * A line chart (Mermaid xychart, drawn by GitHub in the summary), one line per series. xychart has
   * no legend, so the title names the series in order.
   */
  lineChart(title: string, labels: string[], series: Array<{ name: string; values: number[] }>, yLabel: string): this {
    if (labels.length === 0 || series.length === 0) return this;
    const quoted = labels.map((l) => `"${l.replace(/"/g, "'").slice(0, 24)}"`).join(', ');
    const max = Math.max(1, ...series.flatMap((s) => s.values));
    const names = series.map((s, i) => `${i + 1}: ${s.name}`).join(', ');
    const lines = series.map((s) => `  line [${s.values.map((v) => Number(v.toFixed(2))).join(', ')}]`).join('\n');
    return this.code(`xychart-beta\n  title "${`${title} (${names})`.replace(/"/g, "'")}"\n  x-axis [${quoted}]\n  y-axis "${yLabel}" 0 --> ${Math.ceil(max * 1.1)}\n${lines}`, 'mermaid');
  }

  toString(): string {
    return redact(this.parts.join('\n\n') + '\n');
  }

  write(): Promise<void> {
    return appendSummary(this.toString());
  }
}

/** A status mark for tables. */
export const mark = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️' } as const;
