export * from './assemble';
export * from './dockerfile';
export * from './errors';
export * from './sharp';
export * from './tree';
