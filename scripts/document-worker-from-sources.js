// The ingestion thread's module (src/knowledge/ingestion/document-worker.ts) when the app runs from its sources
// (under Jest): piscina loads a worker by its file URL, and Node's ESM loader takes no TypeScript, so this
// CommonJS file compiles it on load (ts-register.js) and hands its functions on.
require('./ts-register');
const worker = require('../src/knowledge/ingestion/document-worker.ts');

exports.prepare = worker.prepare;
exports.embed = worker.embed;
