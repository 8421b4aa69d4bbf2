import { useCallback, useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/errors';
import type { DlqItem } from '@imgpipe/contracts';
import { formatRelative } from '../lib/format';
import { subscribe, useConsole } from './context';

/** The parked events with their errors; redrive the selected ones or all. */
export function DeadLetterQueue(): preact.JSX.Element {
  const { client, bus, announce } = useConsole();
  const [items, setItems] = useState<readonly DlqItem[] | undefined>(undefined);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    client
      .dlq()
      .then((list) => {
        setItems(list);
        setSelected((s) => new Set([...s].filter((id) => list.some((i) => i.id === id))));
        setError(undefined);
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, [client]);

  useEffect(() => {
    load();
    const timer = setInterval(load, 5000);
    const off = subscribe(bus, ['dlq', 'poll'], load);
    return () => {
      clearInterval(timer);
      off();
    };
  }, [load, bus]);

  const redrive = (ids?: readonly string[]): void => {
    setBusy(true);
    client
      .redrive(ids)
      .then((r) => {
        const text = `Redriven ${r.redriven} event${r.redriven === 1 ? '' : 's'}`;
        setResult(text);
        announce(text);
        setSelected(new Set());
        load();
      })
      .catch((e: unknown) => {
        const text = `Redrive failed: ${describeError(e)}`;
        setResult(text);
        announce(text);
      })
      .finally(() => setBusy(false));
  };

  const toggle = (id: string, on: boolean): void => {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };
  const now = Date.now();

  return (
    <div class="dlq">
      <h2>Dead-letter queue</h2>
      <p class="muted">
        Events a function could not process after its retries. Redrive sends them back to the function.
      </p>
      <div class="actions">
        <button type="button" disabled={busy || selected.size === 0} onClick={() => redrive([...selected])}>
          Redrive selected ({selected.size})
        </button>
        <button type="button" disabled={busy || !items || items.length === 0} onClick={() => redrive()}>
          Redrive all
        </button>
        <p role="status" class="result" data-testid="redrive-result">
          {result}
        </p>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {!items ? (
        <p>Loading…</p>
      ) : items.length === 0 ? (
        <p class="empty" data-testid="dlq-empty">
          No parked events.
        </p>
      ) : (
        <table class="dlq-table">
          <caption class="sr-only">Parked events</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="sr-only">Select</span>
              </th>
              <th scope="col">Function</th>
              <th scope="col">Error</th>
              <th scope="col">Attempts</th>
              <th scope="col">Failed</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-id={item.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select event ${item.id}`}
                    checked={selected.has(item.id)}
                    onChange={(e) => toggle(item.id, (e.currentTarget as HTMLInputElement).checked)}
                  />
                </td>
                <td>{item.function ?? '—'}</td>
                <td class="dlq-error">
                  <ErrorText type={item.error?.type} message={item.error?.message} />
                </td>
                <td>{item.attempts ?? '—'}</td>
                <td>
                  {item.failedAt ? (
                    <time dateTime={item.failedAt} title={item.failedAt}>
                      {formatRelative(item.failedAt, now)}
                    </time>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <details>
                    <summary>
                      <span class="sr-only">Event </span>
                      {item.id}
                    </summary>
                    <pre>{JSON.stringify(item.event, null, 2)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The error type and the first line of its message; the rest (a stack, usually) folds away. */
function ErrorText(props: { type: string | undefined; message: string | undefined }): preact.JSX.Element {
  const message = props.message ?? '';
  const firstLine = message.split('\n')[0] ?? '';
  const short = firstLine.length > 160 ? `${firstLine.slice(0, 160)}…` : firstLine;
  return (
    <>
      {props.type ? <code>{props.type}</code> : null} {short}
      {short !== message ? (
        <details>
          <summary>Full message</summary>
          <pre>{message}</pre>
        </details>
      ) : null}
    </>
  );
}
