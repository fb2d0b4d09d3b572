// `node --import ./ts-loader.mjs …`: load .ts files (the library's source) with ts-hooks.mjs.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
