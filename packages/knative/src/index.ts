// Everything the package has. A program that runs one mode imports that mode's entry instead
// (@shortline/knative/sidecar or /gateway), so that it loads only what the mode needs.
export * from './sidecar.js';
export * from './gateway.js';
