import { render } from 'preact';
import { ApiClient } from './api/client';
import { App } from './components/App';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App client={new ApiClient()} />, root);
