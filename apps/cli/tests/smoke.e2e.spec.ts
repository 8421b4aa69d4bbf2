import { closedPort, imgpipe, jsonLines, type RunningStack, startStack } from './support/local-stack';

let stack: RunningStack;
const at = (...args: string[]): string[] => [...args, '--endpoint', stack.endpoint];

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
}, 30_000);

describe('imgpipe smoke', () => {
  it('uploads, sees the image ready with its variants, deletes it and sees the tombstone: exit 0', () => {
    const run = imgpipe(at('smoke', '--key', 'smoke/first.jpg'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`imgpipe smoke on local stack ${stack.endpoint}: smoke/first.jpg`);
    expect(lines.slice(1, -1).map((line) => line.trim().split(/\s+/).slice(0, 2))).toEqual([
      ['ok', 'uploaded'],
      ['ok', 'ready'],
      ['ok', 'variants'],
      ['ok', 'deleted'],
      ['ok', 'tombstone'],
    ]);
    expect(lines[2]).toMatch(/thumb 128x128, small 320x240, large 640x480$/);
    expect(lines[3]).toMatch(/3 in s3:\/\/imgpipe-derived\/smoke\/first\.jpg\/$/);
    expect(lines.at(-1)).toMatch(/^smoke passed in \d+\.\d s$/);
    // What it leaves behind is the tombstone, as any deleted image.
    const show = imgpipe(at('show', 'smoke/first.jpg', '--json'));
    expect(JSON.parse(show.stdout)).toMatchObject({ objectKey: 'smoke/first.jpg', status: 'deleted' });
  }, 120_000);

  it('prints one JSON line with every step for scripts', () => {
    const run = imgpipe(at('smoke', '--json'));
    expect(run.status).toBe(0);
    const [result] = jsonLines(run.stdout) as {
      ok: boolean;
      key: string;
      steps: { step: string; ms: number }[];
    }[];
    expect(result?.ok).toBe(true);
    expect(result?.key).toMatch(/^imgpipe-smoke\/\d{4}-\d\d-\d\dT[\d-]+Z-[0-9a-f]{6}\.jpg$/);
    expect(result?.steps.map((s) => s.step)).toEqual([
      'uploaded',
      'ready',
      'variants',
      'deleted',
      'tombstone',
    ]);
    for (const step of result?.steps ?? []) expect(step.ms).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('exits 3 with STACK_UNREACHABLE when no stack is running', async () => {
    const run = imgpipe(['smoke', '--endpoint', `http://127.0.0.1:${await closedPort()}`]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/\[STACK_UNREACHABLE\]\n$/);
  });

  it('exits 2 when --aws has no outputs or bucket names to work with', () => {
    const run = imgpipe(['smoke', '--aws', '--region', 'eu-west-1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('With --aws this command needs --source-bucket <value> or --outputs <file>');
  });
});
