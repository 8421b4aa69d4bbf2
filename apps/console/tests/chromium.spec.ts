import { CHROMIUM_MISSING, findChromium } from './support/chromium';

describe('findChromium', () => {
  const executable = (paths: string[]) => (path: string) => paths.includes(path);

  it('prefers CHROMIUM_PATH', () => {
    expect(
      findChromium(
        { CHROMIUM_PATH: '/custom/chromium/chrome', PATH: '/usr/bin' },
        executable(['/custom/chromium/chrome', '/usr/bin/chromium']),
      ),
    ).toBe('/custom/chromium/chrome');
  });

  it('looks for chromium, then chromium-browser, on PATH', () => {
    expect(findChromium({ PATH: '/a:/usr/bin' }, executable(['/usr/bin/chromium']))).toBe(
      '/usr/bin/chromium',
    );
    expect(findChromium({ PATH: '/usr/lib/bin' }, executable(['/usr/lib/bin/chromium-browser']))).toBe(
      '/usr/lib/bin/chromium-browser',
    );
  });

  it('fails with one line saying how to install Chromium when there is none', () => {
    expect.assertions(3);
    try {
      findChromium({ PATH: '/nowhere' }, executable([]));
    } catch (error) {
      expect((error as Error).message).toBe(CHROMIUM_MISSING);
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toContain('apt-get install -y chromium');
    }
  });

  it('says so when CHROMIUM_PATH points at nothing runnable', () => {
    expect(() =>
      findChromium({ CHROMIUM_PATH: '/missing/chrome', PATH: '/usr/bin' }, executable(['/usr/bin/chromium'])),
    ).toThrow('CHROMIUM_PATH=/missing/chrome is not an executable file');
  });
});
