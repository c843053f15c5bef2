import swagger from '@fastify/swagger';
import type { Server } from '../platform/http.js';

/**
 * Makes the OpenAPI 3.1 document from every route's schema (`@fastify/swagger`), read at `/api/openapi.json` and as
 * pages at `/api/docs`. Register before any route. `extraPaths` are paths no route declares on its own: the CKAN
 * actions share one route, and each is documented as a path of its own (`ckan/ckan.openapi.ts`).
 */
export async function registerOpenApi(server: Server, baseUrl: string, extraPaths: () => object): Promise<void> {
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ndp — National Data Platform API',
        version: '0.1.0',
        description:
          'Native API of the national data platform. Errors carry a stable `code` and messages in Vietnamese and English.',
      },
      servers: [{ url: baseUrl }],
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'ndp_session' },
        },
      },
    },
    transformObject: (d) => {
      if (!('openapiObject' in d)) return d.swaggerObject;
      const doc = d.openapiObject;
      return { ...doc, paths: { ...doc.paths, ...(extraPaths() as NonNullable<typeof doc.paths>) } };
    },
  });
}
