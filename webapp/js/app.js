/*
 * ssehub page: the selected topics through ssehub.js (one stream shared by every tab of this site), a live clock, a
 * bounded event log and a publish panel. A plain ES module, no framework, no build step; every URL is relative so
 * any context path works. Event data is only ever written with textContent: it comes from publishers we do not trust.
 */
import { SseHub } from './ssehub.js';

const TOPIC_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;   // the server's rule for topic names
const MAX_TOPICS = 16;                             // the server refuses more per stream
const MAX_LOG_ENTRIES = 200;
const TICK_PATTERN = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const CLOCK_TOPIC = 'clock';
const TOKEN_KEY = 'ssehub.publishToken';

const MISSED_REASONS = {
  'too-old': 'the server no longer holds events that old',
  'unknown': 'the server does not know that id',
  'malformed': 'the server could not read that id',
};

const PUBLISH_ERRORS = {
  400: 'Refused',
  401: 'Not authorized',
  403: 'Not allowed',  // publishing off, or a signed token without a publish grant for this topic
  413: 'Too large',
  415: 'Unsupported content type',
};

// The one mutable state of the page; only the functions below change it.
const page = {
  hub: null,             // the shared stream (ssehub.js)
  subscription: null,    // this tab's subscription to its topics, null when none is selected
  topics: [],            // topics of the subscription
  connection: 'closed',  // connecting | open | reconnecting | closed
  reconnects: 0,
  publishing: false,
};

const $ = (id) => document.getElementById(id);

// ---- connection -------------------------------------------------------------------------------------------

const MODE_LABELS = { worker: 'a shared worker', leader: 'a leader tab', direct: 'this tab alone' };

function subscribe() {
  if (page.subscription) page.subscription.close();
  page.subscription = null;
  page.topics = selectedTopics();
  showLastId('');
  updateClockNote();
  if (page.topics.length === 0) {
    setConnection('closed', 'closed', 'No topic selected: pick one to connect.');
    return;
  }
  page.subscription = page.hub.subscribe(page.topics, onStreamEvent);
  onHubState(page.hub.state);
}

// The state is the shared stream's, reported to every tab that uses it.
function onHubState(hub) {
  showSharing(hub);
  if (page.topics.length === 0) return;
  if (hub.state === 'reconnecting') {
    if (page.connection === 'open') page.reconnects += 1;  // only open -> reconnecting counts as a reconnect
    setConnection('reconnecting', 'reconnecting', `Connection lost (${hub.reason}); retrying, resuming from the last event.`);
  } else if (hub.state === 'closed') {
    const refused = hub.status >= 400 && hub.status < 500;
    setConnection('closed', refused ? 'closed — server refused' : 'closed', hub.reason);
  } else {
    setConnection(hub.state);
  }
}

function showSharing(hub) {
  const url = relative(hub.url) || 'no stream';
  $('stream-url').textContent = url;
  $('stream-url').title = url;  // the line may be cut short with an ellipsis
  const tabs = hub.tabs === 1 ? '1 tab' : `${hub.tabs} tabs`;
  $('sharing').textContent = `${tabs}, through ${MODE_LABELS[hub.mode]}`;
  $('sharing').dataset.mode = hub.mode;
  $('sharing').dataset.role = hub.role;
}

function relative(url) {
  const base = new URL('.', document.baseURI).href;
  return url.startsWith(base) ? url.slice(base.length) : url;
}

function setConnection(state, label = state, reason = '') {
  page.connection = state;
  const el = $('state');
  el.dataset.state = state;
  el.textContent = label;
  document.body.dataset.connection = state;
  $('state-reason').textContent = reason;
  $('reconnects').textContent = String(page.reconnects);
  $('reconnect').hidden = state !== 'closed' || page.topics.length === 0;
  updateClockNote();
}

// ---- incoming events --------------------------------------------------------------------------------------

function onStreamEvent(event) {
  showLastId(event.id);
  logEvent(event);
  if (isClockTick(event)) showTick(event.data);
  announce(event);
}

function onMissed(notice) {
  if (page.topics.length === 0) return;
  showLastId(notice.id);
  logMissed(notice);
  $('announcer').textContent = 'Warning: some events were missed.';
}

function isClockTick(event) {
  return event.topic === CLOCK_TOPIC && event.type === 'message' && TICK_PATTERN.test(event.data);
}

function showTick(time) {
  const [date, clock] = time.split(' ');
  $('clock').querySelector('.clock-date').textContent = date;
  $('clock').querySelector('.clock-time').textContent = clock;
  $('clock').dateTime = date + 'T' + clock;
  $('clock-card').classList.remove('is-waiting');
}

