// What the proxy takes from undici, without undici's index: that one loads fetch, WebSocket,
// EventSource, cookies, caching and the mocks, and adds the request/stream API to every dispatcher,
// none of which the proxy calls (it dispatches with handlers). Only the image bundle uses this file
// (build.mjs maps `undici` to it); the gateway (WebSocket) and `shortline load` (Agent) keep the whole
// package, in their own chunks.
export { default as Pool } from 'undici/lib/dispatcher/pool.js';
export { default as H2CClient } from 'undici/lib/dispatcher/h2c-client.js';
export { default as errors } from 'undici/lib/core/errors.js';
