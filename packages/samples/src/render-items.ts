import type { ServerResponse } from 'node:http';

export type RenderFormat = 'json' | 'html';

/** Items rendered per write: big enough to be cheap, small enough that backpressure is felt. */
const BATCH = 500;
const COLOURS = ['red', 'green', 'blue', 'amber', 'violet'];

/** Resolves when the response can take more, or has closed (a client that left never drains it). */
function writable(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

function item(i: number): { id: number; name: string; price: number; colour: string } {
  return { id: i, name: `Item ${i}`, price: ((i * 7919) % 10_000) / 100, colour: COLOURS[i % COLOURS.length] as string };
}

function renderOne(i: number, format: RenderFormat): string {
  const it = item(i);
  if (format === 'json') return JSON.stringify(it);
  return `<tr><td>${it.id}</td><td>${it.name}</td><td>${it.price.toFixed(2)}</td><td class="${it.colour}">${it.colour}</td></tr>\n`;
}

/**
 * Renders `count` generated items as a JSON array or an HTML table (SeBS's dynamic-html), streamed in
 * batches that wait for the client when it reads slowly. Resolves when the response has ended.
 */
export async function renderItems(response: ServerResponse, count: number, format: RenderFormat): Promise<void> {
  const [open, separator, close] = format === 'json' ? ['[', ',', ']\n'] : ['<!doctype html>\n<table>\n', '', '</table>\n'];
  response.writeHead(200, { 'content-type': format === 'json' ? 'application/json' : 'text/html; charset=utf-8', 'x-work-units': String(count) });
  let chunk = open;
  for (let i = 0; i < count; i++) {
    chunk += (i > 0 ? separator : '') + renderOne(i, format);
    if ((i + 1) % BATCH === 0) {
      const flowing = response.write(chunk);
      chunk = '';
      if (!flowing) await writable(response);
      if (response.destroyed) return;
    }
  }
  response.end(chunk + close);
}
