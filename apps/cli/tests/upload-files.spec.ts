import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFile } from '@imgpipe/testing';
import { sniffContentType, uploadItems } from '../src/stack/upload-files';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imgpipe-cli-upload-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('uploadItems', () => {
  it("keys a file by its name and a folder's files by their path inside it, under the prefix", async () => {
    mkdirSync(join(dir, 'holiday', 'day 2'), { recursive: true });
    writeFileSync(join(dir, 'holiday', 'a.jpg'), 'a');
    writeFileSync(join(dir, 'holiday', 'day 2', 'b.png'), 'bb');
    writeFileSync(join(dir, 'holiday', '.DS_Store'), 'x');
    writeFileSync(join(dir, 'cat.jpg'), 'ccc');
    const items = await uploadItems([join(dir, 'cat.jpg'), join(dir, 'holiday')], 'photos/');
    expect(items.map((i) => [i.key, i.bytes])).toEqual([
      ['photos/cat.jpg', 3],
      ['photos/a.jpg', 1],
      ['photos/day 2/b.png', 2],
    ]);
  });

  it('refuses two inputs that would get the same key, before anything is sent', async () => {
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'cat.jpg'), 'a');
    writeFileSync(join(dir, 'cat.jpg'), 'b');
    await expect(uploadItems([join(dir, 'cat.jpg'), join(dir, 'x')])).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('would both be uploaded as "cat.jpg"'),
    });
  });

  it('names a missing input with INPUT_FILE', async () => {
    await expect(uploadItems([join(dir, 'nope.jpg')])).rejects.toMatchObject({
      code: 'INPUT_FILE',
      message: expect.stringContaining('nope.jpg'),
    });
  });
});

describe('sniffContentType', () => {
  it('goes by the bytes, not the name', async () => {
    expect(await sniffContentType(corpusFile('exif-orientation-examples/Landscape_6.jpg'))).toBe(
      'image/jpeg',
    );
    writeFileSync(join(dir, 'fake.jpg'), 'not an image at all');
    expect(await sniffContentType(join(dir, 'fake.jpg'))).toBe('application/octet-stream');
  });
});
