// The libraries the Mattermost web app puts on window for plugins, which bundle them as webpack
// externals (webapp/channels/src/plugins/export.ts): the module objects themselves, as require() gives them.
import PropTypes from 'prop-types';
import React from 'react';
import ReactDOM from 'react-dom';
import * as ReactIntl from 'react-intl';
import * as ReactRedux from 'react-redux';
import * as Redux from 'redux';

export const HOST_LIBRARIES = {React, ReactDOM, ReactIntl, Redux, ReactRedux, PropTypes};

export function installHostGlobals(win: Window): void {
  Object.assign(win, HOST_LIBRARIES);
}
