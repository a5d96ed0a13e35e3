// Monaco's workers are bundled beside the page (build.mjs) and started from
// this server, so the editor needs no CDN and the CSP allows worker-src
// 'self' only.
const workers = {
  json: '/playground/json.worker.js',
  graphql: '/playground/graphql.worker.js',
};

globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    return new Worker(workers[label] ?? '/playground/editor.worker.js');
  },
};
