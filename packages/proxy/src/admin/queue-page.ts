/**
 * The admin port's live queue page: plain HTML and a small script, no build step and no framework.
 * It polls `queue.json` every second and draws, per pool and function, what waits and what runs, its
 * priority and how many calls met its deadline, and request by request what waits, runs and finished lately, predicted against waited. Everything shown
 * is set as text (never as HTML): paths and function names come from clients and configuration.
 */
export const QUEUE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shortline queue</title>
<style>
  :root { font: 14px/1.4 system-ui, sans-serif; color: #1d232a; background: #f6f7f9; }
  body { margin: 0 auto; padding: 1rem 1.5rem 3rem; max-width: 72rem; }
  header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
  h1 { font-size: 1.4rem; margin: 0; } h2 { font-size: 1.05rem; margin: 1.6rem 0 .4rem; }
  .muted { color: #66707a; } .bad { color: #b3261e; font-weight: 600; }
  table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 2px #0001; }
  th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e6e8eb; white-space: nowrap; }
  th { font-weight: 600; font-size: .85rem; color: #4a535c; background: #eef0f3; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  td.path { max-width: 24rem; overflow: hidden; text-overflow: ellipsis; }
  .bar { position: relative; height: .7rem; width: 12rem; background: #e6e8eb; border-radius: 2px; }
  .bar span { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 2px; }
  .bar .predicted { background: #9ec5fe; } .bar .waited { background: #d63384; height: .35rem; top: .175rem; }
  .empty td { color: #66707a; font-style: italic; }
</style>
</head>
<body>
<header>
  <h1>Shortline queue</h1>
  <span id="status" class="muted">connecting…</span>
  <span id="summary" class="muted"></span>
</header>
<p class="muted">Short calls overtake long ones: each waiting request is ranked by its predicted duration, aged by how long it has waited.
  Bars: <span style="color:#3d8bfd">predicted duration</span>, <span style="color:#d63384">time waited</span>.</p>
<div id="pools"></div>
<h2>Waiting</h2>
<table id="waiting"><thead><tr><th>function</th><th>request</th><th>waited</th><th>predicted</th><th>waited vs predicted</th></tr></thead><tbody></tbody></table>
<h2>Running</h2>
<table id="running"><thead><tr><th>function</th><th>request</th><th>waited</th><th>running</th><th>predicted</th></tr></thead><tbody></tbody></table>
<h2>Recent completions</h2>
<table id="recent"><thead><tr><th>function</th><th>request</th><th>status</th><th>waited</th><th>ran</th><th>predicted</th><th>ran / predicted</th><th>ago</th></tr></thead><tbody></tbody></table>
<p id="detail" class="muted"></p>
<script>
"use strict";
const duration = (ms) => ms < 1 ? ms.toFixed(2) + ' ms' : ms < 1000 ? ms.toFixed(ms < 10 ? 1 : 0) + ' ms' : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === 'class') node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}
const cell = (field, text, cls) => el('td', cls ? { 'data-field': field, class: cls } : { 'data-field': field }, text);
function bar(waited, predicted) {
  const scale = Math.max(waited, predicted, 1);
  const b = el('div', { class: 'bar' });
  b.append(el('span', { class: 'predicted', style: 'width:' + (100 * predicted / scale) + '%' }));
  b.append(el('span', { class: 'waited', style: 'width:' + (100 * waited / scale) + '%' }));
  return b;
}
function fill(table, rows, empty) {
  const body = table.tBodies[0];
  body.replaceChildren(...(rows.length > 0 ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: table.tHead.rows[0].cells.length }, empty))]));
}
// Floored, so that one miss never shows as 100%.
function attainment(fn) {
  const met = fn.counters.deadlinesMet, counted = met + fn.counters.deadlinesMissed;
  return typeof fn.deadlineAttainment !== 'number' ? '—' : met + ' of ' + counted + ' (' + Math.floor(100 * fn.deadlineAttainment) + '%)';
}
function drawPools(queue) {
  const sections = queue.pools.map((pool) => {
    const slots = pool.backends.reduce((sum, b) => sum + b.capacity, 0);
    const unlimited = pool.backends.some((b) => b.capacity === 0);
    const rows = queue.functions.filter((fn) => fn.pool === pool.name).map((fn) =>
      el('tr', { 'data-function': fn.name },
        cell('name', fn.name), cell('priority', fn.priority), cell('waiting', fn.waiting, 'num'), cell('running', fn.inFlight, 'num'),
        cell('oldest', fn.waiting > 0 ? duration(fn.oldestWaitMs) : '—', 'num'), cell('predicted', duration(fn.predictedMs), 'num'),
        el('td', {}, bar(fn.oldestWaitMs, fn.predictedMs)),
        cell('deadline', fn.deadlineMs > 0 ? duration(fn.deadlineMs) : '—', 'num'), cell('attainment', attainment(fn), 'num')));
    const table = el('table', {}, el('thead', {}, el('tr', {}, ...['function', 'priority', 'waiting', 'running', 'oldest wait', 'predicted', 'oldest wait vs predicted', 'deadline', 'deadlines met'].map((h) => el('th', {}, h)))), el('tbody'));
    fill(table, rows, 'no function in this pool');
    const capacity = unlimited ? 'unlimited slots' : slots + ' slots';
    return el('section', { 'data-pool': pool.name },
      el('h2', {}, 'pool ' + pool.name + ' ', el('span', { class: 'muted' }, pool.inFlight + ' running of ' + capacity + ', ' + pool.waiting + ' waiting, ' + pool.backends.length + ' backend(s)')),
      table);
  });
  document.getElementById('pools').replaceChildren(...sections);
}
function request(r) { return el('td', { class: 'path', title: r.method + ' ' + r.path + ' (' + r.requestId + ')' }, r.method + ' ' + r.path); }
function drawLive(live) {
  const detail = document.getElementById('detail');
  if (live === null) {
    for (const id of ['waiting', 'running', 'recent']) fill(document.getElementById(id), [], 'per-request detail is not available from this proxy');
    detail.textContent = '';
    return;
  }
  fill(document.getElementById('waiting'), live.waiting.map((r) =>
    el('tr', { 'data-request': r.requestId, 'data-function': r.function }, cell('function', r.function), request(r), cell('waited', duration(r.waitedMs), 'num'), cell('predicted', duration(r.predictedMs), 'num'), el('td', {}, bar(r.waitedMs, r.predictedMs)))), 'nothing waits');
  fill(document.getElementById('running'), live.running.map((r) =>
    el('tr', { 'data-request': r.requestId, 'data-function': r.function }, cell('function', r.function), request(r), cell('waited', duration(r.waitedMs), 'num'), cell('running', duration(r.runningMs), 'num'), cell('predicted', duration(r.predictedMs), 'num'))), 'nothing runs');
  fill(document.getElementById('recent'), live.recent.map((r) =>
    el('tr', { 'data-request': r.requestId, 'data-function': r.function }, cell('function', r.function), request(r), cell('status', r.status, r.status >= 500 ? 'num bad' : 'num'), cell('waited', duration(r.waitedMs), 'num'), cell('ran', duration(r.ranMs), 'num'), cell('predicted', duration(r.predictedMs), 'num'), cell('error', r.predictedMs > 0 && r.ranMs > 0 ? (r.ranMs / r.predictedMs).toFixed(2) + '×' : '—', 'num'), cell('ago', duration(r.agoMs), 'num'))), 'nothing finished since this page opened');
  detail.textContent = 'Requests listed since ' + duration(live.watchingForMs) + ' ago, when this page started watching; counts above include all.';
}
async function refresh() {
  const status = document.getElementById('status');
  try {
    const answer = await fetch('queue.json', { cache: 'no-store' });
    if (!answer.ok) throw new Error('HTTP ' + answer.status);
    const data = await answer.json();
    const q = data.queue;
    status.textContent = q.draining ? 'draining' : 'live';
    status.className = q.draining ? 'bad' : 'muted';
    document.getElementById('summary').textContent = 'policy ' + q.policy.name + ' · ' + q.waiting + ' waiting · ' + q.inFlight + ' running · updated ' + new Date().toLocaleTimeString();
    drawPools(q);
    drawLive(data.live);
  } catch (error) {
    status.textContent = 'disconnected (' + error.message + '); retrying';
    status.className = 'bad';
  } finally {
    // The browser's timer: this script runs in the page, not in the proxy.
    window.setTimeout(refresh, 1000);
  }
}
refresh();
</script>
</body>
</html>
`;
