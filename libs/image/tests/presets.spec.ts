import { DEFAULT_PRESETS } from '@imgpipe/pipeline';
import { InvalidPresetError, isImageError, parsePresets } from '../src';

const thumb = { name: 'thumb', fit: 'cover', width: 128, height: 128, format: 'webp', quality: 80 };

function messageOf(input: unknown): string {
  try {
    parsePresets(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidPresetError);
    expect(isImageError(e)).toBe(false);
    expect(e).toMatchObject({ code: 'INVALID_PRESET' });
    return (e as Error).message;
  }
  throw new Error('Expected parsePresets to throw');
}

describe('parsePresets', () => {
  it('accepts the contract defaults unchanged', () => {
    expect(parsePresets(JSON.parse(JSON.stringify(DEFAULT_PRESETS)))).toEqual(DEFAULT_PRESETS);
  });

  it('keeps animated when it is given', () => {
    expect(parsePresets([{ ...thumb, animated: true }])).toEqual([{ ...thumb, animated: true }]);
  });

  it.each([
    ['a string', 'thumb', 'Expected non-empty array for presets but received "thumb"'],
    ['an empty list', [], 'Expected non-empty array for presets but received an array'],
    ['a number item', [3], 'Expected object for presets[0] but received 3'],
    [
      'an unknown fit',
      [{ ...thumb, fit: 'fill' }],
      'Expected one of cover, inside for presets[0].fit but received "fill"',
    ],
    [
      'an unknown format',
      [{ ...thumb, format: 'gif' }],
      'Expected one of jpeg, webp, avif, png for presets[0].format but received "gif"',
    ],
    [
      'a zero width',
      [{ ...thumb, width: 0 }],
      'Expected integer between 1 and 8192 for presets[0].width but received 0',
    ],
    [
      'a fractional height',
      [{ ...thumb, height: 12.5 }],
      'Expected integer between 1 and 8192 for presets[0].height but received 12.5',
    ],
    [
      'a quality as text',
      [{ ...thumb, quality: '80' }],
      'Expected integer between 1 and 100 for presets[0].quality but received "80"',
    ],
    [
      'a name with a slash',
      [{ ...thumb, name: 'a/b' }],
      'Expected 1-64 letters, digits, "-" or "_" (starting with a letter or digit) for presets[0].name but received "a/b"',
    ],
    [
      'a repeated name',
      [thumb, { ...thumb, fit: 'inside' }],
      'Expected a name not used by an earlier preset for presets[1].name but received "thumb"',
    ],
    [
      'an unknown key',
      [{ ...thumb, sharpen: true }],
      'Expected only name, fit, width, height, format, quality, animated for presets[0] keys but received "sharpen"',
    ],
    [
      'animated JPEG',
      [{ ...thumb, format: 'jpeg', animated: true }],
      'Expected webp when animated is true for presets[0].format but received "jpeg"',
    ],
    [
      'animated as text',
      [{ ...thumb, animated: 'yes' }],
      'Expected boolean for presets[0].animated but received "yes"',
    ],
  ])('refuses %s with a message saying what was expected and received', (_what, input, message) => {
    expect.assertions(4);
    expect(messageOf(input)).toBe(message);
  });
});
