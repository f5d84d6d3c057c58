/**
 * The page binding: view models to budgeted `setData` calls (ARCHITECTURE.md decision 7).
 */
export { diffPaths, diffViewData, applyPaths, toViewData, isAddressable, entryBytes } from './diff';
export type { DataPaths, JsonValue, JsonObject } from './diff';
export { splitPaths } from './split-paths';
export { connectSetData, SET_DATA_DEFAULTS } from './connect-set-data';
export type { SetDataTarget, ConnectSetDataOptions } from './connect-set-data';
export { bindPage } from './bind-page';
export type { BindPageOptions, PageQuery, PageViewModelSource } from './bind-page';
export { rxBehavior } from './behavior';
export type { RxBehaviorOptions, RxBehaviorDefinition } from './behavior';
