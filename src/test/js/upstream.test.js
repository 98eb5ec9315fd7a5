// The fetch-based stream's state machine against EventSource's rules: statuses, content type, retry:, Last-Event-ID,
// backoff with jitter, and reopening when the topics change. The network and the timers are the test's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Upstream } from '../../../webapp/js/ssehub/upstream.js';
import { Backoff } from '../../../webapp/js/ssehub/backoff.js';
import { FakeNetwork, recorder, settle } from './fake-network.js';

function start(topics = ['chat'], options = {}) {
  const net = new FakeNetwork();
  const seen = recorder();
  const upstream = new Upstream(options.url || 'http://hub.test/app/stream', options, seen, net.env());
  upstream.open(topics);
  return { net, seen, upstream };
}

test('opensOneRequestForAllTopicsAskingForTheirNames', async () => {
  const { net, seen } = start(['chat', 'clock'], { headers: { Authorization: 'Bearer t' } });
  const request = await net.nextRequest();
  assert.equal(request.url.toString(), 'http://hub.test/app/stream?topic=chat&topic=clock&withTopic=1');
  assert.deepEqual(request.headers, { Accept: 'text/event-stream', Authorization: 'Bearer t' });
  assert.deepEqual(seen.states, ['connecting']);
  await request.stream();
  assert.deepEqual(seen.states, ['connecting', 'open']);
  await request.send('retry: 3000\n\nid: 7-1\ntopic: chat\ndata: hi\n\nid: 7-2\ntopic: clock\nevent: t\ndata: 12:00\n\n');
  assert.deepEqual(seen.events, [
    { topic: 'chat', type: 'message', id: '7-1', data: 'hi' },
    { topic: 'clock', type: 't', id: '7-2', data: '12:00' },
  ]);
});

test('missedNoticeIsItsOwnReportAndMovesThePosition', async () => {
  const { net, seen, upstream } = start();
  const request = await (await net.nextRequest()).stream();
  await request.send('id: 7-9\nevent: missed\ndata: {"lastEventId":"6-1","reason":"unknown"}\n\n');
  assert.deepEqual(seen.events, []);
  assert.deepEqual(seen.missed, [{ id: '7-9', lastEventId: '6-1', reason: 'unknown',
    data: '{"lastEventId":"6-1","reason":"unknown"}' }]);
  assert.equal(upstream.lastEventId, '7-9');
});

test('endOfStreamReconnectsAfterRetryWithLastEventId', async () => {
  const { net, seen } = start();
  const first = await (await net.nextRequest()).stream();
  await first.send('retry: 1500\nid: 7-3\ntopic: chat\ndata: a\n\n');
  await first.end();
  assert.deepEqual(seen.states, ['connecting', 'open', 'reconnecting: the server ended the stream']);
  assert.equal(await net.fireTimer(), 1500);
  const second = await net.nextRequest();
  assert.equal(second.headers['Last-Event-ID'], '7-3');
  await second.stream();
  assert.equal(seen.states.at(-1), 'open');
});

test('aDroppedConnectionReconnectsAfterTheDefaultThreeSeconds', async () => {
  const { net, seen } = start();
  await (await (await net.nextRequest()).stream()).drop();
  assert.equal(seen.states.at(-1), 'reconnecting: the connection was lost');
  assert.equal(await net.fireTimer(), 3000);
  assert.ok(await net.nextRequest());
});

test('idOfABlockWithoutDataIsAPositionSentOnReconnect', async () => {
  const { net, seen } = start();
  const first = await (await net.nextRequest()).stream();
  await first.send('id: 7-4\n\n');
  assert.deepEqual(seen.positions, ['7-4']);
  assert.deepEqual(seen.events, []);
  assert.equal(seen.states.at(-1), 'open');
  await first.send('id: 7-5\ndata: x\n\n');
  assert.deepEqual(seen.positions, ['7-4'], 'an event is not a position of its own');
  await first.send('id: 7-6\n\n');
  await first.end();
  await net.fireTimer();
  assert.equal((await net.nextRequest()).headers['Last-Event-ID'], '7-6');
});

