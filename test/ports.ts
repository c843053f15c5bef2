export { freeLoopbackPort as freePort } from '../src/platform/ports.js';
