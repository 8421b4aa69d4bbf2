import { ErrorBodySchema } from '../src';

describe('ErrorBodySchema', () => {
  it('accepts an error with a stable code and a message', () => {
    expect(ErrorBodySchema.parse({ error: { code: 'NOT_FOUND', message: 'no such image' } })).toEqual({
      error: { code: 'NOT_FOUND', message: 'no such image' },
    });
  });

  it('refuses an error without a code', () => {
    expect(ErrorBodySchema.safeParse({ error: { message: 'x' } }).success).toBe(false);
  });
});
