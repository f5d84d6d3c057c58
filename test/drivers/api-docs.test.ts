/**
 * docs/api.md is complete and true: a row for every method, event and option of the seed
 * documents (their names are copied here: tests never read ../shared), and every row names tests
 * that exist (not skipped). A row without a test is allowed only for what rxroom leaves to the page
 * ("outside rxroom").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const text = readFileSync(join(root, 'docs/api.md'), 'utf8');

/** Splits a markdown table row on the pipes that are not escaped (`\|`). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

interface Row {
  readonly section: string;
  readonly item: string;
  readonly heading: string;
  readonly form: string;
  readonly tests: string;
}

function parse(): { legend: Map<string, string>; rows: Row[] } {
  const legend = new Map<string, string>();
  const rows: Row[] = [];
  let section = '';
  let inTable: 'legend' | 'rows' | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (!line.startsWith('|')) {
      inTable = null;
      continue;
    }
    const c = cells(line);
    if (c[0] === 'Key' && c[1] === 'File') inTable = 'legend';
    else if (c[0] === 'Seed item') inTable = 'rows';
    else if (/^-+$/.test(c[0]!)) continue;
    else if (inTable === 'legend') legend.set(c[0]!, c[1]!.replace(/`/g, '').replace(/ \(.*\)$/, ''));
    else if (inTable === 'rows') {
      expect({ line, columns: c.length }).toEqual({ line, columns: 4 });
      rows.push({ section, item: c[0]!, heading: c[1]!, form: c[2]!, tests: c[3]! });
    }
  }
  return { legend, rows };
}

/** The titles of the tests a file declares with `it(…)` / `test(…)` (not `it.skip`, not `xit`). */
function titles(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of source.matchAll(/(?<![.\w])(?:it|test)\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g))
    out.push(m[2]!.replace(/\\(.)/g, '$1'));
  return out;
}

