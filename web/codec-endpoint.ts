/**
 * The remote codec endpoint the Temporal Web UI calls to show cpflow's encrypted histories to authorised staff:
 * `POST /codec/decode`, taking and returning `{ "payloads": [ … ] }` in Temporal's JSON form of a payload (metadata
 * values and data in base64). There is deliberately no `/codec/encode`: the UI is for reading, and sealing a payload
 * would let its caller forge what the workflows accept (a signal, a start) as if cpflow had written it. It sits behind the web service's sign-in: the UI's
 * page sends the person's cpflow session cookie (the UI's "include cross-origin credentials" codec setting), and
 * only people who may read every case of the namespace may use it (domain/access `canReadHistories`). Only the
 * Temporal UI's origin may call it from a browser (CORS); every call is written to the access log.
 */
import fastifyCors from '@fastify/cors';
import type { DataConverter, Payload } from '@temporalio/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { canReadHistories, type Viewer } from '../domain/access';

/** What the codec endpoint needs. */
export interface CodecEndpointOptions {
  readonly dataConverter: DataConverter;
  /** The namespace whose histories the endpoint serves (the UI names it in `X-Namespace`). */
  readonly namespace: string;
  /** The Temporal Web UI's origin (scheme, host and port); without it no browser page may call the endpoint. */
  readonly allowedOrigin?: string;
  /** The authorities the namespace serves (the policy's). */
  readonly authorities: readonly string[];
  /** Writes one access-log line. */
  readonly audit: (request: FastifyRequest, action: string, outcome: 'ok' | 'refused' | 'invalid') => Promise<void>;
}

/** At most this many payloads per call: a history page, not a database dump. */
const MAX_PAYLOADS = 1_000;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const PayloadsSchema = z.strictObject({
  payloads: z
    .array(z.object({ metadata: z.record(z.string().max(200), Base64).optional(), data: Base64.optional() }))
    .max(MAX_PAYLOADS),
});

/** The paths of the codec endpoint (answered with 401, not a sign-in redirect, when nobody is signed in). */
export const CODEC_PATH_PREFIX = '/codec/';

/** Registers the codec endpoint on the web service. */
export async function registerCodecEndpoint(app: FastifyInstance, options: CodecEndpointOptions): Promise<void> {
  await app.register(async (codec) => {
    await codec.register(fastifyCors, {
      origin: options.allowedOrigin === undefined ? false : [options.allowedOrigin],
      credentials: true,
      methods: ['POST'],
      allowedHeaders: ['Content-Type', 'X-Namespace'],
      maxAge: 600,
    });
    codec.post(`${CODEC_PATH_PREFIX}decode`, async (request, reply) => {
      const viewer = request.viewer as Viewer | undefined;
      if (viewer === undefined || !canReadHistories(viewer, options.authorities)) {
        await options.audit(request, 'codec-decode', 'refused');
        return reply.status(403).send({ error: 'only people who may read every case here may read histories' });
      }
      if (request.headers['x-namespace'] !== undefined && request.headers['x-namespace'] !== options.namespace) {
        await options.audit(request, 'codec-decode', 'invalid');
        return reply.status(400).send({ error: `X-Namespace: must be ${options.namespace}` });
      }
      const body = PayloadsSchema.safeParse(request.body);
      if (!body.success) {
        await options.audit(request, 'codec-decode', 'invalid');
        return reply
          .status(400)
          .send({ error: `payloads: must be at most ${MAX_PAYLOADS} payloads with base64 metadata and data` });
      }
      let payloads = body.data.payloads.map(fromJson);
      try {
        for (const one of [...(options.dataConverter.payloadCodecs ?? [])].reverse()) {
          payloads = await one.decode(payloads);
        }
      } catch (err) {
        await options.audit(request, 'codec-decode', 'invalid');
        return reply.status(400).send({ error: err instanceof Error ? err.message : 'the payloads could not be read' });
      }
      await options.audit(request, 'codec-decode', 'ok');
      return reply.header('cache-control', 'no-store').send({ payloads: payloads.map(toJson) });
    });
  });
}

function fromJson(json: { metadata?: Record<string, string>; data?: string }): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(json.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(json.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value ?? new Uint8Array()).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
