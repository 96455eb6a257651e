import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const page = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/**
 * In development the pages live where the server serves them: /rooms/<id> is the shopper's
 * page, /admin and below the dashboard; the API is the server's, on port 3000.
 */
function pageRoutes(): Plugin {
  return {
    name: 'waitroom-page-routes',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        if (path === '/') {
          res.writeHead(302, { location: '/rooms/demo' }).end();
          return;
        }
        if (/^\/rooms\/[^/]+\/?$/.test(path)) req.url = '/shopper.html';
        else if (path === '/admin' || path.startsWith('/admin/')) req.url = '/admin.html';
        next();
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), pageRoutes()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Each page loads only its own code: a shopper never downloads the dashboard.
    rolldownOptions: {
      input: { shopper: page('shopper.html'), admin: page('admin.html') },
      // What both pages share, in two chunks named for what they hold.
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/]/ },
            { name: 'shared', test: /[\\/]src[\\/]shared[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/openapi.json': 'http://127.0.0.1:3000' },
  },
});
