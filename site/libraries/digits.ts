// The digits file for the engine worker, loaded with the first lesson that reads it (see site/libraries.ts).
export * as digitsFile from './digits-file.ts';
