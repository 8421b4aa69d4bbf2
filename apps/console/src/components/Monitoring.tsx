import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/errors';
import type { FunctionMetrics, Metrics } from '@imgpipe/contracts';
import { formatDuration, formatRelative } from '../lib/format';
import { normaliseSeries, recent } from '../lib/series';
import { BarChart, LineChart } from './Charts';
import { subscribe, useConsole } from './context';

const REFRESH_MS = 5000;
/** The charts show the most recent part of the series the API keeps. */
const WINDOW_MS = 5 * 60_000;

/** Per-function small multiples (invocations, duration p50/p99, errors, throttles, cold starts), DLQ depth and schedules. */
export function Monitoring(): preact.JSX.Element {
  const { client, bus } = useConsole();
  const [metrics, setMetrics] = useState<Metrics | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    let pending = false;
    let queued = false;
    const refresh = (): void => {
      if (pending) {
        queued = true;
        return;
      }
      pending = true;
      client
        .metrics()
        .then((m) => {
          setMetrics(m);
          setError(undefined);
          setNow(Date.now());
        })
        .catch((e: unknown) => setError(describeError(e)))
        .finally(() => {
          pending = false;
          if (queued) {
            queued = false;
            setTimeout(refresh, 500);
          }
        });
    };
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    const off = subscribe(bus, ['invocation', 'dlq', 'poll'], refresh);
    return () => {
      clearInterval(timer);
      off();
    };
  }, [client, bus]);

  return (
    <div class="monitoring">
      <h2>Monitoring</h2>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {!metrics ? (
        <p>Loading metrics…</p>
      ) : (
        <>
          <dl class="totals">
            <div>
              <dt>Dead-letter queue depth</dt>
              <dd data-testid="dlq-depth">{metrics.dlqDepth}</dd>
            </div>
            {metrics.schedules.map((s) => (
              <div key={s.name}>
                <dt>
                  Next run of {s.name} {s.expression ? <code>{s.expression}</code> : null}
                </dt>
                <dd>
                  {s.nextRun ? (
                    <time dateTime={s.nextRun} title={s.nextRun}>
                      {formatRelative(s.nextRun, now)}
                    </time>
                  ) : (
                    '—'
                  )}
                </dd>
              </div>
            ))}
          </dl>
          <ReconcileNow />
          <div class="functions">
            {Object.entries(metrics.functions).map(([name, fn]) => (
              <FunctionPanel key={name} name={name} metrics={fn} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function FunctionPanel(props: { name: string; metrics: FunctionMetrics }): preact.JSX.Element {
  const m = props.metrics;
  const points = recent(normaliseSeries(m.series), WINDOW_MS);
  const minutes = Math.max(1, Math.round(((points.at(-1)?.t ?? 0) - (points[0]?.t ?? 0)) / 60_000));
  const stats: [string, string, string][] = [
    ['Invocations', String(m.invocations), 'invocations'],
    ['Errors', String(m.errors), 'errors'],
    ['Throttles', String(m.throttles), 'throttles'],
    ['Cold starts', String(m.coldStarts), 'cold-starts'],
    ['In flight', String(m.inFlight), 'in-flight'],
    ['p50', formatDuration(m.durationMs?.p50), 'p50'],
    ['p99', formatDuration(m.durationMs?.p99), 'p99'],
  ];
  return (
    <section class="function" aria-labelledby={`fn-${props.name}`} data-function={props.name}>
      <h3 id={`fn-${props.name}`}>{props.name}</h3>
      <dl class="stats">
        {stats.map(([label, value, id]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-stat={id}>{value}</dd>
          </div>
        ))}
      </dl>
      {points.length === 0 ? (
        <p class="muted">No invocations in the window yet.</p>
      ) : (
        <div class="charts">
          <BarChart
            title="Invocations and errors"
            minutes={minutes}
            series={[
              { label: 'Invocations', values: points.map((p) => p.invocations), className: 's-invocations' },
              {
                label: 'Errors',
                values: points.map((p) => p.errors),
                className: 's-errors',
                widthRatio: 0.4,
              },
            ]}
          />
          <LineChart
            title="Duration"
            minutes={minutes}
            lines={[
              { label: 'p50', values: points.map((p) => p.p50), className: 's-p50' },
              { label: 'p99', values: points.map((p) => p.p99), className: 's-p99' },
            ]}
          />
          <BarChart
            title="Throttles and cold starts"
            minutes={minutes}
            series={[
              { label: 'Cold starts', values: points.map((p) => p.coldStarts), className: 's-cold' },
              {
                label: 'Throttles',
                values: points.map((p) => p.throttles),
                className: 's-throttles',
                widthRatio: 0.4,
              },
            ]}
          />
        </div>
      )}
    </section>
  );
}

/** Runs reconcile now through the API and says what it reported. */
function ReconcileNow(): preact.JSX.Element {
  const { client, announce } = useConsole();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | undefined>(undefined);
  const run = (): void => {
    setBusy(true);
    setResult('Reconciling…');
    client
      .runReconcile()
      .then((report) => `Reconcile finished: ${summarise(report)}`)
      .catch((e: unknown) => `Reconcile failed: ${describeError(e)}`)
      .then((text) => {
        setResult(text);
        announce(text);
      })
      .finally(() => setBusy(false));
  };
  return (
    <div class="actions">
      <button type="button" onClick={run} disabled={busy}>
        Run reconcile now
      </button>
      <p role="status" class="result" data-testid="reconcile-result">
        {result}
      </p>
    </div>
  );
}

/** The numeric fields of a report, e.g. `scanned 3 · repaired 0`. */
function summarise(report: unknown): string {
  if (typeof report !== 'object' || report === null) return 'done';
  const parts = Object.entries(report)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${String(v)}`);
  return parts.length > 0 ? parts.join(' · ') : 'done';
}
