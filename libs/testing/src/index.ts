export * from './corpus';
export { type ContextHashFixture, contextHashFixture } from './context-hash';
