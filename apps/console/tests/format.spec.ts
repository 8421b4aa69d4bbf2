import {
  baseName,
  formatBytes,
  formatCamera,
  formatDimensions,
  formatDuration,
  formatExposure,
  formatRelative,
  isHexColour,
} from '../src/lib/format';

describe('formatBytes', () => {
  it('uses powers of 1024 with one decimal below 100', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(81198)).toBe('79.3 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MB');
  });

  it('shows a dash for unknown or nonsensical sizes', () => {
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('switches from ms to s to minutes', () => {
    expect(formatDuration(0.5)).toBe('0.50 ms');
    expect(formatDuration(87.4)).toBe('87 ms');
    expect(formatDuration(1534)).toBe('1.53 s');
    expect(formatDuration(90_000)).toBe('1.5 min');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2024-01-01T12:00:00Z');
  it('says how long ago or until', () => {
    expect(formatRelative('2024-01-01T11:58:30Z', now)).toBe('1 min ago');
    expect(formatRelative('2024-01-01T12:17:00Z', now)).toBe('in 17 min');
    expect(formatRelative('2024-01-01T12:00:02Z', now)).toBe('just now');
    expect(formatRelative('2023-12-30T12:00:00Z', now)).toBe('2 d ago');
  });

  it('passes through what it cannot parse', () => {
    expect(formatRelative('soon', now)).toBe('soon');
    expect(formatRelative(undefined, now)).toBe('—');
  });
});

describe('formatCamera', () => {
  it('writes the settings as photographers do and does not repeat the make', () => {
    expect(
      formatCamera({
        make: 'Canon',
        model: 'Canon EOS 400D DIGITAL',
        fNumber: 5.6,
        exposureTime: 0.004,
        iso: 100,
        focalLength: 50,
      }),
    ).toBe('Canon EOS 400D DIGITAL · f/5.6 · 1/250 s · ISO 100 · 50 mm');
    expect(formatCamera({ make: 'NIKON', model: 'D70' })).toBe('NIKON D70');
  });

  it('is undefined when nothing is known', () => {
    expect(formatCamera({})).toBeUndefined();
    expect(formatCamera(undefined)).toBeUndefined();
  });

  it('writes long exposures in seconds', () => {
    expect(formatExposure(2.5)).toBe('2.5 s');
    expect(formatExposure(0)).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('formats dimensions and base names and recognises #rrggbb colours only', () => {
    expect(formatDimensions(320, 240)).toBe('320 × 240');
    expect(formatDimensions(undefined, 240)).toBe('—');
    expect(baseName('a/b/c.jpg')).toBe('c.jpg');
    expect(baseName('c.jpg')).toBe('c.jpg');
    expect(isHexColour('#a1B2c3')).toBe(true);
    expect(isHexColour('red')).toBe(false);
    expect(isHexColour('#abc')).toBe(false);
  });
});
