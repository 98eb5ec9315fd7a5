/**
 * The event stream format alone, incremental: bytes in, reports out, no I/O. It follows the WHATWG HTML sections
 * "Parsing an event stream" and "Interpreting an event stream", as the server's Java parser does, plus one field
 * of ssehub's: `topic: <name>` (sent with `?withTopic=1`) names the event's topic; EventSource ignores it.
 *
 * The listener has three methods: onEvent({id, type, data, topic}) — type is "message" for unnamed events, id and
 * topic are "" when absent —, onRetry(millis) and onComment(text).
 */
export class SseParser {
  #listener;
  #decoder = new TextDecoder('utf-8'); // replaces invalid bytes with U+FFFD and drops one leading BOM, as the spec says
  #line = '';            // text of the line being read, without its end
  #afterCr = false;      // the last character was CR: a following LF belongs to the same line end
  #lastEventId;          // the event source's last event id: changes only when a block ends
  #idBuffer;             // the id of the block being read
  #type = '';
  #topic = '';
  #data = [];

  constructor(listener, lastEventId = '') {
    this.#listener = listener;
    this.#lastEventId = lastEventId || '';
    this.#idBuffer = this.#lastEventId;
  }

  /** The id of the last block that ended; "" when there is none. */
  get lastEventId() {
    return this.#lastEventId;
  }

  /** Feeds the next bytes (a Uint8Array); they may end anywhere, even inside a character. */
  feed(bytes) {
    this.#scan(this.#decoder.decode(bytes, { stream: true }));
  }

  /** The stream ended: a block that was not closed by a blank line is discarded, as the spec says. */
  finish() {
    this.#scan(this.#decoder.decode());
    this.#line = '';
    this.#afterCr = false;
    this.#idBuffer = this.#lastEventId;
    this.#type = '';
    this.#topic = '';
    this.#data = [];
  }

  #scan(text) {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      if (c === 0x0a && this.#afterCr && i === start && this.#line === '') {
        // the LF of a CRLF whose CR ended the previous piece of text
        start = i + 1;
        this.#afterCr = false;
        continue;
      }
      this.#line += text.slice(start, i);
      this.#processLine(this.#line);
      this.#line = '';
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      this.#afterCr = c === 0x0d && i === text.length - 1;
      start = i + 1;
    }
    if (start < text.length) {
      this.#line += text.slice(start);
      this.#afterCr = false;
    }
  }

  #processLine(line) {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.charCodeAt(0) === 0x3a) {
      this.#listener.onComment(stripOneSpace(line.slice(1)));
      return;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : stripOneSpace(line.slice(colon + 1));
    switch (name) {
      case 'event': this.#type = value; break;
      case 'data': this.#data.push(value); break;
      case 'id': if (!value.includes('\0')) this.#idBuffer = value; break;
      case 'retry': if (/^[0-9]+$/.test(value)) this.#retry(value); break;
      case 'topic': this.#topic = value; break;
      default: break; // unknown fields are ignored
    }
  }

  #retry(digits) {
    const millis = Number(digits);
    if (Number.isSafeInteger(millis)) this.#listener.onRetry(millis); // beyond 2^53 no delay makes sense
  }

  #dispatch() {
    this.#lastEventId = this.#idBuffer;
    const data = this.#data;
    const type = this.#type;
    const topic = this.#topic;
    this.#data = [];
    this.#type = '';
    this.#topic = '';
    if (data.length === 0) return;
    this.#listener.onEvent({ id: this.#lastEventId, type: type || 'message', data: data.join('\n'), topic });
  }
}

function stripOneSpace(value) {
  return value.charCodeAt(0) === 0x20 ? value.slice(1) : value;
}
