// Lets a child `node` process run the TypeScript sources directly (`node -r ./scripts/ts-register.js
// src/main.ts`), compiled file by file on load with the project's compiler options — for the tests that
// need the server as a real process of its own (to kill it), and for the ingestion worker threads when
// the app itself runs from its sources (under Jest), where neither ts-jest nor the Nest build reaches.
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  resolveJsonModule: true,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
