// The live page: topology with messages in motion, the batch, positions and one payment's
// story. Every control is a request to an actor's public API, passed on by /x/{api}/...
'use strict';
const $ = (id) => document.getElementById(id);
let world = null, generation = -1, nodes = {}, batchId = null, chosen = null;
const paces = [['fast', 60], ['normal', 350], ['slow', 900], ['slower', 1600], ['step by step', 3000]];
let pace = paces[1][1];
const queue = []; const maxQueued = 400; let skipped = 0; let playing = 0;

function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  if (world && path.startsWith('/x/hub')) headers['Platform-TenantId'] = world.tenant;
  return fetch(path, Object.assign({}, opts, { headers }));
}
async function json(path, opts) { const r = await api(path, opts); if (!r.ok) throw new Error(path + ' ' + r.status); return r.json(); }
function notice(text) { $('notice').textContent = text; }
// Text set only when it changed: a page following a batch lays out only what moved.
function setText(id, text) { const e = $(id); const t = String(text); if (e.textContent !== t) e.textContent = t; }
function fmt(n) { const v = Number(n); return isNaN(v) ? String(n) : v.toLocaleString('en-US', { maximumFractionDigits: 2 }); }
function el(tag, attrs = {}, text) {
  const e = document.createElementNS(tag === 'svg' || attrs.svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
  for (const [k, v] of Object.entries(attrs)) if (k !== 'svg') e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---- topology
function nodeOf(name) {
  if (!world) return null;
  if (name === 'openg2p' || name === 'hub' || name === 'switch') return name;
  if (name.endsWith('-connector')) return 'connector';
  if (nodes[name]) return name;
  if (name === 'ui') return null;
  return null;
}
function drawTopology() {
  const svg = $('topology'); svg.textContent = '';
  nodes = {};
  const payer = world.dfsps.find((d) => d.role === 'payer');
  const payees = world.dfsps.filter((d) => d.role === 'payee');
  const place = (key, x, y, title, sub) => { nodes[key] = { x, y, title, sub }; };
  place('openg2p', 70, 60, 'OpenG2P', 'batch');
  place('hub', 230, 60, 'Payment Hub', 'PH-EE');
  place('connector', 390, 60, 'Connector', payer.fspId);
  place(payer.fspId, 390, 180, payer.fspId.toUpperCase(), 'payer bank');
  place('switch', 550, 180, 'Switch', 'Mojaloop');
  payees.forEach((p, i) => place(p.fspId, 690, payees.length === 1 ? 180 : 60 + i * (170 / Math.max(1, payees.length - 1)), p.fspId.toUpperCase(), 'payee bank'));
  const edges = [['openg2p', 'hub'], ['hub', 'connector'], ['connector', payer.fspId], [payer.fspId, 'switch']].concat(payees.map((p) => ['switch', p.fspId]));
  for (const [a, b] of edges) svg.appendChild(el('line', { svg: 1, class: 'edge', x1: nodes[a].x, y1: nodes[a].y, x2: nodes[b].x, y2: nodes[b].y }));
  for (const [key, n] of Object.entries(nodes)) {
    const g = el('g', { svg: 1, class: 'node', id: 'node-' + key });
    g.appendChild(el('rect', { svg: 1, x: n.x - 62, y: n.y - 26, width: 124, height: 52, rx: 8 }));
    g.appendChild(el('text', { svg: 1, x: n.x, y: n.y - 2 }, n.title));
    g.appendChild(el('text', { svg: 1, x: n.x, y: n.y + 15, class: 'sub' }, n.sub));
    svg.appendChild(g);
  }
  svg.appendChild(el('text', { svg: 1, id: 'msg-label', class: 'label', x: 10, y: 240 }, ''));
}
// Every dot in flight moves on one ticker: 20 frames a second while the page shows every message;
// 5 while more arrive than the pace can show (a big batch: what moves is a sample, and a browser
// on the same machine as the actors renders few frames, not one per dot and screen refresh).
const calmFrameMs = 50, busyFrameMs = 200; const moving = []; let ticking = false, label = '', shownLabel = '', lastSkip = -1e9;
function frameMs() { return performance.now() - lastSkip < 2000 ? busyFrameMs : calmFrameMs; }
function animate(ev) {
  const a = nodes[nodeOf(ev.a)], b = nodes[nodeOf(ev.b)];
  if (!a || !b) { playing--; return next(); }
  const dot = el('circle', { svg: 1, r: 8, class: ev.s >= 400 ? 'dot err' : 'dot', cx: a.x, cy: a.y });
  $('topology').appendChild(dot);
  label = (ev.s ? ev.s + ' ' : '') + ev.m + ' ' + ev.p.split('?')[0] + '   ' + ev.a + ' \u2192 ' + ev.b +
    (skipped ? '   (' + skipped + ' not shown)' : '');
  moving.push({ dot, a, b, t0: performance.now(), d: Math.max(40, pace * 0.8) });
  if (!ticking) { ticking = true; setTimeout(tick, frameMs()); }
  setTimeout(() => { playing--; next(); }, pace);
}
function tick() {
  const now = performance.now();
  for (let i = moving.length - 1; i >= 0; i--) {
    const m = moving[i], k = Math.min(1, (now - m.t0) / m.d);
    if (k >= 1) { m.dot.remove(); moving.splice(i, 1); continue; }
    m.dot.setAttribute('cx', m.a.x + (m.b.x - m.a.x) * k); m.dot.setAttribute('cy', m.a.y + (m.b.y - m.a.y) * k);
  }
  if (label !== shownLabel) { shownLabel = label; $('msg-label').textContent = label; }
  if (moving.length) setTimeout(tick, frameMs()); else ticking = false;
}
function next() {
  // At a fast pace several messages travel at once; slower paces show them one by one.
  const lanes = pace <= 60 ? 24 : pace <= 350 ? 6 : 1;
  while (playing < lanes && queue.length) { playing++; animate(queue.shift()); }
}
function enqueue(ev) {
  if (queue.length >= maxQueued) { skipped++; lastSkip = performance.now(); return; }
  queue.push(ev); next();
}

// ---- state from the public APIs
// At most one refresh a second, through the same public APIs a user would call; positions and the
// settlement window every other one. Tables are redrawn only when what they show changed.
let refreshing = false, refreshAgain = false, shownRows = '', shownPositions = '', refreshes = 0;
function scheduleRefresh() {
  if (refreshing) { refreshAgain = true; return; }
  refreshing = true;
  setTimeout(async () => {
    let complete = true;
    try { complete = await refresh(); } catch (e) { notice(String(e)); }
    refreshing = false;
    if (!complete) refreshAgain = true;
    if (refreshAgain) { refreshAgain = false; scheduleRefresh(); }
  }, 1000);
}
async function refresh(full = false) {
  if (!world) return true;
  const positions = full || refreshes++ % 2 === 0;
  await Promise.all([refreshBatch(), positions ? refreshPositions() : null]);
  return positions;  // a refresh without them is always followed by one with them
}
async function refreshBatch() {
  const list = await json('/x/hub-ops/api/v1/batches?offset=0&limit=1&sort=-startedAt');
  if (!list.data || !list.data.length) return;
  const latest = list.data[0];
  batchId = latest.batchId;
  const b = await json('/x/hub-ops/api/v1/batch/' + encodeURIComponent(batchId));
  const done = b.successful + b.failed, pct = b.total ? Math.floor(done * 100 / b.total) : 0;
  setText('batch-name', 'batch ' + batchId + (latest.requestFile ? '  (' + latest.requestFile + ')' : ''));
  setText('batch-status', b.status);
  if ($('progress-bar').style.width !== pct + '%') $('progress-bar').style.width = pct + '%';
  setText('progress-pct', pct + ' %');
  setText('count-paid', b.successful); setText('amount-paid', fmt(b.successfulAmount) + ' ' + world.currency);
  setText('count-failed', b.failed); setText('amount-failed', fmt(b.failedAmount) + ' ' + world.currency);
  setText('count-flight', b.ongoing);
  setText('count-total', b.total); setText('amount-total', fmt(b.totalAmount) + ' ' + world.currency);
  // Failed rows first (what a trainer talks about), then the rest, at most 100 of each.
  const [failed, all] = await Promise.all([
    json('/x/hub-ops/api/v1/batch/detail?batchId=' + encodeURIComponent(batchId) + '&pageNo=0&pageSize=100&status=FAILED'),
    json('/x/hub-ops/api/v1/batch/detail?batchId=' + encodeURIComponent(batchId) + '&pageNo=0&pageSize=100&status=ALL')]);
  const seen = new Set(), rows = [];
  for (const r of (failed.content || []).concat(all.content || [])) if (!seen.has(r.clientCorrelationId)) { seen.add(r.clientCorrelationId); rows.push(r); }
  // Rebuilt only when a row changed: a page following a big batch redraws little.
  const key = chosen + '|' + rows.map((r) => r.clientCorrelationId + ':' + r.status + ':' + (r.errorInformation || '')).join(',');
  if (key === shownRows) return;
  shownRows = key;
  const names = {}; for (const p of world.beneficiaries || []) names[p.msisdn] = p.name;
  const body = $('rows').tBodies[0]; body.textContent = '';
  for (const r of rows) {
    let code = '', desc = '';
    if (r.errorInformation) { try { const e = JSON.parse(r.errorInformation).errorInformation; code = e.errorCode; desc = e.errorDescription; } catch (_) { desc = r.errorInformation; } }
    const tr = el('tr', { class: r.status, 'data-request-id': r.clientCorrelationId, 'data-msisdn': r.payeePartyId });
    if (r.clientCorrelationId === chosen) tr.classList.add('chosen');
    tr.appendChild(el('td', {}, r.payeePartyId + (names[r.payeePartyId] ? '  ' + names[r.payeePartyId] : '')));
    tr.appendChild(el('td', { class: 'num' }, fmt(r.amount) + ' ' + (r.currency || '')));
    tr.appendChild(el('td', { class: 'outcome' }, r.status));
    tr.appendChild(el('td', { class: 'code', title: desc }, code ? code + ' ' + desc : ''));
    tr.addEventListener('click', () => showStory(r.clientCorrelationId, r.payeePartyId));
    body.appendChild(tr);
  }
}
async function refreshPositions() {
  const banks = world.dfsps;
  const limits = await json('/x/switch-admin/participants/limits').catch(() => []);
  const rows = await Promise.all(banks.map(async (d) => {
    const pos = await json('/x/switch-admin/participants/' + d.fspId + '/positions').catch(() => []);
    const accounts = await json('/x/' + d.fspId + '-test/accounts').catch(() => []);
    return { d, pos, accounts };
  }));
  const shown = rows.map(({ d, pos, accounts }) => {
    const p = (Array.isArray(pos) ? pos : [pos]).find((x) => x && x.currency === world.currency) || {};
    const l = (limits || []).find((x) => x.name === d.fspId && x.currency === world.currency);
    const list = (Array.isArray(accounts) ? accounts : []);
    return { d, position: p.value !== undefined ? fmt(p.value) : '?', ndc: l ? fmt(l.limit.value) : '?',
      balances: list.slice(0, 3).map((a) => a.id + ' ' + fmt(a.balance)).join(', ') + (list.length > 3 ? ', +' + (list.length - 3) + ' more' : '') };
  });
  const key = JSON.stringify(shown.map((r) => [r.d.fspId, r.position, r.ndc, r.balances]));
  if (key !== shownPositions) {
    shownPositions = key;
    const body = $('positions').tBodies[0]; body.textContent = '';
    for (const r of shown) {
      const tr = el('tr', { 'data-fsp': r.d.fspId });
      tr.appendChild(el('td', {}, r.d.fspId + (r.d.role === 'payer' ? ' (payer)' : '')));
      tr.appendChild(el('td', { class: 'num position' }, r.position));
      tr.appendChild(el('td', { class: 'num ndc' }, r.ndc));
      tr.appendChild(el('td', { class: 'balances' }, r.balances));
      body.appendChild(tr);
    }
  }
  const open = await json('/x/switch-admin/settlementWindows?state=OPEN').catch(() => []);
  const closed = await json('/x/switch-admin/settlementWindows?state=CLOSED').catch(() => []);
  const w = open[0];
  setText('window-state', w ? 'OPEN #' + w.settlementWindowId + ' since ' + (w.createdDate || '') + (closed.length ? '  (' + closed.length + ' closed)' : '') : 'none open');
}

// ---- one payment's story: lookup, quote, transfer, callbacks; acknowledgements folded in
function phaseOf(s) {
  const p = s.path;
  if (s.from === 'openg2p') return 'upload';
  if (p.startsWith('/parties') || p.startsWith('/participants')) return 'lookup';
  if (p.startsWith('/quotes')) return 'quote';
  if (p.startsWith('/transfers') && (s.from === 'hub')) return 'payment hub \u2192 connector';
  if (p.startsWith('/transfers')) return 'transfer';
  return 'other';
}
function detail(s) {
  let b = null; try { b = JSON.parse(s.body); } catch (_) { }
  if (!b) return '';
  const bits = [];
  if (b.errorInformation) bits.push('error ' + b.errorInformation.errorCode + ' ' + b.errorInformation.errorDescription);
  if (b.lastError && b.lastError.mojaloopError) { const e = b.lastError.mojaloopError.errorInformation; bits.push('error ' + e.errorCode + ' ' + e.errorDescription); }
  if (b.transferAmount) bits.push('amount ' + b.transferAmount.amount + ' ' + b.transferAmount.currency);
  else if (b.amount && b.amount.amount) bits.push('amount ' + b.amount.amount + ' ' + b.amount.currency);
  else if (typeof b.amount === 'string') bits.push('amount ' + b.amount + ' ' + (b.currency || ''));
  if (b.payeeFspFee) bits.push('fee ' + b.payeeFspFee.amount);
  if (b.payeeFspCommission) bits.push('commission ' + b.payeeFspCommission.amount);
  if (b.condition) bits.push('condition ' + b.condition.slice(0, 10) + '\u2026');
  if (b.fulfilment) bits.push('fulfilment ' + b.fulfilment.slice(0, 10) + '\u2026');
  if (b.transferState) bits.push(b.transferState);
  if (b.currentState) bits.push(b.currentState);
  if (b.party && b.party.partyIdInfo) bits.push('found at ' + b.party.partyIdInfo.fspId);
  return bits.join(', ');
}
async function showStory(requestId, msisdn) {
  chosen = requestId;
  for (const tr of $('rows').tBodies[0].rows) tr.classList.toggle('chosen', tr.dataset.requestId === requestId);
  $('story-title').textContent = 'payment to ' + msisdn;
  const story = await json('/api/story?id=' + encodeURIComponent(requestId));
  const ol = $('story'); ol.textContent = '';
  let phase = null;
  if (!story.steps.length) ol.appendChild(el('li', { class: 'phase' }, 'no messages kept for this payment (only the latest ones are)'));
  for (const s of story.steps) {
    const ph = phaseOf(s);
    if (ph !== phase) { phase = ph; ol.appendChild(el('li', { class: 'phase' }, ph)); }
    const li = el('li');
    li.appendChild(el('span', { class: 'who' }, s.from + ' \u2192 ' + s.to + ' '));
    li.appendChild(document.createTextNode(s.method + ' ' + s.path.split('?')[0] + ' '));
    if (s.status !== undefined) li.appendChild(el('span', { class: s.status < 300 ? 'ok' : 'bad' }, '[' + s.status + '] '));
    const d = detail(s) || (s.status >= 300 ? detail({ body: s.answer }) : '');
    const ans = s.status === 200 && s.answer ? detail({ body: s.answer }) : '';
    li.appendChild(el('span', { class: /error/.test(d + ans) ? 'bad' : '' }, [d, ans].filter(Boolean).join('; ')));
    ol.appendChild(li);
  }
}

// ---- controls
async function upload(csv, filename) {
  const form = new FormData();
  form.append('data', new Blob([csv], { type: 'text/csv' }), filename);
  const r = await api('/x/hub/batchtransactions', { method: 'POST', body: form, headers: { Type: 'csv', Purpose: 'live page', filename, 'X-CorrelationID': crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) } });
  notice('upload ' + filename + ': ' + r.status + ' ' + (await r.text()));
  scheduleRefresh();
}
function demoCsv() {
  let csv = 'id,request_id,payment_mode,payer_identifier_type,payer_identifier,payee_identifier_type,payee_identifier,amount,currency,note\r\n';
  const tag = Date.now().toString(36);
  world.beneficiaries.forEach((b, i) => {
    csv += [i, 'ui-' + tag + '-' + i, 'MOJALOOP', 'MSISDN', world.payer.msisdn, 'MSISDN', b.msisdn, b.amount || '10.0', world.currency, 'live page'].join(',') + '\r\n';
  });
  return csv;
}
const faults = {
  'payee-rejects': { step: 'transfer', action: 'error', error_code: '5104' },
  'delay-expiry': { step: 'transfer', action: 'delay', delay_ms: 35000 },
  'lost-callback': { step: 'transfer', action: 'no_callback' },
};
const savedCaps = {};
function payee() { return world.dfsps.find((d) => d.role === 'payee').fspId; }
function payer() { return world.dfsps.find((d) => d.role === 'payer').fspId; }
async function faultIsOn(name) {
  if (name === 'liquidity') return savedCaps[payer()] !== undefined;
  const rules = await json('/x/' + payee() + '-test/faults').catch(() => []);
  return rules.some((r) => r.id === 'ui-' + name && r.enabled !== false);
}
async function showFault() {
  const on = await faultIsOn($('fault-choice').value);
  $('fault-toggle').textContent = on ? 'Fault off' : 'Fault on';
  $('fault-toggle').classList.toggle('on', on);
}
async function toggleFault() {
  const name = $('fault-choice').value;
  const on = await faultIsOn(name);
  let r;
  if (name === 'liquidity') {
    const fsp = payer();
    if (!on) {
      const limits = await json('/x/switch-admin/participants/' + fsp + '/limits');
      const pos = await json('/x/switch-admin/participants/' + fsp + '/positions');
      const p = (Array.isArray(pos) ? pos : [pos]).find((x) => x.currency === world.currency);
      savedCaps[fsp] = limits.find((l) => l.currency === world.currency).limit.value;
      r = await api('/x/switch-admin/participants/' + fsp + '/limits', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ currency: world.currency, limit: { type: 'NET_DEBIT_CAP', value: Math.max(0, Number(p ? p.value : 0)) } }) });
    } else {
      r = await api('/x/switch-admin/participants/' + fsp + '/limits', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ currency: world.currency, limit: { type: 'NET_DEBIT_CAP', value: Number(savedCaps[fsp]) } }) });
      delete savedCaps[fsp];
    }
  } else if (!on) {
    r = await api('/x/' + payee() + '-test/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(Object.assign({ id: 'ui-' + name }, faults[name])) });
  } else {
    r = await api('/x/' + payee() + '-test/faults/ui-' + name, { method: 'DELETE' });
  }
  notice('fault ' + name + ' ' + (on ? 'off' : 'on') + ': ' + r.status);
  await showFault(); scheduleRefresh();
}
async function closeWindow() {
  const open = await json('/x/switch-admin/settlementWindows?state=OPEN');
  if (!open.length) return notice('no open settlement window');
  const r = await api('/x/switch-admin/settlementWindows/' + open[0].settlementWindowId, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state: 'CLOSED', reason: 'closed from the live page' }) });
  notice('close settlement window ' + open[0].settlementWindowId + ': ' + r.status);
  scheduleRefresh();
}
async function reset() {
  const r = await api('/api/reset', { method: 'POST' });
  notice('reset: ' + r.status);
  // The stream says hello again with the new generation once the fresh world runs.
}

