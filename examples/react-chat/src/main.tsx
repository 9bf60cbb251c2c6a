import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { serverAddress } from './server-address'
import './styles.css'

// `?server=ws://host:port` points the app at any example server; otherwise the one `pnpm dev` started.
const server = serverAddress(window.location.search, __LIFELINE_SERVER__)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App server={server} />
  </StrictMode>,
)
