import type SharpModule from 'sharp';

/** sharp's default export: the constructor, with `block`, `strategy`, `versions` and friends on it. */
export type SharpFactory = typeof SharpModule;

let loaded: SharpFactory | undefined;
let loading: Promise<SharpFactory> | undefined;

/**
 * Loads sharp (its native addon and libvips: ~70-90 ms of CPU) on first use instead of at import
 * time, so a process that imports this library without processing an image (reconcile with
 * nothing to render, the CLI's `upload`) never pays for it. Every public entry that touches pixels
 * awaits this before anything else of sharp is used. Safe to call any number of times.
 * @example await loadSharp(); // then vips() is the sharp constructor
 */
export function loadSharp(): Promise<SharpFactory> {
  loading ??= import('sharp').then((mod: { default?: SharpFactory }) => {
    // ES-module interop gives `default`; a CommonJS require would give the function itself.
    loaded = mod.default ?? (mod as unknown as SharpFactory);
    return loaded;
  });
  return loading;
}

/** The sharp constructor, once `loadSharp()` has resolved (internal: public entries await it first). */
export function vips(): SharpFactory {
  if (loaded === undefined) throw new Error('Internal: sharp was used before loadSharp() resolved');
  return loaded;
}
