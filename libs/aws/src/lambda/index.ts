export * from './cdn';
export * from './compose';
export * from './context';
export * from './object-handler';
export * from './observability';