// ---- wiring
async function loadWorld() {
  const t = await json('/api/topology');
  if (!t.world) return;
  world = t.world; generation = t.generation;
  drawTopology();
  batchId = null; chosen = null;
  $('rows').tBodies[0].textContent = ''; shownRows = ''; shownPositions = ''; $('story').textContent = '';
  $('progress-bar').style.width = '0'; $('progress-pct').textContent = '0 %';
  document.body.dataset.generation = generation;
  await refresh(true); await showFault();
  if (t.autoplay) await upload(demoCsv(), 'demo.csv');
}
function connect() {
  const es = new EventSource('/events');
  es.addEventListener('hello', async (e) => {
    $('link').textContent = 'live'; $('link').className = 'link up';
    if (Number(e.data) !== generation) await loadWorld();
  });
  es.addEventListener('dropped', (e) => { skipped += Number(e.data); lastSkip = performance.now(); scheduleRefresh(); });
  es.onmessage = (e) => {
    for (const ev of JSON.parse(e.data)) enqueue(ev);
    scheduleRefresh();
  };
  es.onerror = () => { $('link').textContent = 'reconnecting'; $('link').className = 'link down'; };
}
$('send-demo').onclick = () => upload(demoCsv(), 'live-page-demo.csv');
$('upload').onchange = async (e) => { const f = e.target.files[0]; if (f) await upload(await f.text(), f.name); e.target.value = ''; };
$('fault-choice').onchange = showFault;
$('fault-toggle').onclick = toggleFault;
$('close-window').onclick = closeWindow;
$('reset').onclick = reset;
$('pace').oninput = () => { const p = paces[Number($('pace').value)]; pace = p[1]; $('pace-name').textContent = p[0]; };
connect();
