// Public API of @imgpipe/image. Implementation lands with issue 2; the shapes are fixed in types.ts.
export * from './types';
