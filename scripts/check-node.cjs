// Stops with one line when this Node.js is older than package.json's "engines" asks for. CommonJS with
// nothing newer than ES2015, so that an old Node can run it to say so.
'use strict';
var path = require('path');
var engines = require(path.join(__dirname, '..', 'package.json')).engines || {};
var wanted = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(String(engines.node || '').trim());
var have = process.versions.node.split('.').map(Number);
if (wanted) {
  var need = wanted.slice(1).map(Number);
  var older = have[0] !== need[0] ? have[0] < need[0] : have[1] !== need[1] ? have[1] < need[1] : have[2] < need[2];
  if (older) {
    process.stderr.write(
      'cus-platform needs Node.js ' +
        need.join('.') +
        ' or newer (24 LTS recommended), and this is ' +
        process.version +
        ': get it from https://nodejs.org/en/download or with nvm (nvm install 24).\n',
    );
    process.exit(1);
  }
}
