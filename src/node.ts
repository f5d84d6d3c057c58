/**
 * `rxroom/node`: the Node-only entry point (Node platform over `ws`, bots, tools). Nothing here
 * may be imported from the mini program entry. It re-exports the core API so Node users need one
 * import.
 * @packageDocumentation
 */
export * from './index';
