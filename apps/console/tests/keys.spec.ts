import { ConsoleError } from '../src/api/errors';
import { encodeKeyPath, uploadKey } from '../src/api/keys';

describe('encodeKeyPath', () => {
  it('encodes each segment but keeps the slashes', () => {
    expect(encodeKeyPath('photos/a cat+1.jpg')).toBe('photos/a%20cat%2B1.jpg');
  });

  it('encodes characters that would otherwise end the path or change its meaning', () => {
    expect(encodeKeyPath('x/100%?#&.png')).toBe('x/100%25%3F%23%26.png');
    expect(encodeKeyPath('Zürich/Ω.jpg')).toBe('Z%C3%BCrich/%CE%A9.jpg');
  });
});

describe('uploadKey', () => {
  it('joins prefix and file name with exactly one slash', () => {
    expect(uploadKey('photos', 'cat.jpg')).toBe('photos/cat.jpg');
    expect(uploadKey('photos//', 'cat.jpg')).toBe('photos/cat.jpg');
    expect(uploadKey('/photos/', 'cat.jpg')).toBe('photos/cat.jpg');
  });

  it('uses the bare file name without a prefix', () => {
    expect(uploadKey('  ', 'cat.jpg')).toBe('cat.jpg');
  });

  it('refuses an empty file name with INVALID_KEY', () => {
    expect(() => uploadKey('photos', ' ')).toThrow(ConsoleError);
    expect(() => uploadKey('photos', ' ')).toThrow('Expected a file name but received an empty one');
  });

  it('refuses keys longer than 1024 UTF-8 bytes and says how long they were', () => {
    const name = 'é'.repeat(513); // 1026 bytes
    expect(() => uploadKey('', name)).toThrow('Expected a key of at most 1024 bytes but received 1026');
  });
});
