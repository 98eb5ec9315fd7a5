// One stream for many clients: the union of their topics, each client gets its topics only, the stream reopens from
// the last id when the union changes and closes when nobody is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamHost } from '../../../webapp/js/ssehub/stream-host.js';
import { FakeNetwork, settle } from './fake-network.js';

function host() {
  const net = new FakeNetwork();
  const inbox = new Map(); // client -> messages
  const send = (message, ids) => {
    for (const client of ids ?? [...inbox.keys()]) inbox.get(client)?.push(message);
  };
  const h = new StreamHost('http://hub.test/stream', {}, send, net.env(), 0);
  const join = (client, topics) => {
    if (!inbox.has(client)) inbox.set(client, []);
    h.setTopics(client, topics);
  };
  const events = (client) => inbox.get(client).filter((m) => m.op === 'event').map((m) => m.event.topic + ' ' + m.event.id);
  return { net, h, join, inbox, events };
}

test('oneStreamCarriesTheUnionAndEachClientGetsItsTopics', async () => {
  const { net, join, events, inbox } = host();
  join('a', ['news']);
  join('b', ['chat']);
  join('c', ['chat', 'news']);
  await net.fireTimer(); // the settle timer: three joins, one stream
  const request = await net.nextRequest();
  assert.deepEqual(request.topics, ['chat', 'news']);
  await request.stream();
  await request.send('id: 1-1\ntopic: news\ndata: x\n\nid: 1-2\ntopic: chat\ndata: y\n\n'
    + 'id: 1-3\nevent: missed\ndata: {"lastEventId":"0-1","reason":"unknown"}\n\n');
  assert.deepEqual(events('a'), ['news 1-1']);
  assert.deepEqual(events('b'), ['chat 1-2']);
  assert.deepEqual(events('c'), ['news 1-1', 'chat 1-2']);
  for (const client of ['a', 'b', 'c']) {
    assert.deepEqual(inbox.get(client).filter((m) => m.op === 'missed').map((m) => m.notice.id), ['1-3']);
    const last = inbox.get(client).filter((m) => m.op === 'state').at(-1);
    assert.equal(last.state, 'open');
    assert.equal(last.url, 'http://hub.test/stream?topic=chat&topic=news&withTopic=1');
    assert.equal(last.clients, 3);
  }
  assert.equal(net.requests.length, 1);
});

test('aChangedUnionReopensFromTheLastIdAndLeavingLastClosesIt', async () => {
  const { net, h, join } = host();
  join('a', ['news']);
  await net.fireTimer();
  const first = await (await net.nextRequest()).stream();
  await first.send('id: 1-4\ntopic: news\ndata: x\n\n');
  join('b', ['sport']);
  await net.fireTimer();
  assert.ok(first.aborted);
  const second = await net.nextRequest();
  assert.deepEqual(second.topics, ['news', 'sport']);
  assert.equal(second.headers['Last-Event-ID'], '1-4');
  await second.stream();
  join('b', ['news']); // union back to news alone
  await net.fireTimer();
  assert.deepEqual((await net.nextRequest()).topics, ['news']);
  h.remove('a');
  h.remove('b');
  await net.fireTimer();
  await settle();
  assert.equal(net.requests.length, 3);
  assert.equal(h.clientCount, 0);
});

test('anIdAloneIsEveryClientsPositionSoATabThatTakesOverResumesFromIt', async () => {
  const { net, join, inbox, events } = host();
  join('a', ['news']);
  join('b', ['chat']);
  await net.fireTimer();
  const request = await (await net.nextRequest()).stream();
  await request.send('retry: 3000\n\nid: 1-7\n\n');
  for (const client of ['a', 'b']) {
    assert.deepEqual(inbox.get(client).filter((m) => m.op === 'position').map((m) => m.id), ['1-7']);
    assert.deepEqual(events(client), []);
  }
  await request.send('id: 1-8\ntopic: news\ndata: x\n\n');
  assert.equal(inbox.get('b').filter((m) => m.op === 'position').length, 1, 'an event is no new position');
});

test('aClientThatJoinsIsToldTheStateAtOnce', async () => {
  const { net, join, inbox } = host();
  join('a', ['news']);
  await net.fireTimer();
  await (await net.nextRequest()).stream();
  join('b', ['news']);
  assert.equal(inbox.get('b')[0].op, 'state');
  assert.equal(inbox.get('b')[0].state, 'open');
});

test('reconnectReopensAStreamClosedByARefusal', async () => {
  const { net, h, join, inbox } = host();
  join('a', ['news']);
  await net.fireTimer();
  await (await net.nextRequest()).answer(503, 'the hub is shutting down');
  assert.equal(inbox.get('a').at(-1).state, 'closed');
  h.reconnect();
  await net.fireTimer();
  await (await net.nextRequest()).stream();
  assert.equal(inbox.get('a').at(-1).state, 'open');
});
