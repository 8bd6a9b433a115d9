/** The files of a report folder, by role. */
export const REPORT_FILES = {
  markdown: 'report.md',
  json: 'report.json',
  records: 'records.csv',
  cdfLive: 'latency-cdf-live.svg',
  cdfSimulated: 'latency-cdf-simulated.svg',
  bucketP99: 'p99-by-size.svg',
} as const;

/** The files each policy's run adds to the folder. */
export function policyFiles(policy: string): { readonly config: string; readonly histogram: string } {
  return { config: `shortline-${policy}.yaml`, histogram: `latency-${policy}.hgrm` };
}
