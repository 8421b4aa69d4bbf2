import { bars, linePath, linePoints, niceMax, type Box } from '../lib/chart';
import { formatDuration } from '../lib/format';

const BOX: Box = { width: 240, height: 72, padTop: 6, padBottom: 2 };

export interface BarSeries {
  readonly label: string;
  readonly values: readonly number[];
  readonly className: string;
  /** Width of a bar as a fraction of its slot; narrower series drawn later stay readable over wider ones. */
  readonly widthRatio?: number;
}

/**
 * Stacked-free small multiple: one or more counter series as overlaid bars on a shared axis. The SVG is an
 * image with a text alternative that states the totals, so the numbers are never only in pixels.
 */
export function BarChart(props: {
  title: string;
  series: readonly BarSeries[];
  minutes: number;
}): preact.JSX.Element {
  const max = niceMax(Math.max(0, ...props.series.flatMap((s) => s.values)));
  const summary = props.series.map((s) => `${s.label} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  return (
    <ChartFrame
      title={props.title}
      maxLabel={String(max)}
      description={`${props.title}, last ${props.minutes} minutes: ${summary}`}
      legend={props.series}
    >
      {props.series.map((s) => (
        <g class={s.className} key={s.label}>
          {bars(s.values, BOX, max, s.widthRatio).map((b, i) =>
            b.height > 0 ? (
              <rect key={i} x={b.x} y={b.y} width={b.width} height={b.height}>
                <title>{`${s.label}: ${b.value}`}</title>
              </rect>
            ) : null,
          )}
        </g>
      ))}
    </ChartFrame>
  );
}

/** Duration percentiles as lines over the same buckets. */
export function LineChart(props: {
  title: string;
  lines: readonly { label: string; values: readonly (number | undefined)[]; className: string }[];
  minutes: number;
}): preact.JSX.Element {
  const max = niceMax(
    Math.max(0, ...props.lines.flatMap((l) => l.values.filter((v): v is number => v !== undefined))),
  );
  const summary = props.lines
    .map((l) => {
      const last = [...l.values].reverse().find((v) => v !== undefined);
      return `${l.label} latest ${formatDuration(last)}`;
    })
    .join(', ');
  return (
    <ChartFrame
      title={props.title}
      maxLabel={formatDuration(max)}
      description={`${props.title}, last ${props.minutes} minutes: ${summary}`}
      legend={props.lines}
    >
      {props.lines.map((l) => (
        <g key={l.label} class={l.className}>
          <path d={linePath(l.values, BOX, max)} class="line" vector-effect="non-scaling-stroke" />
          {linePoints(l.values, BOX, max).map((p, i) => (
            <circle key={i} cx={p.x} cy={p.y} r="1.5" class="dot">
              <title>{`${l.label}: ${formatDuration(p.value)}`}</title>
            </circle>
          ))}
        </g>
      ))}
    </ChartFrame>
  );
}

/** The figure every chart shares: caption with its scale, an SVG image with a text alternative, an axis, a legend. */
function ChartFrame(props: {
  title: string;
  maxLabel: string;
  description: string;
  legend: readonly { label: string; className: string }[];
  children: preact.ComponentChildren;
}): preact.JSX.Element {
  return (
    <figure class="chart">
      <figcaption>
        {props.title} <span class="muted">(max {props.maxLabel})</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${BOX.width} ${BOX.height}`}
        role="img"
        aria-label={props.description}
        preserveAspectRatio="none"
      >
        <line
          x1="0"
          x2={BOX.width}
          y1={BOX.height - BOX.padBottom}
          y2={BOX.height - BOX.padBottom}
          class="axis"
        />
        {props.children}
      </svg>
      <Legend items={props.legend} />
    </figure>
  );
}

function Legend(props: { items: readonly { label: string; className: string }[] }): preact.JSX.Element {
  return (
    <ul class="legend">
      {props.items.map((i) => (
        <li key={i.label}>
          <span class={`key-swatch ${i.className}`} aria-hidden="true" />
          {i.label}
        </li>
      ))}
    </ul>
  );
}
