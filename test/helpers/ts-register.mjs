// `node --import ./test/helpers/ts-register.mjs bin/ptelab.ts ...`: run the CLI from its sources (see ts-hooks.mjs).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
