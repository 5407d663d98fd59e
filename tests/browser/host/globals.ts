// The libraries the Mattermost web app puts on window for plugins, which bundle them as webpack
// externals (webapp/channels/src/plugins/export.ts): the module objects themselves, as require() gives them.
import PropTypes from 'prop-types';
import React from 'react';
import ReactDOM from 'react-dom';
import * as ReactIntl from 'react-intl';
import * as ReactRedux from 'react-redux';
import * as Redux from 'redux';

export const HOST_LIBRARIES = {React, ReactDOM, ReactIntl, Redux, ReactRedux, PropTypes};

/** The web app's router as plugins reach it (window.WebappUtils.browserHistory): a path pushed without a reload. */
export function hostHistory(win: Window) {
  return {
    push(path: string) {
      win.history.pushState(null, '', path);
      win.dispatchEvent(new PopStateEvent('popstate'));
    },
  };
}

export function installHostGlobals(win: Window): void {
  Object.assign(win, HOST_LIBRARIES, {WebappUtils: {browserHistory: hostHistory(win)}});
}
