export * from './app';
export * from './config';
export * from './errors';
export * from './image-context';
export * from './settings';
export * from './stack';
export * from './policy/checks';
export * from './policy/aspect';
