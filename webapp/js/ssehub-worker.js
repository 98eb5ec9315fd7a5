/**
 * The SharedWorker of ssehub.js: every tab of the origin talks to this one worker, which holds one stream per stream
 * URL (and headers) for all of them and passes each tab the events of its topics. Loaded by ssehub.js as a module
 * worker; not meant to be used on its own.
 */
import { StreamHost } from './ssehub/stream-host.js';
import { watchLife } from './ssehub/liveness.js';

const hosts = new Map();   // stream key -> StreamHost
const clients = new Map(); // client id -> { port, key, stopWatching }

self.addEventListener('connect', (event) => {
  const port = event.ports[0];
  port.addEventListener('message', (message) => onMessage(port, message.data));
  port.start();
});

function onMessage(port, message) {
  switch (message.op) {
    case 'hello': return hello(port, message);
    case 'topics': return clients.has(message.client) && hostOf(message.client).setTopics(message.client, message.topics);
    case 'reconnect': return clients.has(message.client) && hostOf(message.client).reconnect();
    case 'bye': return goodbye(message.client);
    default: return undefined;
  }
}

function hello(port, { client, url, options }) {
  const key = JSON.stringify([url, options]);
  if (!hosts.has(key)) hosts.set(key, new StreamHost(url, options, (out, ids) => deliver(key, out, ids), self));
  clients.set(client, { port, key, stopWatching: watchLife(client, () => goodbye(client)) });
}

function hostOf(client) {
  return hosts.get(clients.get(client).key);
}

function goodbye(client) {
  const known = clients.get(client);
  if (!known) return;
  clients.delete(client);
  known.stopWatching();
  const host = hosts.get(known.key);
  host.remove(client);
  if (host.clientCount === 0) {
    host.close();
    hosts.delete(known.key);
  }
}

function deliver(key, message, ids) {
  for (const [client, { port, key: clientKey }] of clients) {
    if (clientKey === key && (ids === null || ids.includes(client))) port.postMessage({ ...message, client });
  }
}
