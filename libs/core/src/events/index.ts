export * from './key';
export * from './object-event';
export * from './schemas';
