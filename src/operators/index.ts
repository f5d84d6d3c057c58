// The operators, by name (one per file).
export { retryBackoff, backoffDelay } from './retry-backoff';
export type { RetryBackoffConfig, Jitter } from './retry-backoff';
export {
  defaultReconnectPolicy,
  exponentialReconnectPolicy,
  delaysReconnectPolicy,
  noReconnectPolicy,
} from './reconnect-policy';
export type {
  ReconnectPolicy,
  DefaultReconnectPolicyOptions,
  ExponentialReconnectPolicyOptions,
} from './reconnect-policy';
export { reconnect, isRetryableError } from './reconnect';
export type { ReconnectOptions } from './reconnect';
export { heartbeat } from './heartbeat';
export type { HeartbeatOptions } from './heartbeat';
export { autoSubscribe } from './auto-subscribe';
export type {
  AutoSubscribePolicy,
  AutoSubscribeReport,
  AutoSubscribeTarget,
  AutoSubscribeOptions,
} from './auto-subscribe';
export { planAll, mapPlan, diffPlan } from './subscription-plan';
export type { SubscriptionPlan, WantedSubscription, SubscriptionAction } from './subscription-plan';
export { subscribeAll } from './subscribe-all';
export type { SubscribeAllOptions } from './subscribe-all';
export { onlyUsers } from './only-users';
export { maxVideo } from './max-video';
export { preferScreenShare } from './prefer-screen-share';
export { audioOnlyWhen } from './audio-only-when';
export { activeSpeakers } from './active-speakers';
export { combinePolicies } from './combine-policies';
export { activeSpeaker } from './active-speaker';
export type { ActiveSpeakerOptions, VolumeLevels } from './active-speaker';
export { netQuality, foldNetQualityLevel } from './net-quality';
export type { NetQuality, NetLevels, NetQualityOptions } from './net-quality';
export { mediaRecovery, mediaSymptomOf } from './media-recovery';
export type { MediaRecoveryOptions, MediaRecoveryEvent, MediaRecoveryTarget } from './media-recovery';
export { frozenPlayerWatchdog, videoExpected } from './frozen-player-watchdog';
export type {
  FrozenPlayerWatchdogOptions,
  FrozenPlayerEvent,
  FrozenPlayerStep,
  FrozenPlayerTarget,
} from './frozen-player-watchdog';
export { reportStats } from './report-stats';
export type { ReportStatsOptions, ReportStatsTarget } from './report-stats';
export { roomViewModel } from './room-view-model';
export type {
  RoomViewModel,
  PlayerView,
  PusherView,
  BannerView,
  RoomViewModelOptions,
} from './room-view-model';
