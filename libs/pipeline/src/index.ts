export * from './definition';
export * from './environment';
export * from './functions';
export * from './limits';
export * from './presets';
export * from './resources';
export * from './rules';
export * from './schedules';