function showLastId(id) {
  $('last-id').textContent = id || '—';
}

function updateClockNote() {
  const subscribed = page.topics.includes(CLOCK_TOPIC);
  const card = $('clock-card');
  card.classList.toggle('is-stale', !subscribed || page.connection !== 'open');
  if (!subscribed) {
    $('clock-note').textContent = 'Select the clock topic to see the server’s time.';
  } else if (page.connection === 'open') {
    $('clock-note').textContent = 'One tick a second from the server.';
  } else {
    $('clock-note').textContent = 'Not receiving ticks right now.';
  }
}

function logEvent(event) {
  const tick = isClockTick(event);
  if (tick && !$('log-ticks').checked) return;  // the clock card shows them; the log keeps its 200 places for the rest
  const entry = logEntry(event.id, event.type, event.data, event.topic);
  if (tick) entry.classList.add('tick');
  addToLog(entry);
}

function logMissed(notice) {
  const entry = logEntry(notice.id, 'missed', describeMissed(notice), '');
  entry.classList.add('warning');
  entry.title = notice.data;  // keep the raw JSON at hand
  addToLog(entry);
}

function describeMissed(notice) {
  const why = MISSED_REASONS[notice.reason] || `reason: ${notice.reason}`;
  return `Some events were missed: ${why} (last event id ${JSON.stringify(notice.lastEventId)}).`;
}

function logEntry(id, type, text, topic) {
  const item = document.createElement('li');
  item.className = 'entry';
  item.dataset.id = id;
  item.dataset.type = type;
  item.dataset.topic = topic;
  item.append(
    part('time', 'time', formatTime(new Date())),
    part('span', 'topic', topic || ''),
    part('span', 'type', type),
    part('span', 'data', text),
    part('span', 'id', id || '—'),
  );
  return item;
}

function part(tag, className, text) {
  const el = document.createElement(tag);
  el.className = className;
  el.textContent = text;
  return el;
}

function addToLog(entry) {
  const log = $('log');
  log.prepend(entry);
  while (log.children.length > MAX_LOG_ENTRIES) log.lastElementChild.remove();
}

