/*
 * ssehub page: one EventSource for all selected topics, a live clock, a bounded event log and a publish panel.
 * Plain ES2020, no framework, no build step; every URL is relative so any context path works.
 * Event data is only ever written with textContent: it comes from publishers we do not trust.
 */
(() => {
  'use strict';

  const TOPIC_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;   // the server's rule for topic names
  const MAX_TOPICS = 16;                             // the server refuses more per stream
  const MAX_LOG_ENTRIES = 200;
  const TICK_PATTERN = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
  const CLOCK_TOPIC = 'clock';
  const BUILT_IN_TYPES = ['message', 'chat', 'notification', 'missed'];
  const TOKEN_KEY = 'ssehub.publishToken';
  const REFUSAL_PROBE_MS = 5000;

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
    source: null,          // the current EventSource, null while disconnected
    topics: [],            // topics of the current connection
    connection: 'closed',  // connecting | open | reconnecting | closed
    reconnects: 0,
    eventTypes: new Set(BUILT_IN_TYPES),
    publishing: false,
  };

  const $ = (id) => document.getElementById(id);

  // ---- connection -------------------------------------------------------------------------------------------

  function streamUrl(topics) {
    if (topics.length === 0) return 'stream';
    return 'stream?' + topics.map((t) => 'topic=' + encodeURIComponent(t)).join('&');
  }

  function connect() {
    disconnect();
    page.topics = selectedTopics();
    showStreamUrl(streamUrl(page.topics));
    showLastId('');
    updateClockNote();
    if (page.topics.length === 0) {
      setConnection('closed', 'closed', 'No topic selected: pick one to connect.');
      return;
    }
    const source = new EventSource(streamUrl(page.topics));
    page.source = source;
    source.addEventListener('open', () => onOpen(source));
    source.addEventListener('error', (event) => onError(source, event));
    page.eventTypes.forEach((type) => source.addEventListener(type, onStreamEvent));
    setConnection('connecting');
  }

  function showStreamUrl(url) {
    $('stream-url').textContent = url;
    $('stream-url').title = url;  // the line may be cut short with an ellipsis
  }

  function disconnect() {
    if (page.source) page.source.close();
    page.source = null;
  }

  function onOpen(source) {
    if (source !== page.source) return;  // a late event from a connection we already replaced
    setConnection('open');
  }

  function onError(source, event) {
    if (source !== page.source) return;
    if (event instanceof MessageEvent) return;  // a published event named "error", logged by onStreamEvent
    if (source.readyState === EventSource.CLOSED) {
      setConnection('closed');
      explainClosed(source);
      return;
    }
    if (page.connection === 'open') page.reconnects += 1;  // only open -> reconnecting counts as a reconnect
    setConnection('reconnecting', 'reconnecting', 'Connection lost; the browser retries on its own.');
  }

  // EventSource hides why it gave up; asking the same URL once more shows the server's one-line reason.
  async function explainClosed(source) {
    const probe = await probeStream(source.url);
    if (source !== page.source) return;
    if (probe.status >= 400 && probe.status < 500) {
      setConnection('closed', 'closed — server refused', `${probe.status}: ${probe.reason}`);
    } else {
      setConnection('closed', 'closed', probe.reason);
    }
  }

  async function probeStream(url) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REFUSAL_PROBE_MS);
    try {
      const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'text/event-stream' }, signal: abort.signal });
      if (response.ok) {
        abort.abort();  // a healthy stream never ends; we only wanted the status
        return { status: response.status, reason: `The stream failed (HTTP ${response.status}, ${response.headers.get('Content-Type') || 'no content type'}).` };
      }
      return { status: response.status, reason: await readReason(response) };
    } catch (err) {
      return { status: 0, reason: 'The server could not be reached.' };
    } finally {
      clearTimeout(timer);
    }
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

  // Named events reach only listeners registered for their exact type, so each type we know gets one.
  function listenFor(type) {
    if (!type || page.eventTypes.has(type)) return;
    page.eventTypes.add(type);
    if (page.source) page.source.addEventListener(type, onStreamEvent);
  }

  // ---- incoming events --------------------------------------------------------------------------------------

  function onStreamEvent(event) {
    if (!(event instanceof MessageEvent) || event.target !== page.source) return;
    showLastId(event.lastEventId);
    if (event.type === 'missed') {
      logMissed(event);
    } else {
      logEvent(event);
      if (isClockTick(event)) showTick(event.data);
    }
    announce(event);
  }

  // Events do not say their topic, so a tick is a plain "message" shaped like a time on a connection carrying clock.
  function isClockTick(event) {
    const carriesClock = page.topics.length === 0 || page.topics.includes(CLOCK_TOPIC);
    return carriesClock && event.type === 'message' && TICK_PATTERN.test(event.data);
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
    const entry = logEntry(event.lastEventId, event.type, event.data);
    if (isClockTick(event)) entry.classList.add('tick');
    addToLog(entry);
  }

  function logMissed(event) {
    const entry = logEntry(event.lastEventId, event.type, describeMissed(event.data));
    entry.classList.add('warning');
    entry.title = event.data;  // keep the raw JSON at hand
    addToLog(entry);
  }

  function describeMissed(data) {
    try {
      const info = JSON.parse(data);
      const why = MISSED_REASONS[info.reason] || `reason: ${info.reason}`;
      return `Some events were missed: ${why} (last event id ${JSON.stringify(String(info.lastEventId))}).`;
    } catch (err) {
      return `Some events were missed: ${data}`;
    }
  }

  function logEntry(id, type, text) {
    const item = document.createElement('li');
    item.className = 'entry';
    item.dataset.id = id;
    item.dataset.type = type;
    item.append(
      part('time', 'time', formatTime(new Date())),
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
    const text = event.type === 'missed' ? 'Warning: some events were missed.' : `${event.type}: ${event.data}`;
    $('announcer').textContent = text;
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
    connect();
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
    listenFor(request.event);  // before sending, or our own echo could arrive before we listen
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
    $('event-type').addEventListener('change', () => listenFor($('event-type').value.trim()));
    $('reconnect').addEventListener('click', connect);
    $('clear-log').addEventListener('click', () => $('log').replaceChildren());
  }

  function start() {
    document.documentElement.classList.remove('no-js');
    restoreToken();
    wireControls();
    if (!('EventSource' in window)) {
      $('unsupported').hidden = false;
      setConnection('closed', 'closed', 'This browser cannot receive Server-Sent Events.');
      $('clock-note').textContent = 'No live clock in this browser.';
      return;
    }
    topicsChanged();
  }

  start();
})();
