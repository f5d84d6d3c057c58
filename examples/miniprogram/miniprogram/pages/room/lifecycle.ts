/**
 * What the room does around the mini program's lifecycle (docs/lifecycle.md), passed to
 * `createClient`: camera and microphone muted while the app is hidden, the room left after two
 * minutes hidden, and a modal that leads to the settings page when the user refused the camera or
 * microphone before. Everything else (keep-screen-on, the network probe) is on by default.
 */
import { combineBackgroundPolicies, leaveAfter, muteAll, type ClientOptions } from 'rxroom';

export const LIFECYCLE_OPTIONS: Pick<ClientOptions, 'background' | 'mediaPermission'> = {
  background: combineBackgroundPolicies(muteAll, leaveAfter(120_000)),
  mediaPermission: {
    prompt: {
      title: 'Camera and microphone',
      content: 'This room needs your camera and microphone. Turn them on in the settings?',
      confirmText: 'Settings',
    },
  },
};
