#!/usr/bin/env node
// `npm run demo`: recreate the demo database, run the nightly retention sweep on it, then
// walk through what a DPO does with lethe: find Jane Doe, dry-run her anonymization,
// anonymize her, and show that she is gone.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = path.join('fixtures', 'demo', 'lethe.yml');

function step(title, args, expected = 0, bin = 'bin/lethe.js', capture = false) {
  process.stderr.write(`\n\x1b[1m== ${title}\x1b[0m\n$ ${['lethe', ...args].join(' ')}\n`);
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    env: { ...process.env, LETHE_OPERATOR: process.env.LETHE_OPERATOR ?? 'demo' },
  });
  if (run.status !== expected) {
    process.stderr.write(`demo: expected exit ${expected}, got ${run.status}\n`);
    process.exit(1);
  }
  return capture ? run.stdout.toString() : '';
}

/** The conversation a message belongs to, as the support tool showing the search result would know. */
function conversationOf(messageId) {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(path.join(root, 'fixtures', 'demo', 'demo.db'), { readonly: true });
  try {
    return db.prepare('SELECT conversation_id FROM messages WHERE id = ?').get(messageId).conversation_id;
  } finally {
    db.close();
  }
}

step('Create the demo database', ['--config', config], 0, 'dist/fixtures/demo/generate.js');
step('Is the map safe to run against this database? (writes nothing)', ['--config', config, 'check']);
step('What is past its retention period? (dry run)', ['--config', config, 'sweep', '--dry-run']);
step('The nightly sweep (--yes: as cron runs it): old chats redacted, their attachments deleted', ['--config', config, 'sweep', '--yes']);
step('Right after, a second sweep finds nothing due', ['--config', config, 'sweep', '--yes']);
step('A manager searches the chats for a keyword (matches masked)', ['--config', config, 'find', '--text', 'sent back the kettle']);
const found = JSON.parse(
  step('The same search as JSON, for the support tool', ['--config', config, 'find', '--text', 'sent back the kettle', '--json'], 0, 'bin/lethe.js', true),
);
const conversation = conversationOf(found.matches[0].key);
step('Anonymize that conversation alone: its messages lose every e-mail, phone and name; the account stays', [
  '--config',
  config,
  'anonymize',
  '--record',
  `conversations:${conversation}`,
  '--yes',
]);
step('What do we hold on Jane Doe?', ['--config', config, 'find', 'jane.doe@example.com']);
step('What would anonymizing her change? (dry run)', ['--config', config, 'anonymize', 'jane.doe@example.com', '--dry-run']);
step('Anonymize her (--yes: no terminal prompt in a script)', ['--config', config, 'anonymize', 'jane.doe@example.com', '--yes']);
step('Her e-mail finds nothing any more (exit 4)', ['--config', config, 'find', 'jane.doe@example.com'], 4);
step('Nor does her phone (exit 4)', ['--config', config, 'find', '+44 20 7946 0958'], 4);
step('By id, the record shows as anonymized', ['--config', config, 'find', '1', '--by', 'id']);
step('She had opted out of marketing: her address is on the suppression list (a keyed hash, not the address)', [
  '--config',
  config,
  'suppressed',
  'jane.doe@example.com',
]);
step('An address that never opted out is not (exit 4)', ['--config', config, 'suppressed', 'someone.new@example.org'], 4);
process.stderr.write('\nDemo done. The audit trail is in fixtures/demo/.lethe/audit-sqlite.db.\n');
