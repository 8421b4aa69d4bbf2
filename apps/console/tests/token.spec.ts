import { REFRESH_MARGIN_MS, TokenSource } from '../src/api/token';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

function issuer(lifetimeMs = 3_600_000) {
  let now = T0;
  let minted = 0;
  const requests: unknown[] = [];
  const fetchImpl = async (_url: string, init?: RequestInit): Promise<Response> => {
    requests.push(JSON.parse(String(init?.body)));
    minted += 1;
    await Promise.resolve();
    return new Response(
      JSON.stringify({
        token: `jwt-${minted}`,
        tokenType: 'Bearer',
        expiresAt: new Date(now + lifetimeMs).toISOString(),
        sub: 'local-user',
        scope: 'images.read images.write',
      }),
      { status: 201 },
    );
  };
  return {
    source: new TokenSource({ fetchImpl, now: () => now }),
    requests,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('TokenSource', () => {
  it("asks the local issuer for the console's user once and keeps the token in memory", async () => {
    const { source, requests } = issuer();
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    expect(tokens).toEqual(['jwt-1', 'jwt-1', 'jwt-1']);
    expect(requests).toEqual([{ sub: 'local-user', scope: 'images.read images.write' }]);
  });

  it('fetches a new token shortly before the held one expires', async () => {
    const { source, advance } = issuer();
    expect(await source.token()).toBe('jwt-1');
    advance(3_600_000 - REFRESH_MARGIN_MS - 1);
    expect(await source.token()).toBe('jwt-1');
    advance(1);
    expect(await source.token()).toBe('jwt-2');
  });

  it('refreshes a short-lived token at half its lifetime', async () => {
    const { source, advance } = issuer(10_000);
    expect(await source.token()).toBe('jwt-1');
    advance(4_999);
    expect(await source.token()).toBe('jwt-1');
    advance(1);
    expect(await source.token()).toBe('jwt-2');
  });

  it('hands out a token that arrives already expired once, then fetches another', async () => {
    const { source } = issuer(-60_000);
    expect(await source.token()).toBe('jwt-1');
    expect(await source.token()).toBe('jwt-2');
  });

  it('drops a token the API refused, but not one fetched since', async () => {
    const { source } = issuer();
    await source.token();
    await source.invalidate('jwt-1');
    expect(await source.token()).toBe('jwt-2');
    await source.invalidate('jwt-1');
    expect(await source.token()).toBe('jwt-2');
  });

  it('does not keep a failed fetch: the next call asks again', async () => {
    let calls = 0;
    const source = new TokenSource({
      fetchImpl: async () => {
        calls += 1;
        if (calls === 1) throw new TypeError('Failed to fetch');
        return new Response(
          JSON.stringify({
            token: 'jwt-ok',
            tokenType: 'Bearer',
            expiresAt: '2999-01-01T00:00:00.000Z',
            sub: 'local-user',
            scope: 'images.read images.write',
          }),
          { status: 201 },
        );
      },
    });
    await expect(source.token()).rejects.toMatchObject({ code: 'NETWORK' });
    expect(await source.token()).toBe('jwt-ok');
  });

  it("reports the issuer's refusal with its code", async () => {
    const source = new TokenSource({
      fetchImpl: async () =>
        new Response(JSON.stringify({ error: { code: 'FORBIDDEN_ORIGIN', message: 'no' } }), { status: 403 }),
    });
    await expect(source.token()).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      status: 403,
      remoteCode: 'FORBIDDEN_ORIGIN',
    });
  });
});
