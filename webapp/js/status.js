/*
 * ssehub status page: asks status/data every two seconds and shows it; the charts are drawn on canvases here.
 * Plain ES2020, no framework, no build step; every URL is relative so any context path works.
 * Topic names are only ever written with textContent.
 */
(() => {
  'use strict';

  const DATA_URL = 'status/data';
  const POLL_MS = 2000;
  const TIMEOUT_MS = 5000;
  const TOKEN_KEY = 'ssehub.metricsToken';
  const CHART_SECONDS = 300;       // the longest the charts look back
  const CHART_MIN_SECONDS = 60;    // while there is less history, the charts show this much

  const CLOSE_REASONS = {
    client_gone: 'client went away',
    too_slow: 'too slow (queue overflowed)',
    replay_paged: 'paged a long replay',
    rotated: 'rotated (maxStreamAge)',
    expired_auth: 'token expired',
    overload: 'turned away (full)',
    shutdown: 'webapp stopped',
  };
  const REPLAY_RESULTS = {
    exact: 'resumed exactly',
    paged: 'resumed in pages',
    too_old: 'too old (missed)',
    unknown: 'unknown id (missed)',
    malformed: 'malformed id (missed)',
  };
  const REFUSAL_STATUSES = {
    400: 'bad request',
    401: 'wrong or no token',
    403: 'publishing is off',
    405: 'not a POST',
    408: 'body too slow',
    413: 'too large',
    415: 'unsupported content type',
    500: 'server error',
    503: 'event log unreachable',
  };

  const $ = (id) => document.getElementById(id);
  const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
  const axis = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

  const page = {
    token: sessionStorage.getItem(TOKEN_KEY) || '',
    timer: 0,
    last: null,  // the last answer, drawn again when the window is resized
  };

  // ---- polling ----------------------------------------------------------------------------------------------

  async function poll() {
    clearTimeout(page.timer);
    const sentToken = page.token;
    let response;
    try {
      const headers = sentToken ? { Authorization: 'Bearer ' + sentToken } : {};
      response = await fetch(DATA_URL, { headers, cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      setState('unreachable', 'server unreachable, retrying');
      page.timer = setTimeout(poll, POLL_MS);
      return;
    }
    if (response.status === 200) {
      show(await response.json());
      page.timer = setTimeout(poll, POLL_MS);
    } else if (response.status === 401) {
      if (sentToken) forgetToken();
      askForToken(sentToken ? 'That token was refused.' : '');
    } else if (response.status === 404) {
      showOff((await response.text()).trim());
    } else {
      setState('unreachable', 'answered ' + response.status + ', retrying');
      page.timer = setTimeout(poll, POLL_MS);
    }
  }

  function setState(state, label) {
    const line = document.querySelector('.freshness .state-line');
    line.dataset.connection = state === 'live' ? 'open' : state === 'unreachable' ? 'reconnecting' : 'closed';
    $('state').dataset.state = state;
    $('state').textContent = label;
    document.body.classList.toggle('is-stale', state === 'unreachable');
  }

  // ---- token ------------------------------------------------------------------------------------------------

  function askForToken(error) {
    setState('locked', 'needs the metrics token');
    $('dashboard').hidden = true;
    $('token-form').hidden = false;
    $('token-error').textContent = error;
    $('token').setAttribute('aria-invalid', error ? 'true' : 'false');
    $('token').focus();
  }

  function onTokenSubmit(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    if (!token) {
      $('token-error').textContent = 'Enter the value of ssehub.metricsToken.';
      return;
    }
    page.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    $('token-error').textContent = '';
    setState('connecting', 'connecting');
    poll();
  }

  function forgetToken() {
    page.token = '';
    sessionStorage.removeItem(TOKEN_KEY);
    $('forget-token').hidden = true;
  }

  function showOff(reason) {
    setState('off', 'off');
    $('dashboard').hidden = true;
    $('off').hidden = false;
    $('off').textContent = 'The server does not serve its status: ' + (reason || '404') + '.';
  }

  // ---- the numbers ------------------------------------------------------------------------------------------

  function show(status) {
    page.last = status;
    $('token-form').hidden = true;
    $('off').hidden = true;
    $('dashboard').hidden = false;
    $('forget-token').hidden = !page.token;
    setState('live', 'live');
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');

    $('build').hidden = false;
    $('version').textContent = status.version;
    $('uptime').textContent = duration(status.uptimeSeconds);

    const streams = status.streams;
    setNumber('streams-open', streams.open);
    setNumber('streams-max', streams.max);
    setNumber('streams-opened', streams.opened);
    $('streams-meter').style.width = Math.min(100, (100 * streams.open) / Math.max(1, streams.max)) + '%';

    const events = status.events;
    setNumber('events-published', events.published);
    setNumber('events-fanned-out', events.fannedOut);
    setNumber('deliveries', events.deliveries);
    $('delivered-bytes').textContent = bytes(events.deliveredBytes);

    $('retained-bytes').textContent = bytes(status.bytes.replayRetained);
    $('queued-bytes').textContent = bytes(status.bytes.queued);
    setNumber('topics-retained', status.topics.retained);
    setNumber('topics-subscribed', status.topics.subscribed);

    const log = status.eventLog;
    $('event-log').dataset.up = String(log.up);
    $('event-log-kind').textContent = log.kind === 'redis' ? 'Several nodes on Redis' : 'Single node';
    $('event-log-up').textContent = log.up ? 'up' : 'DOWN: publishing fails';
    $('event-log-epoch').textContent = String(log.epoch);
    $('event-log-epoch').title = 'ids since ' + new Date(log.epoch).toISOString();

    const rates = status.rates;
    const publishedNow = latest(rates.published);
    const deliveriesNow = latest(rates.deliveries);
    $('published-rate').textContent = rate(publishedNow);
    $('deliveries-rate').textContent = rate(deliveriesNow);
    $('published-now').textContent = rate(publishedNow);
    $('deliveries-now').textContent = rate(deliveriesNow);
    drawCharts();

    showBars($('busiest'), status.topics.busiest.map((t) => ({ key: t.topic, label: t.topic, value: t.subscribers })),
      true);
    showBars($('closed'), labelled(streams.closed, CLOSE_REASONS));
    showBars($('replays'), labelled(status.replays, REPLAY_RESULTS));
    const refusals = Object.entries(status.publishRefusals).map(([code, value]) => ({
      key: code, label: code + ' ' + (REFUSAL_STATUSES[code] || ''), value,
    }));
    showBars($('refusals'), refusals);
    $('refusals-empty').hidden = refusals.length > 0;
  }

  function setNumber(id, value) {
    $(id).textContent = integer.format(value);
  }

  function labelled(counts, names) {
    return Object.keys(names).map((key) => ({ key, label: names[key], value: counts[key] || 0 }));
  }

  // One row a count, with a bar as long as its share of the largest; rows are reused so nothing flickers.
  function showBars(list, rows, isTopic = false) {
    const max = Math.max(1, ...rows.map((row) => row.value));
    while (list.children.length > rows.length) list.lastElementChild.remove();
    rows.forEach((row, i) => {
      let item = list.children[i];
      if (!item) {
        item = document.createElement('li');
        item.innerHTML = '<span class="name"></span><span class="count"></span>'
          + '<span class="bar" aria-hidden="true"><span></span></span>';
        list.append(item);
      }
      item.dataset.key = row.key;
      item.classList.toggle('is-zero', row.value === 0);
      item.querySelector('.name').textContent = row.label;
      item.querySelector('.name').classList.toggle('mono', isTopic);
      item.querySelector('.count').textContent = integer.format(row.value);
      item.querySelector('.bar span').style.width = (100 * row.value) / max + '%';
    });
  }

  // ---- formatting -------------------------------------------------------------------------------------------

  function latest(points) {
    return points.length ? points[points.length - 1] : null;
  }

  function rate(perSecond) {
    if (perSecond === null) return '— /s';
    return (perSecond >= 100 ? integer : decimal).format(perSecond) + ' /s';
  }

  function bytes(count) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = count;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit === 0 ? integer : decimal).format(value) + ' ' + units[unit];
  }

  function duration(seconds) {
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (d > 0) return d + ' d ' + h + ' h';
    if (h > 0) return h + ' h ' + String(m).padStart(2, '0') + ' min';
    if (m > 0) return m + ' min ' + String(s).padStart(2, '0') + ' s';
    return s + ' s';
  }

  // ---- charts -----------------------------------------------------------------------------------------------

  function drawCharts() {
    if (!page.last) return;
    const { rates } = page.last;
    // A server that just started has a minute of history, not five: the charts grow with it, a minute at a time.
    const history = rates.published.length * rates.intervalSeconds;
    const span = Math.min(CHART_SECONDS, Math.max(CHART_MIN_SECONDS, Math.ceil(history / 60) * 60));
    $('chart-span').textContent = span === 60 ? 'minute' : span / 60 + ' minutes';
    drawChart($('published-chart'), rates.published, rates.intervalSeconds, span, 'published');
    drawChart($('deliveries-chart'), rates.deliveries, rates.intervalSeconds, span, 'deliveries');
  }

  // The newest point at the right edge, `span` seconds across; the scale rounds the peak up to 1, 2 or 5.
  function drawChart(canvas, points, intervalSeconds, span, series) {
    const box = canvas.getBoundingClientRect();
    if (box.width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    const style = getComputedStyle(canvas);
    const color = style.getPropertyValue('--' + series).trim();
    const muted = style.getPropertyValue('--muted').trim();
    const grid = style.getPropertyValue('--border').trim();

    const left = 8;
    const right = box.width - 52;
    const top = 8;
    const bottom = box.height - 20;
    const shown = points.slice(-Math.ceil(span / intervalSeconds) - 1);
    const scale = niceCeiling(Math.max(...shown, 0));
    const x = (secondsAgo) => right - ((right - left) * secondsAgo) / span;
    const y = (value) => bottom - ((bottom - top) * value) / scale;

    g.font = '11px ' + style.fontFamily;
    g.lineWidth = 1;
    g.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const value = (scale * i) / 4;
      g.strokeStyle = grid;
      g.beginPath();
      g.moveTo(left, Math.round(y(value)) + 0.5);
      g.lineTo(right, Math.round(y(value)) + 0.5);
      g.stroke();
      g.fillStyle = muted;
      g.fillText(axis.format(value), right + 6, y(value));
    }
    g.textBaseline = 'alphabetic';
    // A label every minute (every 15 s on a one-minute chart), none at the left edge, where it would be cut.
    const step = span === 60 ? 15 : 60;
    for (let ago = span - step; ago >= 0; ago -= step) {
      const label = ago === 0 ? 'now' : '−' + (step === 60 ? ago / 60 + ' min' : ago + ' s');
      const width = g.measureText(label).width;
      g.fillText(label, Math.min(x(ago) - width / 2, right - width), box.height - 4);
    }

    if (shown.length === 0) return;
    const coordinates = shown.map((value, i) => [x((shown.length - 1 - i) * intervalSeconds), y(value)]);
    g.beginPath();
    coordinates.forEach(([px, py], i) => (i === 0 ? g.moveTo(px, py) : g.lineTo(px, py)));
    g.lineTo(coordinates[coordinates.length - 1][0], bottom);
    g.lineTo(coordinates[0][0], bottom);
    g.closePath();
    const fill = g.createLinearGradient(0, top, 0, bottom);
    fill.addColorStop(0, withAlpha(color, 0.35));
    fill.addColorStop(1, withAlpha(color, 0.03));
    g.fillStyle = fill;
    g.fill();

    g.beginPath();
    coordinates.forEach(([px, py], i) => (i === 0 ? g.moveTo(px, py) : g.lineTo(px, py)));
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.lineJoin = 'round';
    g.stroke();
    const [lastX, lastY] = coordinates[coordinates.length - 1];
    g.fillStyle = color;
    g.beginPath();
    g.arc(lastX, lastY, 3.5, 0, 2 * Math.PI);
    g.fill();
  }

  function niceCeiling(value) {
    if (value <= 0) return 1;
    const magnitude = 10 ** Math.floor(Math.log10(value));
    const step = [1, 2, 5, 10].find((s) => s * magnitude >= value);
    return step * magnitude;
  }

  // '#2457d6' and 0.3 become 'rgba(36, 87, 214, 0.3)'.
  function withAlpha(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ', ' + ((n >> 8) & 255) + ', ' + (n & 255) + ', ' + alpha + ')';
  }

  // ---- start ------------------------------------------------------------------------------------------------

  $('token-form').addEventListener('submit', onTokenSubmit);
  $('forget-token').addEventListener('click', () => {
    forgetToken();
    clearTimeout(page.timer);
    askForToken('');
  });
  new ResizeObserver(drawCharts).observe($('dashboard'));
  poll();
})();