function formatTime(date) {
  const two = (n) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

// Speak what a person would want to hear; a tick every second would drown everything else.
function announce(event) {
  if (isClockTick(event)) return;
  $('announcer').textContent = `${event.type}: ${event.data}`;
}

// ---- topics -----------------------------------------------------------------------------------------------

function topicBoxes() {
  return Array.from($('topics').querySelectorAll('input[name="topic"]'));
}

function selectedTopics() {
  return topicBoxes().filter((box) => box.checked).map((box) => box.value);
}

function topicProblem(name) {
  if (name === '') return 'Type a topic name first.';
  if (name.length > 64) return 'A topic name has at most 64 characters.';
  if (!TOPIC_PATTERN.test(name)) return `“${name}” is not a topic name: use letters, digits, “_”, “.” and “-” only.`;
  return '';
}

function onTopicsChange(event) {
  const box = event.target;
  if (box.checked && selectedTopics().length > MAX_TOPICS) {
    box.checked = false;  // the server would refuse the whole stream
    showTopicError(`At most ${MAX_TOPICS} topics fit on one connection.`);
    return;
  }
  showTopicError('');
  topicsChanged();
}

function onAddTopic(event) {
  event.preventDefault();
  const input = $('new-topic');
  const name = input.value.trim();
  const problem = topicProblem(name) || (!isSelected(name) && selectedTopics().length >= MAX_TOPICS
    ? `At most ${MAX_TOPICS} topics fit on one connection.` : '');
  showTopicError(problem);
  input.setAttribute('aria-invalid', String(Boolean(problem)));
  if (problem) return;
  selectTopic(name);
  input.value = '';
  topicsChanged();
}

function isSelected(name) {
  return selectedTopics().includes(name);
}

function selectTopic(name) {
  const existing = topicBoxes().find((box) => box.value === name);
  if (existing) {
    existing.checked = true;
    return;
  }
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.name = 'topic';
  box.value = name;
  box.checked = true;
  const chip = document.createElement('label');
  chip.className = 'chip';
  chip.append(box, ' ' + name);
  $('topics').append(chip);
}

function showTopicError(text) {
  $('topic-error').textContent = text;
}

function topicsChanged() {
  subscribe();
  offerTopicsForPublishing();
}

// The publish panel suggests the topics we listen to, so a message sent there shows up in our own log.
function offerTopicsForPublishing() {
  const options = $('topic-options');
  options.replaceChildren(...page.topics.filter((t) => t !== CLOCK_TOPIC).map((t) => new Option('', t)));
}

// ---- publishing -------------------------------------------------------------------------------------------

function publishProblem(request) {
  if (!TOPIC_PATTERN.test(request.topic)) return topicProblem(request.topic);
  if (request.data === '') return 'Type a message first.';
  return '';
}

async function onPublish(event) {
  event.preventDefault();
  if (page.publishing) return;
  const request = publishRequest();
  const problem = publishProblem(request);
  if (problem) {
    showPublishResult(problem, true);
    return;
  }
  if (!isSelected(request.topic) && selectedTopics().length < MAX_TOPICS) {
    selectTopic(request.topic);  // what the page publishes shows up in its own log
    topicsChanged();
  }
  setPublishing(true);
  try {
    const result = await sendPublish(request, $('token').value.trim());
    showPublishResult(result.text, !result.ok);
    if (result.ok) $('message').value = '';
  } finally {
    setPublishing(false);
  }
}

function publishRequest() {
  const request = { topic: $('topic').value.trim(), data: $('message').value };
  const type = $('event-type').value.trim();
  if (type) request.event = type;
  return request;
}

async function sendPublish(request, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  let response;
  try {
    response = await fetch('publish', { method: 'POST', headers, body: JSON.stringify(request), cache: 'no-store' });
  } catch (err) {
    return { ok: false, text: 'The server could not be reached.' };
  }
  if (!response.ok) {
    const label = PUBLISH_ERRORS[response.status] || `HTTP ${response.status}`;
    return { ok: false, text: `${label} (${response.status}): ${await readReason(response)}` };
  }
  try {
    const answer = await response.json();
    return { ok: true, text: `Sent to ${answer.topic} as id ${answer.id}` };
  } catch (err) {
    return { ok: true, text: 'Sent (the server’s answer had no id).' };
  }
}

// Error bodies are one line of text/plain; fall back to the status text if there is none.
async function readReason(response) {
  const text = (await response.text().catch(() => '')).trim().split(/\r?\n/)[0];
  return text || response.statusText || 'no reason given';
}

function setPublishing(busy) {
  page.publishing = busy;
  $('send').disabled = busy;
  $('publish-form').setAttribute('aria-busy', String(busy));
}

function showPublishResult(text, isError) {
  const result = $('publish-result');
  result.textContent = text;
  result.classList.toggle('error', isError);
  result.classList.toggle('ok', !isError);
}

// Enter sends like a chat box; Shift+Enter (or an IME composing text) keeps the newline.
function onMessageKeydown(event) {
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  $('publish-form').requestSubmit();
}

// ---- token memory (sessionStorage may be unavailable, e.g. in some private modes) ---------------------------

function restoreToken() {
  try {
    $('token').value = sessionStorage.getItem(TOKEN_KEY) || '';
  } catch (err) { /* nothing remembered, nothing lost */ }
}

function rememberToken() {
  try {
    sessionStorage.setItem(TOKEN_KEY, $('token').value);
  } catch (err) { /* the token just won't survive a reload */ }
}

// ---- start ------------------------------------------------------------------------------------------------

function wireControls() {
  $('topics').addEventListener('change', onTopicsChange);
  $('topic-form').addEventListener('submit', onAddTopic);
  $('publish-form').addEventListener('submit', onPublish);
  $('message').addEventListener('keydown', onMessageKeydown);
  $('token').addEventListener('input', rememberToken);
  $('reconnect').addEventListener('click', () => page.hub.reconnect());
  $('clear-log').addEventListener('click', () => $('log').replaceChildren());
  $('log-ticks').addEventListener('change', () => {
    $('log').classList.toggle('hide-ticks', !$('log-ticks').checked);
  });
}

function start() {
  document.documentElement.classList.remove('no-js');
  restoreToken();
  wireControls();
  if (typeof ReadableStream !== 'function') {
    $('unsupported').hidden = false;
    setConnection('closed', 'closed', 'This browser cannot read a stream of events.');
    $('clock-note').textContent = 'No live clock in this browser.';
    return;
  }
  page.hub = SseHub.connect('stream');
  page.hub.onState(onHubState);
  page.hub.onMissed(onMissed);
  selectTopicsOfAddress();
  topicsChanged();
}

// index.html?topic=chat&topic=news opens with those topics selected instead of the clock.
function selectTopicsOfAddress() {
  const wanted = new URLSearchParams(location.search).getAll('topic').filter((t) => TOPIC_PATTERN.test(t));
  if (wanted.length === 0) return;
  topicBoxes().forEach((box) => { box.checked = false; });
  wanted.slice(0, MAX_TOPICS).forEach(selectTopic);
}

start();
