/** The files of a bench:classes report folder, by role. */
export const CLASSES_REPORT_FILES = {
  markdown: 'report.md',
  json: 'report.json',
  records: 'records.csv',
  cdfLive: 'latency-cdf-live.svg',
  cdfSimulated: 'latency-cdf-simulated.svg',
} as const;

/** The files each run adds to the folder. */
export function classesRunFiles(run: string): { readonly config: string } {
  return { config: `shortline-${run}.yaml` };
}
