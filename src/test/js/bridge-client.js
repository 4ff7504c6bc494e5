// Drives the official Vert.x event-bus bridge client (@vertx/eventbus-bridge-client.js over
// sockjs-client) against a FuncPipe bridge; BridgeJsClientTest runs it and reads the one JSON line
// it prints. Usage: node bridge-client.js URL TOKEN TRANSPORT
'use strict';
// Node 20's default agent keeps connections alive, and a request sent on one the server has just
// closed fails with "http status 0"; a browser retries such a request, sockjs-client's node driver
// does not. One connection per request, as without keep-alive.
const http = require('http');
http.globalAgent = new http.Agent({ keepAlive: false });
const EventBus = require('@vertx/eventbus-bridge-client.js');

const [url, token, transport] = process.argv.slice(2);
const out = {};
const eb = new EventBus(url + '/eventbus', { transports: [transport] });
eb.enableReconnect(false);
eb.onerror = (err) => { out.unaddressed = (out.unaddressed || []).concat([err.body || err.message]); };

function request(address, body, headers) {
  return new Promise((resolve) => {
    eb.send(address, body, headers, (err, reply) => {
      resolve(err ? { error: { code: err.failureCode, message: err.message } } : { body: reply.body });
    });
  });
}

function register(address, headers) {
  return new Promise((resolve) => {
    eb.registerHandler(address, headers, (err, message) => {
      resolve(err ? { error: { code: err.failureCode, message: err.message } } : { body: message.body });
    });
  });
}

const deadline = setTimeout(() => { out.timeout = true; finish(); }, 60000);

function finish() {
  clearTimeout(deadline);
  process.stdout.write(JSON.stringify(out) + '\n');
  try { eb.close(); } catch (e) { /* closing */ }
  process.exit(0);
}

eb.onopen = async () => {
  out.transport = eb.sockJSConn.transport;
  out.withoutToken = await request('funcpipe.jobs.list', {}, {});
  out.wrongToken = await request('funcpipe.jobs.list', {}, { Authorization: 'Bearer not-a-key' });
  out.withToken = await request('funcpipe.jobs.list', {}, { Authorization: 'Bearer ' + token });
  out.forged = await request('funcpipe.jobs.list', {},
    { Authorization: 'Bearer ' + token, 'funcpipe-principal': 'mallory', 'funcpipe-roles': 'admin' });
  out.registerWithoutToken = await register('funcpipe.jobs.some-job.progress', {});
  finish();
};
eb.onclose = (e) => { out.closed = { code: e && e.code, reason: e && e.reason }; finish(); };
