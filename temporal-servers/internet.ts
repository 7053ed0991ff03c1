/** Whether the SDK's own server download (temporal.download) can be reached from here, decided in seconds. */
import { request } from 'node:https';

/** The host `@temporalio/testing` downloads Temporal's servers from. */
export const DOWNLOAD_HOST = 'temporal.download';

/** Resolves true when an HTTPS request to the download host gets any answer within `timeoutMs`. */
export function canReachTemporalDownloads(timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: DOWNLOAD_HOST, method: 'HEAD', path: '/', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => resolve(false));
    req.end();
  });
}
