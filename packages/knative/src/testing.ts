// Test doubles of the Kubernetes side, for this package's tests and the benchmarks: an in-process API
// server that speaks the real list/watch protocol, and Knative's objects to feed it. No program of
// Shortline's imports this entry.
export * from './testing/fake-kube-api.js';
export * from './testing/knative-object-fixtures.js';
