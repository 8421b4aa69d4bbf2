import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Image } from '@imgpipe/contracts';
import type { ApiClient } from '../api/client';
import type { ImageApiClient } from '../api/image-api';
import type { LiveEvent } from '../lib/live';

/**
 * What every view needs: the local stack's API client (operator views), the image API client (the gallery
 * and uploads, as an application), the live event bus and the polite announcer.
 */
export interface ConsoleContext {
  readonly client: ApiClient;
  readonly images: ImageApiClient;
  /**
   * Dispatches `CustomEvent<LiveEvent>` named after the event type, `poll` on polling ticks, and `image`
   * (detail: an `Image` the image API just answered) so every view can show the freshest copy.
   */
  readonly bus: EventTarget;
  readonly announce: (message: string) => void;
}

export const Ctx = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const value = useContext(Ctx);
  if (!value) throw new Error('useConsole() must be used inside <Ctx.Provider>');
  return value;
}

/** Subscribes to bus events of the given names; the handler sees the LiveEvent (or undefined for `poll`). */
export function subscribe(
  bus: EventTarget,
  names: readonly string[],
  handler: (event: LiveEvent | undefined) => void,
): () => void {
  const listener = (e: Event): void => handler((e as CustomEvent<LiveEvent | undefined>).detail);
  for (const name of names) bus.addEventListener(name, listener);
  return () => {
    for (const name of names) bus.removeEventListener(name, listener);
  };
}

/** Tells every view the image API's latest answer about one image. */
export function publishImage(bus: EventTarget, image: Image): void {
  bus.dispatchEvent(new CustomEvent<Image>('image', { detail: image }));
}

/** Subscribes to the images published with `publishImage`. */
export function onImage(bus: EventTarget, handler: (image: Image) => void): () => void {
  const listener = (e: Event): void => handler((e as CustomEvent<Image>).detail);
  bus.addEventListener('image', listener);
  return () => bus.removeEventListener('image', listener);
}
