// A stand-in for Mattermost's push proxy on loopback (what Mattermost calls is not Mattermost):
// the real server is pointed at it, sends its test pushes there, and gets the answer set here.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {TestServer} from './mattermost';

export interface PushProxy {
  /** The device the push probe names: "<platform>:<token>". */
  deviceId: string;
  /** What /api/v1/send_push answers (status OK, REMOVE or FAIL). */
  answer: Record<string, string>;
  received: {device_id?: string; platform?: string; type?: string}[];
  stop(): Promise<void>;
}

export async function startPushProxy(mm: TestServer): Promise<PushProxy> {
  const proxy: PushProxy = {deviceId: `android_rn-v2:e2e-device-${Date.now()}`, answer: {status: 'OK'}, received: [], stop: async () => undefined};
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const known = req.url === '/api/v1/send_push';
      if (known) proxy.received.push(JSON.parse(body) as PushProxy['received'][number]);
      res.writeHead(known ? 200 : 404, {'content-type': 'application/json'}).end(JSON.stringify(proxy.answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const {port} = server.address() as AddressInfo;
  const config = await mm.admin.get<{EmailSettings: Record<string, unknown>}>('/config');
  const previous = {SendPushNotifications: config.EmailSettings.SendPushNotifications, PushNotificationServer: config.EmailSettings.PushNotificationServer};
  await mm.admin.put('/config/patch', {EmailSettings: {SendPushNotifications: true, PushNotificationServer: `http://127.0.0.1:${port}`}});
  proxy.stop = async () => {
    await mm.admin.put('/config/patch', {EmailSettings: previous}).catch(() => undefined);
    await new Promise((r) => server.close(r));
  };
  return proxy;
}
