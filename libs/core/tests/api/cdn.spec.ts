import { DEFAULT_CDN } from '@imgpipe/pipeline';
import { variantRequestDecision } from '../../src';

describe('variantRequestDecision', () => {
  it('serves the stored variant when its version is the one asked for', () => {
    expect(variantRequestDecision('abc', { 'imgpipe-version': 'abc' }, DEFAULT_CDN)).toBe('serve');
  });

  it('never serves another version under an old URL', () => {
    expect(variantRequestDecision('old', { 'imgpipe-version': 'new' }, DEFAULT_CDN)).toBe('not-found');
  });

  it('sends a missing variant to the render origin', () => {
    expect(variantRequestDecision('abc', undefined, DEFAULT_CDN)).toBe('render');
  });

  it('serves objects written before versions were recorded, and unversioned requests, as stored', () => {
    expect(variantRequestDecision('abc', { 'source-etag': 'e' }, DEFAULT_CDN)).toBe('serve');
    expect(variantRequestDecision(undefined, { 'imgpipe-version': 'abc' }, DEFAULT_CDN)).toBe('serve');
  });
});
