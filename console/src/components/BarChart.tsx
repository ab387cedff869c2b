// A bar chart as plain SVG: no chart library to load, sharp at any size, and readable by screen readers —
// the figure has a text summary and the numbers are one click away as a table.
export interface Bar {
  label: string;
  value: number;
  /** A CSS class for the bar's colour (e.g. a status). */
  tone?: string;
}

interface Props {
  id: string;
  title: string;
  bars: Bar[];
  unit?: string;
  /** Horizontal bars suit long labels (statuses); columns suit a time axis. */
  orientation?: 'horizontal' | 'vertical';
}

export function BarChart({ id, title, bars, unit = '', orientation = 'horizontal' }: Props) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const total = bars.reduce((sum, bar) => sum + bar.value, 0);
  const summary = `${title}: ${bars.map((bar) => `${bar.label} ${bar.value}${unit}`).join(', ')}`;
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        {title} <span class="muted">({total}{unit} in all)</span>
      </figcaption>
      {orientation === 'horizontal' ? <Horizontal bars={bars} max={max} summary={summary} /> : <Vertical bars={bars} max={max} summary={summary} />}
      <details>
        <summary>Show as a table</summary>
        <table>
          <thead><tr><th scope="col">{title}</th><th scope="col">Count</th></tr></thead>
          <tbody>
            {bars.map((bar) => <tr key={bar.label}><th scope="row">{bar.label}</th><td>{bar.value}{unit}</td></tr>)}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

const ROW = 26;

function Horizontal({ bars, max, summary }: { bars: Bar[]; max: number; summary: string }) {
  // A narrow viewBox: the chart is scaled to its card (about 350 px wide), so its text stays legible.
  const labelWidth = 175;
  const width = 400;
  const height = bars.length * ROW;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} preserveAspectRatio="xMinYMin meet">
      {bars.map((bar, i) => {
        const length = ((width - labelWidth - 36) * bar.value) / max;
        return (
          <g key={bar.label} transform={`translate(0 ${i * ROW})`}>
            <text x={labelWidth - 8} y={ROW / 2 + 5} text-anchor="end" class="axis-label">{bar.label}</text>
            <rect x={labelWidth} y={4} width={Math.max(bar.value ? 2 : 0, length)} height={ROW - 8} rx={3} class={`bar ${bar.tone ?? ''}`} />
            <text x={labelWidth + length + 6} y={ROW / 2 + 5} class="value-label">{bar.value}</text>
          </g>
        );
      })}
    </svg>
  );
}

function Vertical({ bars, max, summary }: { bars: Bar[]; max: number; summary: string }) {
  const width = 380;
  const height = 170;
  const base = height - 24;
  // A margin on each side, so that the first and last labels (centred under their bars) are not cut off.
  const margin = 20;
  const step = (width - 2 * margin) / Math.max(1, bars.length);
  const showEvery = Math.ceil(bars.length / 6);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} preserveAspectRatio="xMinYMin meet">
      <line x1={0} x2={width} y1={base} y2={base} class="axis" />
      {bars.map((bar, i) => {
        const h = ((base - 16) * bar.value) / max;
        return (
          <g key={bar.label} transform={`translate(${margin + i * step} 0)`}>
            <rect x={step * 0.15} y={base - h} width={step * 0.7} height={h} rx={2} class={`bar ${bar.tone ?? ''}`}>
              <title>{`${bar.label}: ${bar.value}`}</title>
            </rect>
            {bar.value && bars.length <= 12 ? <text x={step / 2} y={base - h - 4} text-anchor="middle" class="value-label">{bar.value}</text> : null}
            {i % showEvery === 0 ? <text x={step / 2} y={height - 6} text-anchor="middle" class="axis-label">{bar.label}</text> : null}
          </g>
        );
      })}
    </svg>
  );
}

/** The share of a whole as a ring, e.g. how much the assistant resolved on its own. */
export function ShareRing({ id, title, share, detail }: { id: string; title: string; share: number | null; detail: string }) {
  const radius = 52;
  const circumference = 2 * Math.PI * radius;
  const percent = share === null ? null : Math.round(share * 100);
  return (
    <figure class="chart ring" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg viewBox="0 0 140 140" role="img" aria-label={`${title}: ${percent === null ? 'no resolved tickets yet' : `${percent} %`} (${detail})`}>
        <circle cx={70} cy={70} r={radius} class="ring-track" />
        {share !== null ? (
          <circle cx={70} cy={70} r={radius} class="ring-value" stroke-dasharray={`${circumference * share} ${circumference}`} transform="rotate(-90 70 70)" />
        ) : null}
        <text x={70} y={78} text-anchor="middle" class="ring-text">{percent === null ? '—' : `${percent}%`}</text>
      </svg>
      <p class="muted small">{detail}</p>
    </figure>
  );
}
