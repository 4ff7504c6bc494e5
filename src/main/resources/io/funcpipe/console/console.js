// The FuncPipe web console: jobs (live through Server-Sent Events), a submit form, and search over
// each index. Plain JavaScript, same origin only: it calls the REST API of the service that serves it
// (/v1/jobs, /v1/indexes; see /openapi.yaml) with the token typed in (kept in sessionStorage).
'use strict';

const TOKEN_KEY = 'funcpipe.token';
const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const STAGES = ['parse', 'clean', 'chunk', 'embed', 'index'];
const LIST_EVERY_MS = 5000;

const jobs = new Map();      // id -> {status, card, source (EventSource), sample: {at, settled}}
const $ = (selector, root = document) => root.querySelector(selector);

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

/** fetch on the API with the token; resolves to the parsed JSON, rejects with {status, error, field}. */
async function api(path, options = {}) {
  const headers = Object.assign({'Accept': 'application/json'}, options.headers || {});
  if (token()) headers['Authorization'] = 'Bearer ' + token();
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, Object.assign({}, options, {headers}));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = {error: 'HTTP ' + response.status + ' ' + response.statusText}; }
  if (!response.ok) {
    throw Object.assign(new Error((body && body.error) || response.statusText),
      {status: response.status, field: body && body.field});
  }
  return body;
}

function show(element, text) {
  element.textContent = text || '';
  element.hidden = !text;
}

// ---- jobs --------------------------------------------------------------------------------------

function percent(status) {
  if (status.state === 'SUCCEEDED') return 100;
  const bytes = status.bytes || {};
  if (bytes.total > 0) return Math.min(100, Math.floor(100 * (bytes.settled || 0) / bytes.total));
  return null; // size unknown (a URL) or not yet opened
}

function duration(seconds) {
  if (!isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return Math.ceil(seconds) + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + Math.round(seconds % 60) + ' s';
  return Math.floor(seconds / 3600) + ' h ' + Math.round((seconds % 3600) / 60) + ' min';
}

/** ETA from what this page saw: settled bytes since the first event it got for the job. */
function eta(job) {
  const status = job.status;
  const bytes = status.bytes || {};
  if (status.state !== 'RUNNING' || !(bytes.total > 0)) return '';
  const now = performance.now();
  if (!job.sample) { job.sample = {at: now, settled: bytes.settled || 0}; return ''; }
  const seconds = (now - job.sample.at) / 1000;
  const done = (bytes.settled || 0) - job.sample.settled;
  if (seconds <= 0 || done <= 0) return '';
  return 'ETA ' + duration((bytes.total - bytes.settled) / (done / seconds));
}

function card(id) {
  const article = $('#job-template').content.firstElementChild.cloneNode(true);
  article.dataset.id = id;
  $('.job-id', article).textContent = id;
  $('.cancel', article).addEventListener('click', () => cancel(id, article));
  for (const stage of STAGES) {
    const row = document.createElement('tr');
    row.dataset.stage = stage;
    for (const text of [stage, '0', '0', '0']) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.appendChild(cell);
    }
    $('.stages tbody', article).appendChild(row);
  }
  return article;
}

function render(job) {
  const s = job.status;
  const c = job.card;
  const state = $('.state', c);
  state.textContent = s.state;
  state.className = 'state ' + s.state;
  c.dataset.state = s.state;
  $('.index-name', c).textContent = s.spec && s.spec.index ? 'index ' + s.spec.index : '';
  $('.sources', c).textContent = s.spec && s.spec.sources ? s.spec.sources.join(', ') : '';
  const p = percent(s);
  const bar = $('.bar', c);
  bar.className = 'bar ' + s.state;
  bar.setAttribute('aria-valuenow', p === null ? '0' : String(p));
  $('.fill', bar).style.width = (p === null ? 0 : p) + '%';
  $('.percent', bar).textContent = p === null ? (s.state === 'QUEUED' ? 'queued' : 'size unknown') : p + '%';
  const rate = s.chunksPerSecond ? s.chunksPerSecond + ' chunks/s' : '';
  $('.rate', c).textContent = s.report
    ? s.report.chunksIndexed + ' chunks in ' + Number(s.report.elapsedSeconds).toFixed(1) + ' s' + (rate ? ' (' + rate + ')' : '')
    : rate;
  $('.eta', c).textContent = s.waiting ? s.waiting : eta(job);
  for (const stage of STAGES) {
    const count = (s.stages || {})[stage] || {in: 0, ok: 0, failed: 0};
    const cells = c.querySelectorAll(`tr[data-stage="${stage}"] td`);
    cells[1].textContent = count.in;
    cells[2].textContent = count.ok;
    cells[3].textContent = count.failed;
    cells[3].className = count.failed > 0 ? 'failed-some' : '';
  }
  $('.cancel', c).hidden = ENDED.has(s.state);
  show($('.job-error', c), s.error);
  const errors = s.errors || {count: 0, recent: []};
  const details = $('.errors', c);
  details.hidden = !errors.count;
  $('summary', details).textContent = errors.count + (errors.count === 1 ? ' failed item' : ' failed items')
    + (errors.log ? ' (log: ' + errors.log + ')' : '');
  const list = $('ul', details);
  const recent = JSON.stringify(errors.recent || []);
  if (list.dataset.shown === recent) return;   // unchanged: keep the list (and what the user selected in it)
  list.dataset.shown = recent;
  list.replaceChildren(...(errors.recent || []).slice().reverse().map(e => {
    const item = document.createElement('li');
    const where = document.createElement('code');
    where.textContent = (e.location || e.key || '') + ' ' + (e.stage || '');
    item.append(where, ' ' + e.code + ': ' + e.message);
    return item;
  }));
}

