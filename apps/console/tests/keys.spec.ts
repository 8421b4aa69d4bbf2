import { encodeKeyPath } from '../src/api/keys';

describe('encodeKeyPath', () => {
  it('encodes each segment but keeps the slashes', () => {
    expect(encodeKeyPath('photos/a cat+1.jpg')).toBe('photos/a%20cat%2B1.jpg');
  });

  it('encodes characters that would otherwise end the path or change its meaning', () => {
    expect(encodeKeyPath('x/100%?#&.png')).toBe('x/100%25%3F%23%26.png');
    expect(encodeKeyPath('Zürich/Ω.jpg')).toBe('Z%C3%BCrich/%CE%A9.jpg');
  });
});
