import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { ImageApiClient } from '../api/image-api';
import { startLive, type LiveEvent, type LiveMode } from '../lib/live';
import { Ctx, subscribe, type ConsoleContext } from './context';
import { DeadLetterQueue } from './DeadLetterQueue';
import { Gallery } from './Gallery';
import { Monitoring } from './Monitoring';
import { Tabs } from './Tabs';

const TAB_IDS = ['gallery', 'monitoring', 'dlq'] as const;
type TabId = (typeof TAB_IDS)[number];

function tabFromHash(): TabId {
  const hash = globalThis.location?.hash.replace(/^#/, '') ?? '';
  return (TAB_IDS as readonly string[]).includes(hash) ? (hash as TabId) : 'gallery';
}

const MODE_TEXT: Record<LiveMode, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Polling',
};

/**
 * The console: header, tabs for the gallery, monitoring and the dead-letter queue, and the live feed. The
 * gallery and uploads are an application of the image API (`images`, a local user's token); Monitoring and
 * the dead-letter queue are operator views on the local stack's own API (`client`).
 */
export function App(props: { client: ApiClient; images: ImageApiClient }): preact.JSX.Element {
  const [tab, setTab] = useState<TabId>(tabFromHash);
  const [mode, setMode] = useState<LiveMode>('connecting');
  const [message, setMessage] = useState('');
  const [dlqDepth, setDlqDepth] = useState<number | undefined>(undefined);
  const bus = useMemo(() => new EventTarget(), []);

  const announce = useCallback((text: string) => {
    // Clearing first makes screen readers repeat an identical message.
    setMessage('');
    setTimeout(() => setMessage(text), 30);
  }, []);
  const ctx = useMemo<ConsoleContext>(
    () => ({ client: props.client, images: props.images, bus, announce }),
    [props.client, props.images, bus, announce],
  );

  useEffect(
    () =>
      startLive({
        url: props.client.streamUrl(),
        onEvent: (event: LiveEvent) => bus.dispatchEvent(new CustomEvent(event.type, { detail: event })),
        onPoll: () => bus.dispatchEvent(new CustomEvent('poll')),
        onMode: setMode,
      }),
    [props.client, bus],
  );

  useEffect(() => {
    const refresh = (): void => {
      props.client
        .metrics()
        .then((m) => setDlqDepth(m.dlqDepth))
        .catch(() => setDlqDepth(undefined));
    };
    refresh();
    const timer = setInterval(refresh, 10_000);
    const off = subscribe(bus, ['dlq', 'poll'], refresh);
    return () => {
      clearInterval(timer);
      off();
    };
  }, [props.client, bus]);

  const select = (id: string): void => {
    const next = id as TabId;
    setTab(next);
    history.replaceState(null, '', `#${next}`);
  };

  return (
    <Ctx.Provider value={ctx}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <h1>
          imgpipe <span class="muted">console</span>
        </h1>
        <p class="live" data-mode={mode} aria-label={`Updates: ${MODE_TEXT[mode]}`}>
          <span class="dot" aria-hidden="true" />
          {MODE_TEXT[mode]}
        </p>
      </header>
      <nav>
        <Tabs
          label="Console sections"
          selected={tab}
          onSelect={select}
          tabs={[
            { id: 'gallery', label: 'Gallery' },
            { id: 'monitoring', label: 'Monitoring' },
            {
              id: 'dlq',
              label: (
                <>
                  Dead-letter queue{' '}
                  {dlqDepth !== undefined && dlqDepth > 0 ? (
                    <span class="count" aria-label={`${dlqDepth} parked`}>
                      {dlqDepth}
                    </span>
                  ) : null}
                </>
              ),
            },
          ]}
        />
      </nav>
      <main id="main">
        <section
          role="tabpanel"
          id={`panel-${tab}`}
          aria-labelledby={`tab-${tab}`}
          tabIndex={-1}
          class="panel"
        >
          {tab === 'gallery' ? <Gallery /> : tab === 'monitoring' ? <Monitoring /> : <DeadLetterQueue />}
        </section>
      </main>
      <div role="status" aria-live="polite" class="sr-only" data-testid="announcer">
        {message}
      </div>
    </Ctx.Provider>
  );
}
