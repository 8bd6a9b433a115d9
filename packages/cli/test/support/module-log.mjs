// Preload for `node --import`: appends the URL of every module the process loads, ES modules and
// CommonJS alike, one per line, to the file named by $SHORTLINE_MODULE_LOG. Plain JavaScript, as
// Node loads it before anything is compiled. Tests use it to hold a mode to what it may load.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env['SHORTLINE_MODULE_LOG'];
if (file === undefined || file === '') throw new Error('module-log.mjs: set SHORTLINE_MODULE_LOG to the file to write');

register('./module-log-hooks.mjs', import.meta.url, { data: file });

// A require() from CommonJS (a package's own files) never reaches the ES hooks on Node 20.
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  appendFileSync(file, `${pathToFileURL(filename).href}\n`);
  return compile.call(this, content, filename);
};
