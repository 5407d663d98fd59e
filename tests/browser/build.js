// Builds the preview host page (tests/browser/dist/host.js + index.html, with its own React,
// Redux, … as the web app has them) and the preview server (dist/preview-server.js) with webpack.
// Usage: node tests/browser/build.js   (or require it and call buildHost())
const path = require('node:path');
const fs = require('node:fs');
const webpack = require('webpack');

const here = __dirname;
const out = path.join(here, 'dist');
const tsRule = (configFile) => ({
  test: /\.tsx?$/,
  exclude: /node_modules/,
  use: {loader: 'ts-loader', options: {transpileOnly: true, configFile, compilerOptions: {noEmit: false}}},
});

const configs = [
  {
    name: 'host',
    mode: 'production',
    entry: path.join(here, 'host/main.tsx'),
    output: {path: out, filename: 'host.js'},
    resolve: {extensions: ['.ts', '.tsx', '.js']},
    module: {rules: [tsRule(path.join(here, 'host/tsconfig.json'))]},
    devtool: false,
    performance: {hints: false},
  },
  {
    name: 'server',
    mode: 'production',
    target: 'node',
    entry: path.join(here, 'server/main.ts'),
    output: {path: out, filename: 'preview-server.js'},
    resolve: {extensions: ['.ts', '.js']},
    module: {rules: [tsRule(path.join(here, '../tsconfig.json'))]},
    optimization: {minimize: false},
    devtool: false,
    performance: {hints: false},
  },
];

function buildHost() {
  return new Promise((resolve, reject) => {
    webpack(configs, (err, stats) => {
      if (err) return reject(err);
      if (stats.hasErrors()) return reject(new Error(stats.toString({all: false, errors: true, errorDetails: false})));
      fs.copyFileSync(path.join(here, 'host/index.html'), path.join(out, 'index.html'));
      resolve(out);
    });
  });
}

module.exports = {buildHost, hostDir: out};

if (require.main === module) {
  buildHost().then(
    (dir) => process.stderr.write(`preview host page built in ${dir}\n`),
    (err) => {
      process.stderr.write(`preview host page build failed:\n${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
