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

/** Static assets of the explorer under /explorer/assets. */
export function explorerRouter(): Router {
  const router = express.Router();
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
<style>html,body,#explorer{height:100%;margin:0}</style>
</head>
<body>
<div id="explorer">Loading…</div>
<script src="/explorer/assets/react.js"></script>
<script src="/explorer/assets/react-dom.js"></script>
<script src="/explorer/assets/graphiql.js"></script>
<script>
  const config = ${config};
  const fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  ReactDOM.createRoot(document.getElementById('explorer')).render(
    React.createElement(GraphiQL, { fetcher, defaultQuery: config.query, defaultHeaders: config.headers, shouldPersistHeaders: true })
  );
</script>
</body>
</html>`;
}
