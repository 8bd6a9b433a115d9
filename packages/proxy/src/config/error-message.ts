/** The message of anything thrown. Duck-typed: errors from another realm (a VM context) are not `instanceof Error`. */
export function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}
