/** The JSON API's OpenAPI 3.1 document, generated from the zod schemas the API itself uses. */
import { z } from 'zod';
import { ReferralSchema } from '../../domain/case';
import { ApiCaseListSchema, ApiCaseSchema, ApiErrorSchema } from './schemas';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const errors = {
  '400': { description: 'Refused: each field and the rule it broke', content: json('Error') },
  '401': { description: 'No valid access token or session', content: json('Error') },
  '403': { description: 'The caller may not see or do this', content: json('Error') },
};

/** The document, for an issuer's token endpoint. */
export function openApiDocument(tokenUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'cpflow API',
      version: '1',
      description:
        'Open child-protection referrals and read cases’ deadlines. Pseudonymous: case references, staff and team ids, dates; never a name.',
    },
    servers: [{ url: '/' }],
    security: [{ clientCredentials: ['cpflow.api'] }],
    paths: {
      '/api/referrals': {
        post: {
          summary: 'Open a case from a referral',
          requestBody: { required: true, content: json('Referral') },
          responses: { '201': { description: 'The case, opened', content: json('Case') }, ...errors },
        },
      },
      '/api/cases': {
        get: {
          summary: 'Open cases the caller may see, a page at a time (by case reference)',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
            { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
          ],
          responses: { '200': { description: 'A page of open cases', content: json('CaseList') }, ...errors },
        },
      },
      '/api/cases/{caseReference}': {
        get: {
          summary: 'A case’s stage and deadlines',
          parameters: [
            {
              name: 'caseReference',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^CP-\\d{4}-\\d{6}$' },
            },
          ],
          responses: { '200': { description: 'The case', content: json('Case') }, ...errors },
        },
      },
    },
    components: {
      securitySchemes: {
        clientCredentials: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl, scopes: { 'cpflow.api': 'open referrals and read cases' } } },
        },
      },
      schemas: {
        Referral: schema(ReferralSchema, 'input'),
        Case: schema(ApiCaseSchema),
        CaseList: schema(ApiCaseListSchema),
        Error: schema(ApiErrorSchema),
      },
    },
  };
}
