/**
 * One rule for every setting that is a web address (the web service's public address, the Temporal UI's, the
 * identity provider's, an OpenTelemetry collector's): http or https, and no user name or password in it.
 */
import { z } from 'zod';

/** A zod string schema accepting an http(s) URL without credentials; `rule` is what a refusal says. */
export function httpUrlSetting(rule: string) {
  return z.string().refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, rule);
}
