import { render } from 'preact';
import { App } from './App';
import { UpdateBanner } from './components/UpdateBanner';
import { registerServiceWorker } from './lib/swUpdate';
import './styles.css';

render(
  <>
    <App />
    <UpdateBanner />
  </>,
  document.getElementById('app')!,
);

// The service worker (dist/sw.js, generated at build time) makes the app shell open offline; a new
// build waits until the user reloads from the update banner.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  addEventListener('load', () => {
    registerServiceWorker().catch((e) => console.warn('service worker not registered', e));
  });
}
