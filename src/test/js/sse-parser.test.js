// The JavaScript parser against the spec table the Java parser is tested with (SseParserSpecTableTest), fed whole and
// byte by byte, then ssehub's own field, topic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SseParser } from '../../../webapp/js/ssehub/sse-parser.js';

const table = JSON.parse(readFileSync(new URL('../resources/dev/ssehub/wire/sse-spec-cases.json', import.meta.url)));

function parse(bytes, { byteByByte = false, seed = '' } = {}) {
  const reports = [];
  const parser = new SseParser({
    onEvent: (e) => reports.push({ event: e }),
    onRetry: (millis) => reports.push({ retry: millis }),
    onComment: (text) => reports.push({ comment: text }),
  }, seed);
  if (byteByByte) {
    for (let i = 0; i < bytes.length; i++) parser.feed(bytes.subarray(i, i + 1));
  } else {
    parser.feed(bytes);
  }
  parser.finish();
  return { reports, lastEventId: parser.lastEventId };
}

// The table's form of an event: no type is "message", no id is "" (EventSource's lastEventId), no topic is "".
function expected(report) {
  if (!report.event) return report;
  const { data, id = '', type = 'message' } = report.event;
  return { event: { id, type, data, topic: '' } };
}

const utf8 = (text) => new TextEncoder().encode(text);

for (const c of table.cases) {
  const bytes = c.wireHex ? Uint8Array.from(Buffer.from(c.wireHex, 'hex')) : utf8(c.wire);
  for (const byteByByte of [false, true]) {
    test(`${c.name} (${byteByByte ? 'byte by byte' : 'whole'})`, () => {
      const result = parse(bytes, { byteByByte, seed: c.seed });
      assert.deepEqual(result.reports, c.expect.map(expected));
      if ('lastEventId' in c) assert.equal(result.lastEventId, c.lastEventId ?? '');
    });
  }
}

test('topicFieldNamesTheEventsTopic', () => {
  const { reports } = parse(utf8('id: 1-5\ntopic: chat\nevent: note\ndata: hi\n\nid: 1-6\ndata: tick\n\n'));
  assert.deepEqual(reports, [
    { event: { id: '1-5', type: 'note', data: 'hi', topic: 'chat' } },
    { event: { id: '1-6', type: 'message', data: 'tick', topic: '' } }, // reset after each event, as the type is
  ]);
});

test('topicOfABlockWithoutDataDoesNotLeak', () => {
  const { reports } = parse(utf8('topic: a\n\ndata: x\n\n'));
  assert.deepEqual(reports, [{ event: { id: '', type: 'message', data: 'x', topic: '' } }]);
});

test('crlfSplitAcrossChunksIsOneLineEnd', () => {
  const reports = [];
  const parser = new SseParser({ onEvent: (e) => reports.push(e.data), onRetry() {}, onComment() {} });
  parser.feed(utf8('data: a\r'));
  parser.feed(utf8('\ndata: b\r'));
  assert.deepEqual(reports, []); // had the LF counted as a second line end, "a" would have dispatched alone
  parser.feed(utf8('\n\r'));
  parser.feed(utf8('\n'));
  assert.deepEqual(reports, ['a\nb']);
});
