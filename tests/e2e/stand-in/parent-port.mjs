// Preloaded into the stand-in's "utility process" (a forked Node): process.parentPort as
// Electron gives it to a utility process, carried over Node's IPC. Messages from the parent
// come wrapped ({ toPort }), so that the entry's own re-emitted 'message' events are not
// taken for new ones.
const send = process.send.bind(process);
const handlers = [];
process.on('message', (m) => {
  if (m && typeof m === 'object' && 'toPort' in m) for (const h of handlers) h({ data: m.toPort });
});
process.parentPort = {
  on(event, cb) {
    if (event === 'message') handlers.push(cb);
  },
  postMessage: (m) => send(m),
};
