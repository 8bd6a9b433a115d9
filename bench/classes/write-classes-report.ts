import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderLatencyCdfSvg } from '@shortline/sim';
import type { ClassesBenchmarkRun } from './classes-run.js';
import { CLASSES_RECORD_COLUMNS, classesRecordRows } from './classes-records-csv.js';
import { createClassesReportJson } from './classes-report-json.js';
import { CLASSES_REPORT_FILES } from './classes-report-files.js';
import { renderClassesReportMarkdown } from './classes-report-markdown.js';

/** Writes the report folder's files: report.md, report.json, records.csv and the two latency CDFs. */
export async function writeClassesReport(dir: string, run: ClassesBenchmarkRun): Promise<void> {
  const title = `one service in one function, ${run.settings.slots} slots, load ${run.settings.load}`;
  const rows = run.runs.map((outcome) => classesRecordRows(outcome, run.schedule, run.warmup));
  await Promise.all([
    writeFile(join(dir, CLASSES_REPORT_FILES.json), JSON.stringify(createClassesReportJson(run), null, 2) + '\n'),
    writeFile(join(dir, CLASSES_REPORT_FILES.markdown), renderClassesReportMarkdown(run)),
    writeFile(join(dir, CLASSES_REPORT_FILES.records), [CLASSES_RECORD_COLUMNS.join(',') + '\n', ...rows].join('')),
    writeFile(
      join(dir, CLASSES_REPORT_FILES.cdfLive),
      renderLatencyCdfSvg(run.runs.map((outcome) => ({ name: outcome.plan.name, sortedLatencyMs: outcome.live.sortedLatencyMs })), { title: `Live latency CDF: ${title}` }),
    ),
    writeFile(
      join(dir, CLASSES_REPORT_FILES.cdfSimulated),
      renderLatencyCdfSvg(
        [
          ...run.runs.map((outcome) => ({ name: outcome.plan.name, sortedLatencyMs: outcome.simulated.result.sortedLatencyMs })),
          { name: 'sept told durations', sortedLatencyMs: run.simulatedOracle.sortedLatencyMs },
        ],
        { title: `Simulated latency CDF: ${title}` },
      ),
    ),
  ]);
}
