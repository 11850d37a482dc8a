export * from './org.ts';
export * from './personnel.ts';
export * from './cases.ts';
export * from './system.ts';
