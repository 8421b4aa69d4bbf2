/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`) for the end-to-end profile (e2e-profile.ts): self time
 * inside a time window, grouped by the bundle module that owns it. esbuild marks each module of an
 * unminified bundle (its entry and its split chunks alike) with a `// node_modules/<path>` (or
 * `// libs/...`) comment line; a frame in Node's own code (HTTP, streams, console) counts for the
 * nearest bundle frame that called it, so the SDK's HTTP handler owns the socket writes it starts.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

/** The parts of a `.cpuprofile` file used here (timestamps in microseconds of the monotonic clock). */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One owner's share of the busy (non-idle) samples. */
export interface ProfileShare {
  readonly owner: string;
  readonly ms: number;
}

/** Line numbers (0-based) where each module of an unminified esbuild bundle starts, in order. */
export function bundleModules(bundleText: string): { line: number; module: string }[] {
  const marks: { line: number; module: string }[] = [];
  bundleText.split('\n').forEach((text, line) => {
    const m = /^\/\/ ((?:node_modules|libs|apps)\/\S+)$/.exec(text);
    if (m?.[1]) marks.push({ line, module: m[1] });
  });
  return marks;
}

/** `@scope/pkg/dist-es/a/b.js` -> `@scope/pkg`; a workspace file keeps its path. */
export function packageOf(module: string): string {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  return m?.[1] ?? module;
}

function moduleAt(marks: readonly { line: number; module: string }[], line: number): string {
  let lo = 0;
  let hi = marks.length - 1;
  let found = '(bundle prelude)';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const mark = marks[mid] as { line: number; module: string };
    if (mark.line <= line) {
      found = mark.module;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const SPECIAL: ReadonlyMap<string, string> = new Map([
  ['(garbage collector)', '(gc)'],
  ['(program)', '(program)'],
]);

/**
 * Self time per owner within [fromUs, toUs] (the whole profile when omitted), busiest first, idle left
 * out. Owners: the package (or workspace file, with `byFile`) of the nearest frame in a bundle file, a
 * frame whose script URL `bundleText` answers with that file's text; `sharp` for sharp's own JavaScript;
 * `(gc)`, `(program)`; otherwise `node:<function>`.
 */
export function summarizeProfile(
  profile: CpuProfile,
  bundleText: (url: string) => string | undefined,
  options: { fromUs?: number; toUs?: number; byFile?: boolean } = {},
): ProfileShare[] {
  const marksByUrl = new Map<string, { line: number; module: string }[] | undefined>();
  const marksOf = (url: string): { line: number; module: string }[] | undefined => {
    if (!marksByUrl.has(url)) {
      const text = bundleText(url);
      marksByUrl.set(url, text === undefined ? undefined : bundleModules(text));
    }
    return marksByUrl.get(url);
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (
      (options.fromUs !== undefined && t < options.fromUs) ||
      (options.toUs !== undefined && t > options.toUs)
    )
      return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const owner = (id: number): string | undefined => {
    const own = byId.get(id)?.callFrame;
    if (!own || own.functionName === '(idle)') return undefined;
    const special = SPECIAL.get(own.functionName);
    if (special) return special;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame) break;
      if (frame.url.includes('/node_modules/sharp/')) return 'sharp';
      const marks = marksOf(frame.url);
      if (marks) {
        const module = moduleAt(marks, frame.lineNumber);
        return options.byFile ? module : packageOf(module);
      }
    }
    return `node:${own.functionName || '(anonymous)'}`;
  };
  const totals = new Map<string, number>();
  for (const [id, us] of self) {
    const key = owner(id);
    if (key !== undefined) totals.set(key, (totals.get(key) ?? 0) + us);
  }
  return [...totals]
    .map(([key, us]) => ({ owner: key, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms || a.owner.localeCompare(b.owner));
}

/** Reads a `.cpuprofile` file. */
export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}
