import type { MachineInfo } from '../../src/types';

/** A machine record for report and chart tests (what `npm run bench` measures, fixed); `overrides` vary it. */
export function testMachine(overrides: Partial<MachineInfo> = {}): MachineInfo {
  return {
    cpus: 2,
    cpuModel: 'test',
    loadAtStart: 1,
    loadAverage: [1, 1, 1],
    node: 'v20',
    sharp: '0',
    libvips: '0',
    pillow: null,
    python: null,
    sharpConcurrency: 1,
    date: '2026-11-27',
    ...overrides,
  };
}
