#!/usr/bin/env node
import { main } from './main';

// The executable of the package (`bin`: `cdk-compliant-ml` → `lib/cli/bin.js`).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
