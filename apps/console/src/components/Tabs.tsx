import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface TabSpec {
  readonly id: string;
  readonly label: ComponentChildren;
}

/**
 * WAI-ARIA tabs: a `tablist` of buttons with a roving tabindex; Left/Right/Home/End move between them and
 * activate (automatic activation), Tab moves into the panel.
 */
export function Tabs(props: {
  tabs: readonly TabSpec[];
  selected: string;
  onSelect: (id: string) => void;
  label: string;
}): preact.JSX.Element {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (event: KeyboardEvent): void => {
    const index = props.tabs.findIndex((t) => t.id === props.selected);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (index + 1) % props.tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + props.tabs.length) % props.tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = props.tabs.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    const tab = props.tabs[next];
    if (!tab) return;
    props.onSelect(tab.id);
    refs.current[tab.id]?.focus();
  };
  return (
    <div role="tablist" aria-label={props.label} class="tabs" onKeyDown={onKeyDown}>
      {props.tabs.map((tab) => {
        const selected = tab.id === props.selected;
        return (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={selected}
            aria-controls={`panel-${tab.id}`}
            tabIndex={selected ? 0 : -1}
            class="tab"
            onClick={() => props.onSelect(tab.id)}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
