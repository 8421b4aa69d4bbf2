/**
 * A small typed binding over sharp's **own** libvips (the `libvips-cpp` shared library that sharp's
 * native addon has already loaded into this process), through the FFI library koffi. It exists for
 * the two things sharp's API cannot ask of libvips (see docs/benchmarks.md, "JPEG decode scale"):
 * a JPEG decode at libjpeg's largest DCT scale (`jpegload_buffer` with `shrink`) and an ICC
 * transform of an already resized raster. Everything else stays in sharp. The same libvips instance
 * means the same loader block list (`lockLoaders`), the same thread pool and the same version.
 *
 * When koffi or the library is unavailable, `loadLibvipsFfi()` resolves to `undefined` with a
 * reason, and callers use sharp alone (slower, same output contract).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SharpFactory } from './vips';

/** libvips' `VipsFailOn` for `fail_on=error`, sharp's `failOn: 'error'` (see `sourceOptions`). */
const VIPS_FAIL_ON_ERROR = 2;
/** `VIPS_ACCESS_SEQUENTIAL`: the decode is read top to bottom once, as sharp's `sequentialRead`. */
const VIPS_ACCESS_SEQUENTIAL = 1;
/** `VIPS_INTENT_PERCEPTUAL`: the rendering intent sharp uses for every embedded profile. */
const VIPS_INTENT_PERCEPTUAL = 0;
const VIPS_FORMAT_UCHAR = 0;

/** An 8-bit raster copied out of libvips (band-interleaved, as sharp's `raw`). */
export interface FfiRaster {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly bands: number;
}

/** The operations we call. Every method runs its pixel work off the event loop (koffi's async calls). */
export interface LibvipsFfi {
  /**
   * Decodes a JPEG at 1/`shrink` DCT scale (1, 2, 4 or 8), `fail_on=error`. When `toSrgb` is set
   * (CMYK, or a non-RGB profile), the decode is converted to sRGB at that scale with the embedded
   * profile (else libvips' built-in CMYK profile). `onStart` receives a kill switch for timeouts.
   */
  jpegDecode(
    input: Buffer,
    shrink: number,
    toSrgb: boolean,
    onStart: (kill: () => void) => void,
  ): Promise<FfiRaster>;
  /** Converts an 8-bit RGB(A) raster from the ICC `profile` to sRGB, perceptual intent. */
  iccToSrgb(raster: FfiRaster, profile: Buffer, onStart: (kill: () => void) => void): Promise<FfiRaster>;
}

/** The outcome of loading the binding: the binding, or why sharp alone will be used. */
export type FfiLoad = { readonly ffi: LibvipsFfi } | { readonly ffi: undefined; readonly reason: string };

// koffi's own types are loose (`any`); this is the subset we use, typed.
interface KoffiFunction {
  (...args: unknown[]): unknown;
  async: (...args: unknown[]) => void;
}
interface KoffiLibrary {
  func(signature: string): KoffiFunction;
}
interface Koffi {
  load(path: string): KoffiLibrary;
  view(pointer: unknown, length: number): ArrayBuffer;
}

function libraryCandidates(sharp: SharpFactory): string[] {
  const version = sharp.versions.vips;
  const soname = `libvips-cpp.so.${version}`;
  const found = [soname];
  try {
    // The path sharp's addon resolves through its rpath: @img/sharp-libvips-<platform>/lib beside sharp.
    const fromSharp = createRequire(require.resolve('sharp'));
    const pkg = fromSharp.resolve(`@img/sharp-libvips-${process.platform}-${process.arch}/package.json`);
    found.push(join(dirname(pkg), 'lib', soname));
  } catch {
    // Not resolvable from here (a bundle): the soname, already loaded by sharp's addon, is enough.
  }
  return found;
}