const SEEDS: Record<string, { section: RegExp; names: string[] }> = {
  volcengine: {
    section: /^Volcengine/,
    names: [
      'init',
      'destroy',
      'setBusinessId',
      'join',
      'leave',
      'publish',
      'unpublish',
      'subscribe',
      'unsubscribe',
      'muteLocal',
      'muteRemote',
      'setUserVisibility',
      'on',
      'off',
      'reportPusherStateChange',
      'reportPusherNetStatusChange',
      'reportPlayerStateChange',
      'reportPlayerNetStatusChange',
      'STREAM_ADDED',
      'STREAM_REMOVED',
      'UPDATE_URL',
      'STREAM_FAILED',
      'MUTE_AUDIO',
      'UNMUTE_AUDIO',
      'MUTE_VIDEO',
      'UNMUTE_VIDEO',
      'CLIENT_BANNED',
      'PEER_ONLINE',
      'PEER_LEAVE',
      'ERROR',
      'DISCONNECT',
      'video',
      'audio',
      'screen',
    ],
  },
  agora: {
    section: /^Agora/,
    names: [
      'destroy',
      'init',
      'join',
      'leave',
      'mute',
      'muteLocal',
      'off',
      'on',
      'publish',
      'setRole',
      'subscribe',
      'unmute',
      'unmuteLocal',
      'unpublish',
      'unsubscribe',
      'stream-added',
      'audio',
      'video',
      'all',
      'broadcaster',
      'audience',
    ],
  },
  rongcloud: {
    section: /^RongCloud/,
    names: [
      'installPlugin',
      'joinRTCRoom',
      'registerRoomEventListener',
      'onUserJoin',
      'onUserLeave',
      'onStreamPublish',
      'onStreamUnpublish',
      'onAudioMuteChange',
      'onVideoMuteChange',
      'onKickOff',
      'onMessageReceive',
      'onRoomAttributeChange',
      'getRemoteUserIds',
      'getRemoteStreams',
      'getRemoteStreamsByUserId',
      'getRoomId',
      'getSessionId',
      'getCrtUserId',
      'isDestroyed',
      'leaveRoom',
      'setRoomAttribute',
      'getRoomAttributes',
      'deleteRoomAttributes',
      'startPreview',
      'stopPreview',
      'switchCamera',
      'openCamera',
      'closeCamera',
      'openMicphone',
      'closeMicphone',
      'isCameraOpen',
      'isMicphoneOpen',
      'publishStream',
      'unpublishStream',
      'subscribe',
      'unsubscribe',
      'isSubscribed',
      'isOwnerMuteAudio',
      'isOwnerDisableVideo',
      'hasAudio',
      'hasVideo',
      'getTag',
      'getMsid',
      // 003 设备管理, 推流组件 / 拉流组件 (配置属性, 自定义事件)
      'minBitrate',
      'maxBitrate',
      'audioVolumeType',
      'beauty',
      'whiteness',
      'autoFocus',
      'orientation',
      'aspect',
      'waitingImage',
      'zoom',
      'remoteMirror',
      'localMirror',
      'audioReverbType',
      'enableAgc',
      'enableAns',
      'videoWidth',
      'videoHeight',
      'beautyStyle',
      'filter',
      'devicePosition',
      'muted',
      'objectFit',
      'autoPauseIfNavigate',
      'autoPauseIfOpenNative',
      'pictureInPictureMode',
      'referrerPolicy',
      'bindstatechange',
      'bindnetstatus',
      'binderror',
      'bindbgmstart',
      'bindbgmprogress',
      'bindbgmcomplete',
      'bindaudiovolumenotify',
      'bindfullscreenchange',
      'bindenterpictureinpicture',
      'bindleavepictureinpicture',
      'getUserId',
      'getMediaType',
      'mute',
      'unmute',
      'setAudioOutputDevice',
      'rc-livepusher',
      'rc-liveplayer',
      'registerReportListener',
      'onLocalAudioLevelChange',
      'onRemoteAudioLevelChange',
      'sendMessage',
    ],
  },
  trtc: {
    section: /^trtc-wx/,
    names: [
      'new TRTC',
      'on',
      'off',
      'createPusher',
      'enterRoom',
      'sdkAppID',
      'userID',
      'userSig',
      'roomID',
      'strRoomID',
      'userDefineRecordId',
      'scene',
      'exitRoom',
      'getPlayerList',
      'setPusherAttributes',
      'setPlayerAttributes',
      'getPusherInstance',
      'getPlayerInstance',
      'LOCAL_JOIN',
      'LOCAL_LEAVE',
      'KICKED_OUT',
      'REMOTE_USER_JOIN',
      'REMOTE_USER_LEAVE',
      'REMOTE_VIDEO_ADD',
      'REMOTE_VIDEO_REMOVE',
      'REMOTE_AUDIO_ADD',
      'REMOTE_AUDIO_REMOVE',
      'REMOTE_STATE_UPDATE',
      'LOCAL_NET_STATE_UPDATE',
      'REMOTE_NET_STATE_UPDATE',
      'REMOTE_AUDIO_VOLUME_UPDATE',
      'LOCAL_AUDIO_VOLUME_UPDATE',
      'VIDEO_FULLSCREEN_UPDATE',
      'BGM_PLAY_PROGRESS',
      'BGM_PLAY_COMPLETE',
      'ERROR',
      // 004 pusherInstance / playerInstance methods, pusherAttributes / playerAttributes 说明
      'stop',
      'pause',
      'resume',
      'snapshot',
      'playBGM',
      'pauseBGM',
      'resumeBGM',
      'stopBGM',
      'setBGMVolume',
      'setMICVolume',
      'startPreview',
      'stopPreview',
      'switchCamera',
      'mode',
      'enableCamera',
      'enableMic',
      'enableAgc',
      'enableAns',
      'minBitrate',
      'maxBitrate',
      'frontCamera',
      'enableZoom',
      'videoWidth',
      'videoHeight',
      'beautyLevel',
      'whitenessLevel',
      'videoOrientation',
      'enableRemoteMirror',
      'localMirror',
      'audioQuality',
      'audioVolumeType',
      'audioReverbType',
      'beautyStyle',
      'filter',
      'play',
      'requestFullScreen',
      'requestExitFullScreen',
      'mute',
      'autoplay',
      'muteAudio',
      'muteVideo',
      'orientation',
      'objectFit',
      'minCache',
      'maxCache',
      'soundMode',
      'enableRecvMessage',
      'autoPauseIfNavigate',
      'autoPauseIfOpenNative',
    ],
  },
  wechat: {
    section: /^WeChat/,
    // WeChat's live-pusher / live-player documents (PLATFORM.md §3–4) and miniprogram-api-typings.
    names: [
      'url',
      'mode',
      'autopush',
      'muted',
      'enable-camera',
      'auto-focus',
      'orientation',
      'beauty',
      'whiteness',
      'aspect',
      'min-bitrate',
      'max-bitrate',
      'audio-quality',
      'waiting-image',
      'waiting-image-hash',
      'zoom',
      'device-position',
      'background-mute',
      'mirror',
      'remote-mirror',
      'local-mirror',
      'audio-reverb-type',
      'enable-mic',
      'enable-agc',
      'enable-ans',
      'enable-ear-monitor',
      'audio-volume-type',
      'video-width',
      'video-height',
      'beauty-style',
      'filter',
      'picture-in-picture-mode',
      'enableVideoCustomRender',
      'custom-effect',
      'skin-whiteness',
      'skin-smoothness',
      'face-thinness',
      'eye-bigness',
      'voice-changer-type',
      'fps',
      'src',
      'autoplay',
      'object-fit',
      'min-cache',
      'max-cache',
      'sound-mode',
      'auto-pause-if-navigate',
      'auto-pause-if-open-native',
      'enable-auto-rotation',
      'referrer-policy',
      'enable-casting',
      'picture-in-picture-init-position',
      'bindstatechange',
      'bindnetstatus',
      'binderror',
      'bindaudiovolumenotify',
      'bindbgmstart',
      'bindbgmprogress',
      'bindbgmcomplete',
      'bindenterpictureinpicture',
      'bindleavepictureinpicture',
      'bindfullscreenchange',
      'LivePusherContext.start',
      'LivePusherContext.stop',
      'LivePusherContext.pause',
      'LivePusherContext.resume',
      'LivePusherContext.switchCamera',
      'LivePusherContext.snapshot',
      'LivePusherContext.toggleTorch',
      'LivePusherContext.playBGM',
      'LivePusherContext.pauseBGM',
      'LivePusherContext.resumeBGM',
      'LivePusherContext.stopBGM',
      'LivePusherContext.setBGMVolume',
      'LivePusherContext.startPreview',
      'LivePusherContext.stopPreview',
      'LivePusherContext.setMICVolume',
      'LivePusherContext.sendMessage',
      'LivePusherContext.exitPictureInPicture',
      'LivePusherContext.getMaxZoom',
      'LivePusherContext.setZoom',
      'LivePlayerContext.play',
      'LivePlayerContext.stop',
      'LivePlayerContext.mute',
      'LivePlayerContext.pause',
      'LivePlayerContext.resume',
      'LivePlayerContext.snapshot',
      'LivePlayerContext.requestFullScreen',
      'LivePlayerContext.exitFullScreen',
      'LivePlayerContext.exitPictureInPicture',
      'LivePlayerContext.requestBackgroundPlayback',
      'LivePlayerContext.exitBackgroundPlayback',
      'LivePlayerContext.startCasting',
      'LivePlayerContext.switchCasting',
      'LivePlayerContext.reconnectCasting',
      'LivePlayerContext.exitCasting',
    ],
  },
};

