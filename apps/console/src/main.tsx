import { render } from 'preact';
import { ApiClient } from './api/client';
import { ImageApiClient } from './api/image-api';
import { App } from './components/App';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App client={new ApiClient()} images={new ImageApiClient()} />, root);
