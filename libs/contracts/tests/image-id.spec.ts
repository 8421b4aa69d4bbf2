import { imageId, ImageIdSchema } from '../src';

describe('imageId', () => {
  it.each([
    'u/local-user/a.png',
    'u/local-user/a cat+1?.jpg',
    'u/local-user/ünïcödé 猫.jpg',
    'u/x/ab',
    'u/x/abc',
  ])("is the base64url of %j's UTF-8 bytes without padding, and a valid ImageIdSchema", (key) => {
    const id = imageId(key);
    expect(id).toBe(Buffer.from(key, 'utf8').toString('base64url'));
    expect(ImageIdSchema.safeParse(id).success).toBe(true);
    expect(Buffer.from(id, 'base64url').toString('utf8')).toBe(key);
  });
});
