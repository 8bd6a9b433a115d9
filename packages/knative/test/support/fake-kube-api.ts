export * from '../../src/testing/fake-kube-api.js';