describe('docs/api.md', () => {
  const { legend, rows } = parse();

  it('has a row for every method, event and option of every seed', () => {
    for (const [seed, { section, names }] of Object.entries(SEEDS)) {
      const items = rows.filter((r) => section.test(r.section)).map((r) => r.item);
      // A name counts when it stands in code quotes, alone or as a call or a list entry.
      const missing = names.filter(
        (name) =>
          !items.some((item) =>
            new RegExp('`' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '[`(\\s]').test(item),
          ) && !items.some((item) => item.includes(`\`${name}\``)),
      );
      expect({ seed, missing }).toEqual({ seed, missing: [] });
    }
  });

  it('cites a seed file and heading on every row', () => {
    for (const r of rows)
      expect({ item: r.item, heading: r.heading }).toEqual({
        item: r.item,
        heading: expect.stringMatching(/^(00[0-4] "|\(2\.6\.x SDK\)|WeChat ")/),
      });
  });

  it('names tests that exist on every row (none only for what is outside rxroom)', () => {
    expect(rows.length).toBeGreaterThan(100);
    const known = new Map<string, string[]>();
    for (const [key, file] of legend) {
      expect({ key, file, exists: existsSync(join(root, file)) }).toEqual({ key, file, exists: true });
      known.set(key, titles(file));
    }
    for (const r of rows) {
      if (r.tests === 'none') {
        expect({ item: r.item, form: r.form }).toEqual({
          item: r.item,
          form: expect.stringMatching(/^outside rxroom/),
        });
        continue;
      }
      for (const ref of r.tests.split('; ')) {
        const m = /^([A-Z]+): (.+)$/.exec(ref);
        const found = m ? (known.get(m[1]!) ?? []).some((t) => t.startsWith(m[2]!)) : false;
        expect({ item: r.item, ref, found }).toEqual({ item: r.item, ref, found: true });
      }
    }
  });
});
