/**
 * What `classify` returns for a structured-mode CloudEvent (content-type application/cloudevents+json)
 * that reaches a `ceType` rule: its type is inside the body, so `classifyStructured` must read it.
 */
export const NEEDS_BODY: unique symbol = Symbol('shortline.classify.needs-body');