function bind(koffi: Koffi, lib: KoffiLibrary): LibvipsFfi {
  const jpegload = lib.func('int vips_jpegload_buffer(const void *buf, size_t len, _Out_ void **out, ...)');
  const iccTransform = lib.func(
    'int vips_icc_transform(void *in, _Out_ void **out, const char *output_profile, ...)',
  );
  const fromMemory = lib.func(
    'void *vips_image_new_from_memory(const void *data, size_t size, int width, int height, int bands, int format)',
  );
  const setBlob = lib.func(
    'void vips_image_set_blob_copy(void *image, const char *name, const void *data, size_t length)',
  );
  const toMemory = lib.func('void *vips_image_write_to_memory(void *in, _Out_ size_t *size)');
  const width = lib.func('int vips_image_get_width(const void *image)');
  const height = lib.func('int vips_image_get_height(const void *image)');
  const bands = lib.func('int vips_image_get_bands(const void *image)');
  const setKill = lib.func('void vips_image_set_kill(void *image, int kill)');
  const unref = lib.func('void g_object_unref(void *object)');
  const gFree = lib.func('void g_free(void *mem)');
  const errorBuffer = lib.func('const char *vips_error_buffer(void)');
  const errorClear = lib.func('void vips_error_clear(void)');

  // libvips keeps one error buffer per process; sharp's threads write to it too, so under
  // concurrency a message may carry another job's text. Only the text is affected, never the outcome.
  const failure = (what: string): Error => {
    const text = String(errorBuffer() ?? '').trim();
    errorClear();
    return new Error(text ? `${what}: ${text}` : `${what} failed`);
  };

  const release = (images: unknown[]): void => {
    for (const image of images) if (image) unref(image);
  };

  /** Evaluates `image` into a fresh Buffer on a worker thread. */
  const evaluate = (image: unknown, onStart: (kill: () => void) => void): Promise<FfiRaster> => {
    const w = width(image) as number;
    const h = height(image) as number;
    const b = bands(image) as number;
    let finished = false;
    // Asks libvips to stop evaluating (a timeout); never after the image may have been released.
    onStart(() => {
      if (!finished) setKill(image, 1);
    });
    return new Promise((resolve, reject) => {
      const size = [0];
      toMemory.async(image, size, (error: unknown, pointer: unknown) => {
        finished = true;
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        if (!pointer) return reject(failure('libvips could not decode the image'));
        try {
          // Copy out of libvips' allocation (the view aliases it), then free it.
          const data = Buffer.copyBytesFrom(new Uint8Array(koffi.view(pointer, size[0] ?? 0)));
          resolve({ data, width: w, height: h, bands: b });
        } finally {
          gFree(pointer);
        }
      });
    });
  };

  return {
    async jpegDecode(input, shrink, toSrgb, onStart) {
      const loaded: unknown[] = [null];
      const status = jpegload(
        input,
        input.length,
        loaded,
        ...['str', 'shrink', 'int', shrink],
        ...['str', 'fail_on', 'int', VIPS_FAIL_ON_ERROR],
        ...['str', 'access', 'int', VIPS_ACCESS_SEQUENTIAL],
        ...['void *', null],
      );
      if (status !== 0) throw failure('jpegload_buffer');
      const images = [loaded[0]];
      try {
        let image = loaded[0];
        if (toSrgb) {
          const converted: unknown[] = [null];
          const rc = iccTransform(
            image,
            converted,
            'srgb',
            ...['str', 'input_profile', 'str', 'cmyk'],
            ...['str', 'embedded', 'int', 1],
            ...['str', 'intent', 'int', VIPS_INTENT_PERCEPTUAL],
            ...['void *', null],
          );
          if (rc !== 0) throw failure('icc_transform');
          image = converted[0];
          images.push(image);
        }
        return await evaluate(image, onStart);
      } finally {
        release(images);
      }
    },

    async iccToSrgb(raster, profile, onStart) {
      const image = fromMemory(
        raster.data,
        raster.data.length,
        raster.width,
        raster.height,
        raster.bands,
        VIPS_FORMAT_UCHAR,
      );
      if (!image) throw failure('new_from_memory');
      const images: unknown[] = [image];
      try {
        setBlob(image, 'icc-profile-data', profile, profile.length);
        const converted: unknown[] = [null];
        const rc = iccTransform(
          image,
          converted,
          'srgb',
          ...['str', 'embedded', 'int', 1],
          ...['str', 'intent', 'int', VIPS_INTENT_PERCEPTUAL],
          ...['void *', null],
        );
        if (rc !== 0) throw failure('icc_transform');
        images.push(converted[0]);
        // `raster.data` stays referenced by this closure until the evaluation has finished.
        return await evaluate(converted[0], onStart);
      } finally {
        release(images);
      }
    },
  };
}

let loading: Promise<FfiLoad> | undefined;

/**
 * Loads koffi and binds sharp's libvips, once per process; call after `loadSharp()` (sharp's addon
 * must have loaded and initialised libvips). Never rejects: a failure is a reason to use sharp alone.
 * @example const load = await loadLibvipsFfi(sharp); if (load.ffi) await load.ffi.jpegDecode(bytes, 4, false, () => {});
 */
export function loadLibvipsFfi(sharp: SharpFactory): Promise<FfiLoad> {
  loading ??= (async (): Promise<FfiLoad> => {
    let koffi: Koffi;
    try {
      const mod = (await import('koffi')) as { default?: Koffi };
      koffi = mod.default ?? (mod as unknown as Koffi);
    } catch (error) {
      return { ffi: undefined, reason: `koffi is not available: ${firstLineOf(error)}` };
    }
    const errors: string[] = [];
    // Images are plain `void *`: koffi's named types are process-wide, and a second copy of this
    // module (a test runner's fresh registry, two bundles) would collide declaring one.
    for (const candidate of libraryCandidates(sharp)) {
      try {
        return { ffi: bind(koffi, koffi.load(candidate)) };
      } catch (error) {
        errors.push(`${candidate}: ${firstLineOf(error)}`);
      }
    }
    return { ffi: undefined, reason: `sharp's libvips could not be bound (${errors.join('; ')})` };
  })();
  return loading;
}

function firstLineOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
