import { s3Error } from '../src/api/form-post';
import { dominantColourOf, metadataOf } from '../src/lib/metadata';

describe('metadataOf', () => {
  it('reads the fields the console knows from the API’s open metadata record', () => {
    expect(metadataOf({ dominantColor: '#336699', exif: { make: 'Canon' }, extra: 1 })).toEqual({
      dominantColor: '#336699',
      exif: { make: 'Canon' },
    });
    expect(metadataOf(null)).toBeUndefined();
    expect(metadataOf({ pages: 'three' })).toBeUndefined();
  });
});

describe('dominantColourOf', () => {
  it('is the #rrggbb colour when there is one', () => {
    expect(dominantColourOf({ dominantColor: '#aabbcc' })).toBe('#aabbcc');
    expect(dominantColourOf({ dominantColor: 'red; background: url(x)' })).toBeUndefined();
    expect(dominantColourOf(null)).toBeUndefined();
  });
});

describe('s3Error', () => {
  it("reads S3's error code and message, and nothing from another body", () => {
    expect(
      s3Error(
        '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Policy expired</Message></Error>',
      ),
    ).toEqual({
      code: 'AccessDenied',
      message: 'Policy expired',
    });
    expect(s3Error('')).toBeUndefined();
  });
});
