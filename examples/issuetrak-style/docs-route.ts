/**
 * GET /api/v2/docs: Swagger UI for the example's own OpenAPI document, so a visitor can try the API
 * from a browser. Swagger UI comes from the swagger-ui-dist package on this server (no CDN), and only
 * the four files the page uses are served: under a path carrying the package version, so browsers
 * may keep them for a year, while the page itself is never stored (it may hold the demo key) and the
 * initializer is revalidated. The page's Content-Security-Policy allows scripts, styles and requests
 * from this origin only; the initializer is therefore a file (docs-page/swagger-init.js), not inline.
 *
 * In the Development environment, `Docs.TryItOut.ApiKey` pre-authorizes "Try it out" with X-Api-Key.
 * It is ignored in every other environment: the page would hand the key to anyone who opens it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router, type Response } from 'express';
import { ApiError, type ApiGuardConfig } from '../../lib/index.js';
import { isDevelopment } from '../../lib/config/index.js';

/** The example's own `Docs` section (Development file only). */
export interface DocsSection {
  readonly TryItOut?: {
    /** A demo key filled into X-Api-Key on the docs page; honoured in Development only. */
    readonly ApiKey?: string;
  };
}

/** The initializer lives next to this file (the build copies docs-page/ beside the compiled one). */
const INITIALIZER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'docs-page', 'swagger-init.js');

/** The swagger-ui-dist files the page loads; everything else in the package stays unserved. */
const SWAGGER_FILES = ['swagger-ui.css', 'index.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;

// The page needs no inline script or style, no other origin, no frames and no forms that navigate.
// img-src allows data: because swagger-ui.css draws its icons as data: URIs.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface SwaggerUiDist {
  readonly dir: string;
  readonly version: string;
}

/** Where swagger-ui-dist is installed, or why it cannot be used. */
export function findSwaggerUiDist(): SwaggerUiDist | Error {
  try {
    const manifest = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return { dir: path.dirname(manifest), version };
  } catch (err) {
    return new Error(
      `The docs page is off: the swagger-ui-dist package was not found (${(err as Error).message.split('\n')[0]}). ` +
        'It is a dependency of examples/issuetrak-style/package.json: run `npm ci` (or `npm ci --omit=dev`) at the repository root.',
    );
  }
}

/** The demo key to pre-fill, or undefined when none is configured or the environment is not Development. */
export function tryItApiKey(config: ApiGuardConfig): string | undefined {
  const key = config.section<DocsSection>('Docs')?.TryItOut?.ApiKey;
  return typeof key === 'string' && key !== '' && isDevelopment(config.environment) ? key : undefined;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function page(apiBase: string, assets: string, apiKey: string | undefined): string {
  const keyAttribute = apiKey === undefined ? '' : ` data-try-it-api-key="${escapeHtml(apiKey)}"`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Issuetrak-style API v2 · docs</title>
<link rel="stylesheet" href="${escapeHtml(assets)}/swagger-ui.css">
<link rel="stylesheet" href="${escapeHtml(assets)}/index.css">
<link rel="icon" type="image/png" sizes="32x32" href="${escapeHtml(assets)}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="${escapeHtml(apiBase)}/openapi.json"${keyAttribute}></div>
<script src="${escapeHtml(assets)}/swagger-ui-bundle.js"></script>
<script src="${escapeHtml(apiBase)}/docs/swagger-init.js"></script>
</body>
</html>
`;
}

function noSniff(res: Response): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/**
 * The docs router, mounted at `/docs` under the API's base path (before authentication: the page and
 * its files are public; the calls made from it need the key like any other).
 */
export function docsRoute(currentConfig: () => ApiGuardConfig, swagger: SwaggerUiDist | Error = findSwaggerUiDist()): Router {
  const router = Router();
  if (swagger instanceof Error) {
    router.use(() => {
      throw new ApiError('The API documentation page is not installed on this server.', { status: 404, type: 'NotFound' });
    });
    return router;
  }
  const assetsPath = `/swagger-ui/${swagger.version}`;

  router.get('/', (req, res) => {
    // req.baseUrl is e.g. /api/v2/docs; the API base is its parent.
    const apiBase = req.baseUrl.slice(0, -'/docs'.length);
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    noSniff(res);
    res.type('html').send(page(apiBase, `${req.baseUrl}${assetsPath}`, tryItApiKey(currentConfig())));
  });

  router.get('/swagger-init.js', (_req, res, next) => {
    noSniff(res);
    res.sendFile(INITIALIZER, { headers: { 'Cache-Control': 'no-cache' } }, (err) => err && next(err));
  });

  for (const file of SWAGGER_FILES) {
    router.get(`${assetsPath}/${file}`, (_req, res, next) => {
      noSniff(res);
      // The version is in the path, so a new swagger-ui-dist gets new URLs and these never go stale.
      res.sendFile(path.join(swagger.dir, file), { maxAge: '365d', immutable: true }, (err) => err && next(err));
    });
  }
  // The page's files are public, so an unknown one is a 404 here rather than the API's 401.
  router.use(() => {
    throw new ApiError('No such file on the API documentation page.', { status: 404, type: 'NotFound' });
  });
  return router;
}
