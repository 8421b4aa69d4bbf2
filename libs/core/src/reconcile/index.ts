export * from './phases';
export * from './run';
export * from './types';
