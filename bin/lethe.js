#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv);
process.exitCode = code;
// Every connection is closed on the way out; should a driver still hold the event loop, do not hang a cron job.
setTimeout(() => process.exit(code), 2000).unref();
