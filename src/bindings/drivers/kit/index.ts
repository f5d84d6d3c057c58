/**
 * The driver kit (entry point `rxroom/drivers/kit`): what the vendor drivers share, for writing
 * a driver over another SDK. See docs/drivers.md, "How to write a driver".
 */
export { createVendorDriver } from './vendor-driver';
export type {
  CommandHandlers,
  RoomSnapshot,
  VendorBackend,
  VendorCommandType,
  VendorDriverOptions,
  VendorFeature,
  VendorSession,
} from './vendor-driver';
export { fromCallbacks, fromVendorPromise } from './vendor-calls';
export { readVendorError, vendorError, vendorErrorCode } from './vendor-errors';
export type { ErrorVendor } from './vendor-errors';
