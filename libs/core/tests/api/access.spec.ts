import { imageId } from '@imgpipe/contracts';
import { ApiError, callerFromClaims, CursorCodec, keyOfImageId, mayAccess, requireScope } from '../../src';
import { KEY } from './fakes';

describe('callerFromClaims', () => {
  it('reads the scopes API Gateway checks, from scope and scp, and keeps only the API scopes', () => {
    const caller = callerFromClaims({ sub: 'alice', scope: 'openid images.read', scp: ['images.write'] });
    expect([...caller.scopes]).toEqual(['images.read', 'images.write']);
    expect(caller).toMatchObject({ sub: 'alice', admin: false, prefix: 'u/alice/' });
    expect(callerFromClaims({ sub: 'root', scope: 'images.admin' }).admin).toBe(true);
  });

  it('reads a list claim as API Gateway flattens it ("[a b]")', () => {
    expect([...callerFromClaims({ sub: 'a', scp: '[images.read images.admin]' }).scopes]).toEqual([
      'images.read',
      'images.admin',
    ]);
  });

  it("reads scopes under the issuer's prefix only, without it (Cognito's resource server)", () => {
    const caller = callerFromClaims({ sub: 'a', scope: 'imgpipe/images.read images.admin' }, 'imgpipe/');
    expect([...caller.scopes]).toEqual(['images.read']);
    expect(caller.admin).toBe(false);
  });

  it('does not take cognito:groups as scopes', () => {
    expect([...callerFromClaims({ sub: 'a', 'cognito:groups': ['images.admin'] }).scopes]).toEqual([]);
  });

  it('refuses claims without a subject, and a subject that is no single path segment, with UNAUTHORIZED', () => {
    expect(() => callerFromClaims(undefined)).toThrow(
      new ApiError('UNAUTHORIZED', 'Expected a verified token with a subject (sub) but received none'),
    );
    expect(() => callerFromClaims({ sub: 'a/b' })).toThrow(
      'Expected a subject of at most 128 characters from [A-Za-z0-9._@:+=-] but received "a/b"',
    );
  });
});

describe('requireScope and mayAccess', () => {
  it('answers FORBIDDEN without one of the route scopes', () => {
    const reader = callerFromClaims({ sub: 'alice', scope: 'images.read' });
    expect(() => requireScope(reader, ['images.write', 'images.admin'])).toThrow(
      'Expected one of the scopes images.write, images.admin but the token has none',
    );
    expect(() => requireScope(reader, ['images.read', 'images.admin'])).not.toThrow();
  });

  it('confines a caller without admin to keys below u/<sub>/', () => {
    const alice = callerFromClaims({ sub: 'alice', scope: 'images.read' });
    expect(mayAccess(alice, 'u/alice/cat.jpg')).toBe(true);
    expect(mayAccess(alice, 'u/alice/')).toBe(false);
    expect(mayAccess(alice, 'u/alice2/cat.jpg')).toBe(false);
    expect(mayAccess(alice, 'photos/cat.jpg')).toBe(false);
    expect(mayAccess(callerFromClaims({ sub: 'root', scope: 'images.admin' }), 'photos/cat.jpg')).toBe(true);
  });
});

describe('image ids', () => {
  it('are the base64url of the key, without padding, and decode back', () => {
    expect(imageId('u/alice/cat.jpg')).toBe('dS9hbGljZS9jYXQuanBn');
    expect(keyOfImageId(imageId('u/alice/été 1+1.jpg'))).toBe('u/alice/été 1+1.jpg');
  });

  it('refuse padding, other alphabets and non-canonical encodings with INVALID_ID', () => {
    for (const id of ['dS9h+A==', 'dS9hbA==', 'a', 'YR']) {
      expect(() => keyOfImageId(id)).toThrow(ApiError);
    }
    expect(() => keyOfImageId('dS9h+A==')).toThrow(
      'Expected an image id in base64url without padding but received "dS9h+A=="',
    );
    expect(() => keyOfImageId(Buffer.from([0xff, 0xfe]).toString('base64url'))).toThrow(
      'Expected the id of a source key (UTF-8, 1 to 1024 bytes)',
    );
  });
});

describe('CursorCodec', () => {
  const codec = new CursorCodec([KEY]);
  const lastKey = { objectKey: 'u/alice/b.jpg', ownerPrefix: 'u/alice/' };

  it('round-trips the index key of the listing it belongs to', () => {
    const cursor = codec.encode('q1', lastKey);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(codec.decode(cursor, 'q1')).toEqual(lastKey);
  });

  it('refuses an edited payload, another listing and garbage with INVALID_CURSOR', () => {
    const cursor = codec.encode('q1', lastKey);
    const [, mac] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ v: 1, q: 'q1', k: { objectKey: 'u/bob/x' } })).toString('base64url')}.${mac}`;
    expect(() => codec.decode(forged, 'q1')).toThrow(
      new ApiError(
        'INVALID_CURSOR',
        'Expected a cursor from a previous page of this listing but its signature does not match',
      ),
    );
    expect(() => codec.decode(cursor, 'q2')).toThrow(
      'it belongs to another listing (caller, prefix or status)',
    );
    expect(() => codec.decode('nonsense', 'q1')).toThrow('it is not <payload>.<signature>');
  });

  it('verifies with every key and signs with the first (rotation)', () => {
    const old = new CursorCodec([KEY]).encode('q', lastKey);
    const rotated = new CursorCodec(['another-key-of-at-least-32-characters!!', KEY]);
    expect(rotated.decode(old, 'q')).toEqual(lastKey);
    expect(() => new CursorCodec([KEY]).decode(rotated.encode('q', lastKey), 'q')).toThrow(ApiError);
  });

  it('refuses short keys', () => {
    expect(() => new CursorCodec(['short'])).toThrow(
      'Expected at least one cursor key of 32 or more characters',
    );
  });
});
