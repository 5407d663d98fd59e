// Builds the plugin bundle: a small entry (main.js) plus lazily loaded chunks beside it.
const path = require('path');
const manifest = require('../plugin.json');

module.exports = {
  context: __dirname,
  entry: './src/index.tsx',
  output: {
    path: path.resolve(__dirname, 'dist'),
    filename: 'main.js',
    chunkFilename: '[name].[contenthash:8].js',
    publicPath: 'auto',
    // Every plugin's chunk loader otherwise shares one global with the other plugins on the page.
    uniqueName: manifest.id,
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js'],
    alias: {
      '@contract': path.resolve(__dirname, '../server-bridge/src/contract/index.ts'),
      '@contract-trust': path.resolve(__dirname, '../server-bridge/src/contract/trust.ts'),
      '@contract-notice': path.resolve(__dirname, '../server-bridge/src/contract/notice.ts'),
    },
  },
  module: {
    rules: [
      {test: /\.tsx?$/, use: {loader: 'ts-loader', options: {transpileOnly: true, configFile: path.resolve(__dirname, 'tsconfig.json'), compilerOptions: {noEmit: false}}}, exclude: /node_modules/},
    ],
  },
  externals: {
    react: 'React',
    'react-dom': 'ReactDOM',
    redux: 'Redux',
    'react-redux': 'ReactRedux',
    'prop-types': 'PropTypes',
    'react-intl': 'ReactIntl',
  },
  // Async chunks share one copy of the schema (zod) instead of each carrying its own.
  optimization: {splitChunks: {chunks: 'async', cacheGroups: {defaultVendors: false, default: false, shared: {name: 'shared', minChunks: 2, minSize: 0, reuseExistingChunk: true}}}},
  devtool: false,
  performance: {hints: false},
};
