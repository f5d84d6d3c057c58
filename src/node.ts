/**
 * `rxroom/node`: the Node-only entry point: the Node platform over `ws` for tests, demos, bots
 * and load tools. Nothing here may reach the mini program bundle.
 * @packageDocumentation
 */
export { nodePlatform } from './bindings/node-platform';
export type { NodePlatform, NodePlatformOptions, RecordedContextCall } from './bindings/node-platform';