function update(status) {
  let job = jobs.get(status.id);
  if (!job) {
    job = {status, card: card(status.id)};
    jobs.set(status.id, job);
    const list = $('#jobs');
    list.insertBefore(job.card, list.firstChild);   // newest first
  }
  const wasEnded = ENDED.has(job.status.state);
  job.status = status;
  render(job);
  $('#jobs-empty').hidden = true;
  if (ENDED.has(status.state)) {
    if (job.source) { job.source.close(); job.source = null; }
    if (!wasEnded) loadIndexes();
  } else if (!job.source) {
    follow(job);
  }
}

/** Follows a job through its event stream until its final event (EventSource would reconnect otherwise). */
function follow(job) {
  const id = job.status.id;
  let url = '/v1/jobs/' + encodeURIComponent(id) + '/events';
  if (token()) url += '?access_token=' + encodeURIComponent(token());
  const source = new EventSource(url);
  job.source = source;
  source.onmessage = event => {
    const status = JSON.parse(event.data);
    if (status.final) { source.close(); job.source = null; }
    update(status);
  };
  source.onerror = () => {
    // the stream ended or broke: the next list (every few seconds) opens it again if the job still runs
    source.close();
    if (job.source === source) job.source = null;
  };
}

async function loadJobs() {
  try {
    const page = await api('/v1/jobs?limit=50');
    show($('#jobs-error'), '');
    setConnection('connected');
    for (const status of page.jobs.slice().reverse()) update(status);
  } catch (e) {
    show($('#jobs-error'), 'cannot list jobs: ' + e.message);
    setConnection(e.status === 401 || e.status === 403 ? 'token needed' : 'not connected');
  }
}

async function cancel(id, article) {
  const button = $('.cancel', article);
  button.disabled = true;
  try {
    update(await api('/v1/jobs/' + encodeURIComponent(id), {method: 'DELETE'}));
  } catch (e) {
    show($('.job-error', article), 'cancel failed: ' + e.message);
  } finally {
    button.disabled = false;
  }
}

async function submit(event) {
  event.preventDefault();
  const form = event.target;
  form.querySelectorAll('.invalid').forEach(e => e.classList.remove('invalid'));
  const spec = {
    sources: $('#sources').value.split('\n').map(s => s.trim()).filter(s => s),
    index: $('#index').value.trim(),
    format: $('#format').value,
    weight: Number($('#weight').value || 1),
  };
  const button = $('#submit');
  button.disabled = true;
  try {
    const reply = await api('/v1/jobs', {method: 'POST', body: JSON.stringify(spec)});
    show($('#submit-error'), '');
    update(await api('/v1/jobs/' + encodeURIComponent(reply.id)));
  } catch (e) {
    show($('#submit-error'), e.message);
    const field = (e.field || '').split(/[.\[]/)[0];
    const input = field && form.elements[field];
    if (input) input.classList.add('invalid');
  } finally {
    button.disabled = false;
  }
}

// ---- indexes and search ------------------------------------------------------------------------

const indexes = new Map();   // name -> card

async function loadIndexes() {
  try {
    const body = await api('/v1/indexes');
    show($('#indexes-error'), '');
    $('#indexes-empty').hidden = body.indexes.length > 0;
    for (const index of body.indexes) {
      let article = indexes.get(index.name);
      if (!article) {
        article = indexCard(index.name);
        indexes.set(index.name, article);
        $('#indexes').appendChild(article);
      }
      $('.counts', article).textContent = index.chunks + ' chunks, ' + index.documents + ' documents, '
        + index.embedder;
    }
  } catch (e) {
    show($('#indexes-error'), 'cannot list indexes: ' + e.message);
  }
}

function indexCard(name) {
  const article = $('#index-template').content.firstElementChild.cloneNode(true);
  article.dataset.name = name;
  $('.name', article).textContent = name;
  $('form.search', article).addEventListener('submit', event => search(event, name, article));
  return article;
}

async function search(event, name, article) {
  event.preventDefault();
  const request = {query: $('.query', article).value, k: Number($('.k', article).value || 5),
                   mode: $('.mode', article).value};
  const hits = $('.hits', article);
  try {
    const body = await api('/v1/indexes/' + encodeURIComponent(name) + '/search',
      {method: 'POST', body: JSON.stringify(request)});
    show($('.search-error', article), body.hits.length ? '' : 'no hits');
    hits.replaceChildren(...body.hits.map(hit => {
      const item = document.createElement('li');
      item.className = 'hit';
      const score = document.createElement('span');
      score.className = 'score';
      score.textContent = Number(hit.score).toFixed(3);
      const location = document.createElement('span');
      location.className = 'location';
      location.textContent = hit.location;
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = hit.text;
      item.append(score, location, text);
      return item;
    }));
  } catch (e) {
    hits.replaceChildren();
    show($('.search-error', article), e.message);
  }
}

// ---- start -------------------------------------------------------------------------------------

function setConnection(text) {
  $('#connection').textContent = text;
}

function start() {
  const input = $('#token');
  input.value = token();
  input.addEventListener('change', () => {
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    for (const job of jobs.values()) if (job.source) { job.source.close(); job.source = null; }
    loadJobs();
    loadIndexes();
  });
  $('#submit-form').addEventListener('submit', submit);
  loadJobs();
  loadIndexes();
  setInterval(loadJobs, LIST_EVERY_MS);
}

document.addEventListener('DOMContentLoaded', start);
