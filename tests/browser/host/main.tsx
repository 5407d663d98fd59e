// Entry of the preview host page: the host globals, window.registerPlugin, the store, the page.
import React from 'react';
import {createRoot} from 'react-dom/client';
import {App} from './app';
import {installHostGlobals} from './globals';
import {installRegisterPlugin} from './loader';
import {createHostStore} from './store';

installHostGlobals(window);
installRegisterPlugin(window);
const {store, addReducer} = createHostStore();
const params = new URLSearchParams(window.location.search);
const container = document.getElementById('root');
if (container) createRoot(container).render(<App deps={{store, addReducer}} selection={{team: params.get('team'), channel: params.get('channel'), consoleOnly: params.get('view') === 'console'}} />);
