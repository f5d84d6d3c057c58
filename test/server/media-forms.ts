/**
 * nginx-rtmp's side of the media hooks, for tests: the stream name and query of an RTMP URL the
 * server handed out, and the form nginx-rtmp posts for a call on it.
 */
import { request } from 'node:http';

/** What follows the application path `rtmp://host/live/`: the stream name and the query. */
export function afterApp(url: string): string {
  const m = /^rtmp:\/\/[^/]+\/live\/(.*)$/.exec(url);
  if (!m) throw new Error(`not an rtmp URL of application live: ${url}`);
  return m[1] as string;
}

/** Posts a form as nginx-rtmp does (`notify_method post`). */
export function postForm(
  server: { readonly httpUrl: string },
  path: string,
  fields: [string, string][],
): Promise<{ status: number; text: string }> {
  const body = fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.httpUrl}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The fields nginx-rtmp posts for `call` on stream `name`, then the client's query `args`. */
export function nginxForm(
  call: string,
  name: string,
  args: [string, string][],
  clientid = '7',
): [string, string][] {
  return [
    ['app', 'live'],
    ['flashver', 'FMLE/3.0'],
    ['swfurl', ''],
    ['tcurl', 'rtmp://127.0.0.1/live'],
    ['pageurl', ''],
    ['addr', '127.0.0.1'],
    ['clientid', clientid],
    ['call', call],
    ['name', name],
    ...(call === 'publish' ? ([['type', 'live']] as [string, string][]) : []),
    ...args,
  ];
}

/** The stream name and the query arguments of an RTMP URL of application `live`. */
export function split(url: string): { name: string; args: [string, string][] } {
  const rest = afterApp(url);
  const [name = '', query = ''] = rest.split('?');
  return { name, args: [...new URLSearchParams(query)] };
}
