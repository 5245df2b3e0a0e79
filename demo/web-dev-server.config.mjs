import { esbuildPlugin } from '@web/dev-server-esbuild';

// `npm start`: serves demo/ with the element's TypeScript sources, on 127.0.0.1.
export default {
  rootDir: '.',
  appIndex: 'demo/index.html',
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8000),
  nodeResolve: { exportConditions: ['production'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: 'tsconfig.json' })],
};
