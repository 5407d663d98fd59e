// The bridge's settings: schema (the Config type), loader and durations.
export * from './duration';
export * from './load';
export * from './schema';
