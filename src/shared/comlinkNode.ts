/**
 * comlink's adapter from a Node MessagePort to the DOM-style endpoint comlink expects,
 * used on both sides of the progress channel.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Endpoint } from 'comlink';
import nodeAdapter from 'comlink/dist/umd/node-adapter.js';

// comlink 4.4's UMD build assigns the function to module.exports, while its .d.ts declares
// an ES default export, so TypeScript's NodeNext interop types this import as a namespace.
export const nodeEndpoint = nodeAdapter as unknown as (port: MessagePort) => Endpoint;
