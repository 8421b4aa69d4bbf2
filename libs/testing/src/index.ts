export * from './corpus';
export { type ContextHashFixture, contextHashFixture } from './context-hash';
export { removeTempDir, useTempDirs } from './temp-dir';
