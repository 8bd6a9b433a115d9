import type { RequestModelStats } from '@shortline/core';
import { request } from 'undici';

/** What a running proxy's predictor has learnt for one function: /debug/queue's `requests` of it. */
export async function learntClasses(adminPort: number, functionName: string): Promise<RequestModelStats | undefined> {
  const { statusCode, body } = await request(`http://127.0.0.1:${adminPort}/debug/queue`);
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`/debug/queue answered ${statusCode}`);
  }
  const snapshot = (await body.json()) as { functions: readonly { name: string; requests?: RequestModelStats | null }[] };
  return snapshot.functions.find((fn) => fn.name === functionName)?.requests ?? undefined;
}
