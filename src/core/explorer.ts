import path from 'node:path';
import express, { Router } from 'express';

// An offline GraphiQL: every script and stylesheet comes from node_modules, served here, so
// the explorer works on a closed government network (no CDN, no fonts from the internet).

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const ASSETS: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
};

// The page runs no inline script (the content security policy allows scripts from this server
// only): the boot script is an asset too, and reads its settings from a JSON data block.
const BOOT_JS = `const config = JSON.parse(document.getElementById('explorer-config').textContent);
const fetcher = GraphiQL.createFetcher({ url: config.endpoint });
ReactDOM.createRoot(document.getElementById('explorer')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery: config.query, defaultHeaders: config.headers, shouldPersistHeaders: true })
);
`;
const PAGE_CSS = 'html,body,#explorer{height:100%;margin:0}\n';

/**
 * The content security policy of the explorer page (and, stricter, of every other answer):
 * scripts, styles, fonts and images from this server only, requests to this server only. Inline
 * styles stay allowed: GraphiQL's editor sets them as it lays out.
 */
export const EXPLORER_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/** Static assets of the explorer under /explorer/assets. */
export function explorerRouter(): Router {
  const router = express.Router();
  router.get('/explorer/assets/boot.js', (_req, res) => {
    res.type('application/javascript').set('cache-control', 'public, max-age=86400').send(BOOT_JS);
  });
  router.get('/explorer/assets/page.css', (_req, res) => {
    res.type('text/css').set('cache-control', 'public, max-age=86400').send(PAGE_CSS);
  });
  router.get('/explorer/assets/:file', (req, res) => {
    const file = ASSETS[req.params.file];
    if (!file) {
      res.status(404).end();
      return;
    }
    res.sendFile(file, { maxAge: '1d' });
  });
  return router;
}

const DEFAULT_QUERY = `# Household Graph explorer (户情图谱). Ctrl-Enter runs the query.
query County {
  region(code: "431226") {
    name
    level
    children { code name }
    households(first: 5, filter: { status: REGISTERED }) {
      totalCount
      edges { node { number status mainCause members { name relation age } } }
    }
  }
}
`;

/** The explorer page itself. `defaultHeaders` pre-fills the headers editor (e.g. a demo token). */
export function explorerHtml(opts: { endpoint: string; defaultHeaders?: string }): string {
  const config = JSON.stringify({ endpoint: opts.endpoint, query: DEFAULT_QUERY, headers: opts.defaultHeaders ?? '' }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<title>Household Graph explorer · 户情图谱</title>
<link rel="stylesheet" href="/explorer/assets/graphiql.css" />
<link rel="stylesheet" href="/explorer/assets/page.css" />
</head>
<body>
<div id="explorer">Loading…</div>
<script src="/explorer/assets/react.js"></script>
<script src="/explorer/assets/react-dom.js"></script>
<script src="/explorer/assets/graphiql.js"></script>
<script type="application/json" id="explorer-config">${config}</script>
<script src="/explorer/assets/boot.js"></script>
</body>
</html>`;
}
