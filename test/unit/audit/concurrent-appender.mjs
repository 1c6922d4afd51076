// Runs in its own process: loads the TypeScript store through Vite and appends in a loop.
// Usage: node concurrent-appender.mjs <store path> <operator> <count> <start at epoch ms>
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const [path, operator, count, startAt] = process.argv.slice(2);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'silent',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
const { AuditStore } = await runner.import('/src/audit/index.ts');
const store = AuditStore.open(path);
// Start together so the appends really overlap.
while (Date.now() < Number(startAt));
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; i < Number(count); i++) {
  // A real job works between its appends; without a pause one process would hold on to the lock.
  Atomics.wait(pause, 0, 0, 1);
  store.append({
    operator,
    command: 'sweep',
    action: 'anonymize-batch',
    requestId: `${operator}-${i}`,
    phase: 'event',
    dryRun: false,
    outcome: 'ok',
    tables: { messages: { action: 'anonymize', rows: i, keyRange: [i, i + 99] } },
  });
}
store.close();
await runner.close();
await server.close();
