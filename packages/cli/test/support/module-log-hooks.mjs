// The ES module hooks of module-log.mjs; they run on the loader's own thread.
import { appendFileSync } from 'node:fs';

let file = '';

export function initialize(data) {
  file = data;
}

export async function load(url, context, nextLoad) {
  appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
