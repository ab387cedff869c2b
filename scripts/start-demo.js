// `npm run demo`: the built server with DEMO=true — demo accounts, the demo knowledge base and two requests
// loaded at start-up (see src/demo). The configuration refuses DEMO when NODE_ENV is production.
process.env.DEMO = 'true';
require('../dist/src/main.js');