test('failedAttemptsBackOffWithJitterThenStartOverOnceOpen', async () => {
  const { net, seen } = start();
  const delays = [];
  await (await net.nextRequest()).failToConnect();
  for (let i = 0; i < 6; i++) {
    delays.push(await net.fireTimer());
    await (await net.nextRequest()).failToConnect();
  }
  // 3 s, then half the doubled ceiling to the ceiling (random 0.5: three quarters), capped at 30 s
  assert.deepEqual(delays, [3000, 4500, 9000, 18000, 22500, 22500]);
  assert.equal(seen.states.at(-1), 'reconnecting: the server could not be reached');
  await net.fireTimer();
  const opened = await (await net.nextRequest()).stream();
  await opened.end();
  assert.equal(await net.fireTimer(), 3000);
});

test('backoffNeverWaitsLessThanRetry', () => {
  const backoff = new Backoff();
  backoff.reconnectMillis = 40000;
  assert.deepEqual([0, 1, 2].map(() => backoff.nextDelay(() => 0)), [40000, 40000, 40000]);
  const tiny = new Backoff();
  tiny.reconnectMillis = 0;
  assert.deepEqual([0, 1, 2].map(() => tiny.nextDelay(() => 0)), [0, 250, 500]);
});

for (const [status, body] of [[400, "invalid topic name 'a/b': 1 to 64 characters\nmore"], [401, 'no'], [500, ''], [503, 'later']]) {
  test(`status${status}ClosesForGoodWithTheReason`, async () => {
    const { net, seen } = start();
    await (await net.nextRequest()).answer(status, body);
    const line = body.split('\n')[0] || 'no reason given';
    assert.deepEqual(seen.states, ['connecting', `closed: HTTP ${status}: ${line}`]);
    assert.equal(net.pendingTimers().length, 0);
    assert.equal(net.requests.length, 1);
  });
}

test('status204ClosesWithoutRetrying', async () => {
  const { net, seen } = start();
  await (await net.nextRequest()).answer(204);
  assert.deepEqual(seen.states, ['connecting', 'closed: the server has no stream for this client (204 No Content)']);
  assert.equal(net.pendingTimers().length, 0);
});

test('otherContentTypeClosesForGood', async () => {
  const { net, seen } = start();
  await (await net.nextRequest()).stream({ 'Content-Type': 'text/html' });
  assert.deepEqual(seen.states, ['connecting', 'closed: not an event stream: Content-Type text/html']);
  assert.equal(net.pendingTimers().length, 0);
});

test('newTopicsReopenFromTheLastIdAndTheOldStreamIsIgnored', async () => {
  const { net, seen, upstream } = start(['chat']);
  const first = await (await net.nextRequest()).stream();
  await first.send('id: 7-5\ntopic: chat\ndata: a\n\n');
  upstream.open(['chat', 'news']);
  await settle();
  assert.ok(first.aborted);
  const second = await net.nextRequest();
  assert.deepEqual(second.topics, ['chat', 'news']);
  assert.equal(second.headers['Last-Event-ID'], '7-5');
  await second.stream();
  await second.send('id: 7-6\ntopic: news\ndata: b\n\n');
  assert.deepEqual(seen.events.map((e) => e.id), ['7-5', '7-6']);
  assert.deepEqual(seen.states, ['connecting', 'open', 'connecting', 'open']);
});

test('theSameTopicsDoNotReopen', async () => {
  const { net, upstream } = start(['chat', 'news']);
  await (await net.nextRequest()).stream();
  upstream.open(['chat', 'news']);
  await settle();
  assert.equal(net.requests.length, 1);
});

test('noTopicsNoStream', async () => {
  const { net, seen, upstream } = start(['chat']);
  const first = await (await net.nextRequest()).stream();
  upstream.open([]);
  await settle();
  assert.ok(first.aborted);
  assert.equal(net.requests.length, 1);
  assert.equal(seen.states.at(-1), 'closed: no topic is subscribed');
});

test('closeStopsEverything', async () => {
  const { net, seen, upstream } = start();
  const first = await (await net.nextRequest()).stream();
  await first.end();
  upstream.close();
  assert.equal(net.pendingTimers().length, 0);
  const states = seen.states.length;
  await settle();
  assert.equal(seen.states.length, states);
});

test('crossOriginSendsTheIdAsAParameterNotAHeader', async () => {
  const { net } = start(['chat'], { url: 'http://other.test/stream' });
  const first = await (await net.nextRequest()).stream();
  await first.send('id: 7-8\ntopic: chat\ndata: a\n\n');
  await first.end();
  await net.fireTimer();
  const second = await net.nextRequest();
  assert.equal(second.url.searchParams.get('lastEventId'), '7-8');
  assert.equal(second.headers['Last-Event-ID'], undefined);
});
